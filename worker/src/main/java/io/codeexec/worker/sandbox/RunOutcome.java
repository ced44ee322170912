package io.codeexec.worker.sandbox;

import io.codeexec.common.job.JobResult;
import io.codeexec.common.job.RawOutput;

/** A run's result, with its exact output bytes when those are not valid UTF-8 (else {@code raw} is null). */
public record RunOutcome(JobResult result, RawOutput raw) {}
