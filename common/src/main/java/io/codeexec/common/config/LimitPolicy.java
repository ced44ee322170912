package io.codeexec.common.config;

import io.codeexec.common.job.InvalidSubmissionException;
import io.codeexec.common.job.Limits;
import io.codeexec.common.job.LimitsRequest;
import io.codeexec.common.job.ResultBudget;

/**
 * Every per-job limit's default and server-side maximum, and the one place that turns what a client
 * asked for into the limits a job runs under. A request above a maximum is rejected, never clamped.
 * {@code maxResultBytes} bounds a job's worst-case stored output (see {@link ResultBudget}).
 */
public record LimitPolicy(Limits defaults, Limits maxima, long maxResultBytes) {
    public static final int MIB = 1024 * 1024;
    public static final long DEFAULT_MAX_RESULT_BYTES = 16L * MIB;

    public static LimitPolicy fromEnv(Env env) {
        int maxTime = env.integer("MAX_TIME_MS", 15_000, 100, 600_000);
        int maxWall = env.integer("MAX_WALL_TIME_MS", 30_000, 100, 3_600_000);
        int maxMemory = env.integer("MAX_MEMORY_MB", 1024, 16, 65_536);
        int maxOutput = env.integer("MAX_OUTPUT_BYTES", 8 * MIB, 1024, 256 * MIB);
        int maxProcesses = env.integer("MAX_PROCESSES", 256, 8, 32_768);
        long maxFile = env.number("MAX_FILE_BYTES", 64L * MIB, 0, 1024L * MIB);
        int maxCompileTime = env.integer("MAX_COMPILE_TIME_MS", 30_000, 1000, 600_000);
        int maxCompileMemory = env.integer("MAX_COMPILE_MEMORY_MB", 2048, 64, 65_536);
        Limits maxima = new Limits(maxTime, maxWall, maxMemory, maxOutput, maxProcesses, maxFile, maxCompileTime,
                maxCompileMemory);

        int time = env.integer("DEFAULT_TIME_MS", 3000, 100, maxTime);
        int wall = env.integer("DEFAULT_WALL_TIME_MS", Math.min(2 * time + 1000, maxWall), 100, maxWall);
        Limits defaults = new Limits(time, wall,
                env.integer("DEFAULT_MEMORY_MB", 128, 16, maxMemory),
                env.integer("DEFAULT_OUTPUT_BYTES", 64 * 1024, 1024, maxOutput),
                env.integer("DEFAULT_PROCESSES", 64, 8, maxProcesses),
                env.number("DEFAULT_FILE_BYTES", MIB, 0, maxFile),
                env.integer("DEFAULT_COMPILE_TIME_MS", Math.min(Limits.DEFAULT_COMPILE_TIME_MS, maxCompileTime), 1000, maxCompileTime),
                env.integer("DEFAULT_COMPILE_MEMORY_MB", Math.min(Limits.DEFAULT_COMPILE_MEMORY_MB, maxCompileMemory), 64, maxCompileMemory));
        long maxResult = env.number("MAX_RESULT_BYTES", DEFAULT_MAX_RESULT_BYTES, MIB, 256L * MIB);
        return new LimitPolicy(defaults, maxima, maxResult);
    }

    public static LimitPolicy standard() {
        return fromEnv(new Env(java.util.Map.of()));
    }

    /** Resolves a request: absent fields take defaults, the wall clock defaults to 2 × time + 1 s. */
    public Limits resolve(LimitsRequest requested) {
        LimitsRequest r = requested == null ? LimitsRequest.NONE : requested;
        int time = pick("timeMs", r.timeMs(), defaults.timeMs(), 1, maxima.timeMs());
        int wallDefault = r.timeMs() == null ? defaults.wallTimeMs() : Math.min(2 * time + 1000, maxima.wallTimeMs());
        int wall = pick("wallTimeMs", r.wallTimeMs(), wallDefault, 1, maxima.wallTimeMs());
        return new Limits(time, wall,
                pick("memoryMb", r.memoryMb(), defaults.memoryMb(), 16, maxima.memoryMb()),
                pick("outputBytes", r.outputBytes(), defaults.outputBytes(), 1, maxima.outputBytes()),
                pick("processes", r.processes(), defaults.processes(), 8, maxima.processes()),
                pick("fileBytes", r.fileBytes(), defaults.fileBytes(), 0, maxima.fileBytes()),
                pick("compileTimeMs", r.compileTimeMs(), defaults.compileTimeMs(), 1000, maxima.compileTimeMs()),
                pick("compileMemoryMb", r.compileMemoryMb(), defaults.compileMemoryMb(), 64, maxima.compileMemoryMb()));
    }

