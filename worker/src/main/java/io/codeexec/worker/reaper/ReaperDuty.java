package io.codeexec.worker.reaper;

/** One thing a reaper pass does, under the reaper lock. */
public interface ReaperDuty {
    /** Runs the duty for this pass; returns how many jobs it gave back to the queue. */
    int run(Pass pass);
}
