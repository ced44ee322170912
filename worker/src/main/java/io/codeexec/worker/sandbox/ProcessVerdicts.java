package io.codeexec.worker.sandbox;

import io.codeexec.common.job.Limits;
import io.codeexec.common.job.Verdict;

/**
 * The one ladder by which a program's run is judged, for single runs and for each test alike:
 * first the limits we enforced (output, memory, wall clock), then how the process ended (CPU time,
 * file size, a signal, a non-zero exit). Each step returns null when it has nothing to say.
 */
final class ProcessVerdicts {
    /** A verdict and the sentence that explains it. */
    record Judgement(Verdict verdict, String message) {}

    private ProcessVerdicts() {}

    /** A limit the run hit: an output cap, the memory limit, or the wall clock. */
    static Judgement limitHit(Limits limits, boolean outputOver, boolean stdoutOver, boolean outOfMemory, boolean wallHit) {
        if (outputOver) {
            return new Judgement(Verdict.OUTPUT_LIMIT_EXCEEDED,
                    (stdoutOver ? "stdout" : "stderr") + " passed the limit of " + limits.outputBytes() + " bytes");
        }
        if (outOfMemory) {
            return new Judgement(Verdict.MEMORY_LIMIT_EXCEEDED, "The memory limit of " + limits.memoryMb() + " MB was exceeded");
        }
        if (wallHit) {
            return new Judgement(Verdict.TIME_LIMIT_EXCEEDED, "Wall-clock limit of " + limits.wallTimeMs() + " ms exceeded");
        }
        return null;
    }

    /** How a process that stayed within those limits ended; null for a clean exit 0. */
    static Judgement ending(Limits limits, int signal, long cpuMs, int exitCode) {
        if (signal == Signals.SIGXCPU || cpuMs > limits.timeMs()) {
            return new Judgement(Verdict.TIME_LIMIT_EXCEEDED, "CPU time limit of " + limits.timeMs() + " ms exceeded");
        }
        if (signal == Signals.SIGXFSZ) {
            return new Judgement(Verdict.RUNTIME_ERROR, "File size limit of " + limits.fileBytes() + " bytes exceeded (SIGXFSZ)");
        }
        if (signal != 0) {
            return new Judgement(Verdict.RUNTIME_ERROR, "Killed by " + Signals.name(signal));
        }
        if (exitCode != 0) {
            return new Judgement(Verdict.RUNTIME_ERROR, "Exited with code " + exitCode);
        }
        return null;
    }
}
