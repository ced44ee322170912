package io.codeexec.worker.callback;

import io.codeexec.common.queue.Outbox;

/**
 * Decides when the callback backlog is worth a log line: when it first reaches {@code threshold}, each time it
 * doubles from the last figure logged, and once when it is cleared. A steady backlog logs nothing.
 */
final class BacklogWatch {
    private final long threshold;
    private long lastLogged;

    BacklogWatch(long threshold) {
        this.threshold = threshold;
    }

    /** The line to log for this reading, or null. */
    String observe(Outbox.Backlog backlog) {
        long total = backlog.total();
        if (total == 0 && lastLogged > 0) {
            lastLogged = 0;
            return "callback backlog cleared";
        }
        if (total >= threshold && total >= 2 * lastLogged) {
            lastLogged = total;
            return "callback backlog growing: " + backlog.pending() + " pending, " + backlog.retrying()
                    + " waiting to retry";
        }
        return null;
    }
}
