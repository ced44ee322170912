package io.codeexec.common.job;

/**
 * The outcome of a run. {@code signal} is a name such as "SIGKILL" or null; times are milliseconds;
 * {@code memoryKb} is the peak resident set of the program.
 */
public record JobResult(
        Verdict verdict,
        Integer exitCode,
        String signal,
        String stdout,
        String stderr,
        boolean stdoutTruncated,
        boolean stderrTruncated,
        Long wallTimeMs,
        Long cpuTimeMs,
        Long memoryKb,
        String message) {

    /** A result for a run that never got to execute the program properly because of our own fault. */
    public static JobResult internalError(String message) {
        return new JobResult(Verdict.INTERNAL_ERROR, null, null, "", "", false, false, null, null, null, message);
    }
}
