package io.codeexec.worker.sandbox;

import java.io.InputStream;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A host's stdin as docker-java's attach wants it: an InputStream its transport copies from on a daemon
 * thread (flushing after each read). We keep it open for the host's whole life and {@link #write} each
 * payload into it; {@link #close} ends the copy (the transport never half-closes, so the launcher sees
 * no EOF: the host is killed instead).
 */
final class StdinPipe extends InputStream {
    private static final byte[] END = new byte[0];
    private final LinkedBlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();
    private byte[] current = new byte[0];
    private int position;
    private volatile boolean closed;

    void write(byte[] bytes) {
        if (closed) {
            throw new IllegalStateException("the host's stdin is closed");
        }
        chunks.add(bytes.clone());
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
        if (length == 0) {
            return 0;
        }
        try {
            while (position == current.length) {
                if (current == END) {
                    return -1;
                }
                current = chunks.take();
                position = 0;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
        int n = Math.min(length, current.length - position);
        System.arraycopy(current, position, buffer, offset, n);
        position += n;
        return n;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            chunks.add(END);
        }
    }
}
