package io.codeexec.common.job;

/**
 * How many bytes a job's stored result may take at worst: the one place that answers it. The API
 * rejects a job whose worst case passes MAX_RESULT_BYTES (see LimitPolicy), so a worker never has to
 * hold or store more than that, whatever the program prints.
 * 1. every run (a plain job is one run, a graded job one per test) keeps up to outputBytes of stdout
 *    and as much of stderr;
 * 2. a compiled job also keeps the compiler's output, cut at {@link #COMPILE_OUTPUT_BYTES}.
 */
public final class ResultBudget {
    /** The compiler's output kept in a result (stdout and stderr together); the launcher cuts it there too. */
    public static final int COMPILE_OUTPUT_BYTES = 64 * 1024;

    private ResultBudget() {}

    /** Worst-case bytes of output kept for a job with these limits, this many tests, compiled or not. */
    public static long worstCaseBytes(Limits limits, int tests, boolean compiled) {
        long runs = Math.max(1, tests);
        return runs * 2 * limits.outputBytes() + (compiled ? COMPILE_OUTPUT_BYTES : 0);
    }
}
