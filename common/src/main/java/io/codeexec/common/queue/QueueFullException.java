package io.codeexec.common.queue;

/** The pending queue has reached MAX_QUEUE_LENGTH; the submission was not stored. */
public class QueueFullException extends RuntimeException {
    public QueueFullException(long maxLength) {
        super("The queue is full (" + maxLength + " jobs waiting); retry later");
    }
}
