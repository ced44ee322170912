package io.codeexec.worker.sandbox;

import io.codeexec.common.job.JobRequest;
import io.codeexec.common.job.JobResult;
import io.codeexec.common.job.Language;
import java.util.function.BooleanSupplier;

/** Runs one job's program in isolation and judges the outcome. */
public interface Sandbox {
    /**
     * Runs the request and returns its result; never throws for anything the program does.
     * {@code stillWanted} is asked once the run is registered for cancels and before anything starts.
     *
     * @throws SandboxUnavailableException when our own infrastructure (engine, image) failed
     */
    JobResult run(String jobId, Language language, JobRequest request, BooleanSupplier stillWanted);

    /** As {@link #run}, also returning the exact output bytes when they are not valid UTF-8. */
    RunOutcome runWithOutput(String jobId, Language language, JobRequest request, BooleanSupplier stillWanted);

    /** Kills the job's program if it is running (or about to run) here; true when it was. */
    boolean cancel(String jobId);

    /** Kills every program running here; returns how many. */
    int cancelAll();

    /** Runs a language's version command in its image and returns what it printed. */
    String probeVersion(Language language);
}
