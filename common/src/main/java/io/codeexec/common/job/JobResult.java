package io.codeexec.common.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The outcome of a run. {@code signal} is a name such as "SIGKILL" or null; times are milliseconds;
 * {@code memoryKb} is the peak memory. Jobs with tests also carry {@code tests}, {@code passed} and
 * {@code total}; compiled languages carry the compiler's output in {@code compileOutput}.
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
        String message,
        @JsonInclude(JsonInclude.Include.NON_NULL) String compileOutput,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<TestResult> tests,
        @JsonInclude(JsonInclude.Include.NON_NULL) Integer passed,
        @JsonInclude(JsonInclude.Include.NON_NULL) Integer total) {

    public JobResult(Verdict verdict, Integer exitCode, String signal, String stdout, String stderr,
                     boolean stdoutTruncated, boolean stderrTruncated, Long wallTimeMs, Long cpuTimeMs,
                     Long memoryKb, String message) {
        this(verdict, exitCode, signal, stdout, stderr, stdoutTruncated, stderrTruncated, wallTimeMs, cpuTimeMs,
                memoryKb, message, null, null, null, null);
    }

    /** The same result with the compiler's output attached (null leaves it out). */
    public JobResult withCompileOutput(String output) {
        return new JobResult(verdict, exitCode, signal, stdout, stderr, stdoutTruncated, stderrTruncated, wallTimeMs,
                cpuTimeMs, memoryKb, message, output, tests, passed, total);
    }

    /** A result for a run that never got to execute the program properly because of our own fault. */
    public static JobResult internalError(String message) {
        return new JobResult(Verdict.INTERNAL_ERROR, null, null, "", "", false, false, null, null, null, message);
    }
}
