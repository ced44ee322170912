package io.codeexec.worker.sandbox;

import io.codeexec.common.job.JobResult;
import io.codeexec.common.job.RawOutput;
import java.util.Map;

/**
 * A run's result, with its exact output bytes when those are not valid UTF-8 (else {@code raw} is
 * null) and how long each phase of the run took, in milliseconds.
 */
public record RunOutcome(JobResult result, RawOutput raw, Map<String, Long> timings) {
    public RunOutcome(JobResult result, RawOutput raw) {
        this(result, raw, Map.of());
    }
}
