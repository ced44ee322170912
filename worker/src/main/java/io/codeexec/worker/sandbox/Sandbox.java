package io.codeexec.worker.sandbox;

import io.codeexec.common.job.JobRequest;
import io.codeexec.common.job.JobResult;
import io.codeexec.common.job.Language;

/** Runs one job's program in isolation and judges the outcome. */
public interface Sandbox {
    /**
     * Runs the request and returns its result; never throws for anything the program does.
     *
     * @throws SandboxUnavailableException when our own infrastructure (engine, image) failed
     */
    JobResult run(String jobId, Language language, JobRequest request);

    /** Kills the job's program if it is running here; true when it was. */
    boolean cancel(String jobId);

    /** Runs a language's version command in its image and returns what it printed. */
    String probeVersion(Language language);
}
