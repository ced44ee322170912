package io.codeexec.worker.sandbox;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import java.util.concurrent.TimeUnit;

/**
 * The attach callback of one host: stdout frames go to the records being expected (the ready line,
 * then one payload's records at a time), stderr — only the launcher's own diagnostics — is kept up to
 * a small bound for error messages. A byte on stdout while nothing is expected, or the stream ending,
 * marks the host broken.
 */
final class HostStreams extends ResultCallback.Adapter<Frame> {
    private static final int DIAGNOSTICS_BYTES = 4096;
    private final BoundedOutput diagnostics = new BoundedOutput(DIAGNOSTICS_BYTES);
    private LaunchRecords expected;
    private boolean closed;
    private boolean stray;

    @Override
    public void onNext(Frame frame) {
        synchronized (this) {
            if (frame.getStreamType() == StreamType.STDERR) {
                diagnostics.append(frame.getPayload());
            } else if (expected == null) {
                stray = true;
            } else {
                expected.feed(frame.getPayload());
            }
            notifyAll();
        }
    }

    @Override
    public void onError(Throwable throwable) {
        ended();
        super.onError(throwable);
    }

    @Override
    public void onComplete() {
        ended();
        super.onComplete();
    }

    private synchronized void ended() {
        closed = true;
        notifyAll();
    }

    /** From now on, stdout feeds {@code records}. */
    synchronized void expect(LaunchRecords records) {
        expected = records;
    }

    /** Stdout should stay silent until the next {@link #expect}. */
    synchronized void expectNothing() {
        expected = null;
    }

    /** Waits until {@code records} are finished or the stream ends; false when {@code timeoutMs} passed first. */
    synchronized boolean await(LaunchRecords records, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!records.finished() && !closed) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }

    /** The stream ended, or stdout carried bytes nobody expected. */
    synchronized boolean broken() {
        return closed || stray;
    }

    /** What the launcher said on stderr (its own diagnostics), for error messages. */
    synchronized String diagnostics() {
        return diagnostics.text(DIAGNOSTICS_BYTES).strip();
    }
}
