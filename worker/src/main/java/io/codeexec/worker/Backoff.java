package io.codeexec.worker;

/** Exponential backoff between retries of an outage, capped, reset after a success. */
final class Backoff {
    private final long initialMs;
    private final long maxMs;
    private long nextMs;

    Backoff(long initialMs, long maxMs) {
        this.initialMs = initialMs;
        this.maxMs = maxMs;
        this.nextMs = initialMs;
    }

    void reset() {
        nextMs = initialMs;
    }

    /** Sleeps for the next delay; false when interrupted (the caller should stop). */
    boolean sleep() {
        try {
            Thread.sleep(nextMs);
            nextMs = Math.min(maxMs, nextMs * 2);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
