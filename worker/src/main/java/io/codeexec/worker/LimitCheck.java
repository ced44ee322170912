package io.codeexec.worker;

import io.codeexec.common.job.Limits;
import java.util.Optional;

/**
 * Re-checks a stored job's limits against this worker's maxima before it runs: the API validated them,
 * but Redis is not a trust boundary, and a worker may be configured tighter than the API.
 */
final class LimitCheck {
    private LimitCheck() {}

    /** The first limit over this worker's maximum, named with both values; empty when all fit. */
    static Optional<String> exceeded(Limits job, Limits max) {
        if (job == null) {
            return Optional.of("the job has no limits");
        }
        return first(
                over("timeMs", job.timeMs(), max.timeMs()),
                over("wallTimeMs", job.wallTimeMs(), max.wallTimeMs()),
                over("memoryMb", job.memoryMb(), max.memoryMb()),
                over("outputBytes", job.outputBytes(), max.outputBytes()),
                over("processes", job.processes(), max.processes()),
                over("fileBytes", job.fileBytes(), max.fileBytes()),
                over("compileTimeMs", job.compileTimeMs(), max.compileTimeMs()),
                over("compileMemoryMb", job.compileMemoryMb(), max.compileMemoryMb()));
    }

    private static String over(String field, long value, long max) {
        return value > max || value < 0 ? "limit " + field + " = " + value + " is outside this worker's maximum " + max : null;
    }

    private static Optional<String> first(String... problems) {
        for (String problem : problems) {
            if (problem != null) {
                return Optional.of(problem);
            }
        }
        return Optional.empty();
    }
}
