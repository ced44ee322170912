package io.codeexec.worker.sandbox;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Collects one output stream up to a fixed number of bytes and only counts the rest, so the worker's
 * memory stays flat whatever a program prints. Thread-confined to the attach callback.
 */
final class BoundedOutput {
    private final int capacity;
    private byte[] buffer = new byte[1024];
    private int size;
    private long total;

    BoundedOutput(int capacity) {
        this.capacity = capacity;
    }

    /** Appends what fits and returns true while the stream is within its capacity. */
    boolean append(byte[] bytes) {
        total += bytes.length;
        int room = capacity - size;
        int take = Math.min(room, bytes.length);
        if (take > 0) {
            if (size + take > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.min(capacity, Math.max(size + take, buffer.length * 2)));
            }
            System.arraycopy(bytes, 0, buffer, size, take);
            size += take;
        }
        return total <= capacity;
    }

    long total() {
        return total;
    }

    int size() {
        return size;
    }

    byte[] buffer() {
        return buffer;
    }

    /** The first {@code length} kept bytes as text; invalid UTF-8 becomes U+FFFD, never an exception. */
    String text(int length) {
        return new String(buffer, 0, Math.min(length, size), StandardCharsets.UTF_8);
    }
}
