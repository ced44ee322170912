package io.codeexec.worker.callback;

import io.codeexec.common.queue.Outbox;

/**
 * Transitional: what Processor still calls on this branch after storing a result. It no longer delivers
 * anything itself; it only adds the callback to the durable outbox, which {@link OutboxDelivery} delivers.
 * Once complete.lua / cancel.lua add outbox entries in the script that stores the result (the "queue" branch),
 * Processor stops calling it and this class is deleted.
 */
@Deprecated(forRemoval = true)
public final class CallbackDispatcher {
    private static final String BATCH_PREFIX = "batch ";

    private final Outbox outbox;

    public CallbackDispatcher(Outbox outbox) {
        this.outbox = outbox;
    }

    /** Adds the callback to the outbox; the body is ignored: it is read from Redis at delivery time. */
    public void deliver(String jobId, String url, String body) {
        if (jobId.startsWith(BATCH_PREFIX)) {
            outbox.enqueue(Outbox.Kind.BATCH, jobId.substring(BATCH_PREFIX.length()), url);
        } else {
            outbox.enqueue(Outbox.Kind.JOB, jobId, url);
        }
    }
}