    /**
     * Resolves the limits of a job with this many tests: as {@link #resolve(LimitsRequest)}, then an
     * outputBytes the client did not ask for shrinks to the largest value that keeps the job within
     * maxResultBytes (so a default never makes a job unacceptable); one it asked for is checked.
     */
    public Limits resolve(LimitsRequest requested, int tests, boolean compiled) {
        Limits limits = resolve(requested);
        if (requested == null || requested.outputBytes() == null) {
            int output = (int) Math.max(1, Math.min(limits.outputBytes(), fittingOutputBytes(tests, compiled)));
            limits = new Limits(limits.timeMs(), limits.wallTimeMs(), limits.memoryMb(), output, limits.processes(),
                    limits.fileBytes(), limits.compileTimeMs(), limits.compileMemoryMb());
        }
        checkResultBytes(limits, tests, compiled);
        return limits;
    }

    /** The largest outputBytes with which a job of this many tests stays within maxResultBytes. */
    private long fittingOutputBytes(int tests, boolean compiled) {
        long compileBytes = compiled ? ResultBudget.COMPILE_OUTPUT_BYTES : 0;
        return Math.max(0, (maxResultBytes - compileBytes) / (2L * Math.max(1, tests)));
    }

    /**
     * Rejects a job whose worst-case output (every run's stdout and stderr at limits.outputBytes, plus the
     * compiler's output) passes maxResultBytes. The error names tests when one run alone would fit (too many
     * tests for this outputBytes), else limits.outputBytes; the message gives the largest outputBytes that fits.
     */
    public void checkResultBytes(Limits limits, int tests, boolean compiled) {
        long worst = ResultBudget.worstCaseBytes(limits, tests, compiled);
        if (worst <= maxResultBytes) {
            return;
        }
        int runs = Math.max(1, tests);
        long compileBytes = compiled ? ResultBudget.COMPILE_OUTPUT_BYTES : 0;
        boolean oneRunFits = ResultBudget.worstCaseBytes(limits, 1, compiled) <= maxResultBytes;
        String field = runs > 1 && oneRunFits ? "tests" : "limits.outputBytes";
        long fittingOutput = fittingOutputBytes(tests, compiled);
        throw new InvalidSubmissionException("result_too_large", field,
                "The result could reach " + worst + " bytes (" + runs + (runs == 1 ? " run" : " runs")
                        + " × stdout and stderr of limits.outputBytes " + limits.outputBytes()
                        + (compiled ? " + " + compileBytes + " bytes of compiler output" : "")
                        + "), above the server maximum of " + maxResultBytes + " bytes; lower limits.outputBytes to at most "
                        + fittingOutput + (runs > 1 ? " or use fewer tests" : ""));
    }

    private static int pick(String field, Integer requested, int fallback, int min, int max) {
        return (int) pick(field, requested == null ? null : requested.longValue(), (long) fallback, min, max);
    }

    private static long pick(String field, Long requested, long fallback, long min, long max) {
        if (requested == null) {
            return fallback;
        }
        String path = "limits." + field;
        if (requested > max) {
            throw new InvalidSubmissionException("limit_too_high", path,
                    path + " is " + requested + " but the server maximum is " + max);
        }
        if (requested < min) {
            throw new InvalidSubmissionException("limit_too_low", path,
                    path + " is " + requested + " but must be at least " + min);
        }
        return requested;
    }
}
