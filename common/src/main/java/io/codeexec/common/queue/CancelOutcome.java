package io.codeexec.common.queue;

/** What DELETE /jobs/{id} did. */
public enum CancelOutcome {
    CANCELLED_WHILE_QUEUED, CANCELLED_WHILE_RUNNING, ALREADY_FINISHED, NOT_FOUND
}
