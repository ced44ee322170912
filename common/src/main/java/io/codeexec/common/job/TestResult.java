package io.codeexec.common.job;

/** The outcome of one test of a grading job. */
public record TestResult(
        String name,
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
        String message) {}
