package io.codeexec.common.job;

/**
 * The resolved limits a job runs under (every field set; see {@link io.codeexec.common.config.LimitPolicy}).
 * With tests, the run limits apply to each test; the compile limits apply to the compile step.
 *
 * @param timeMs      CPU time of the program
 * @param wallTimeMs  wall-clock time of the program, after which its container is killed
 * @param memoryMb    memory of the container (swap is set equal, so none is usable)
 * @param outputBytes cap on each of stdout and stderr
 * @param processes   pids cgroup limit of the container
 * @param fileBytes   largest file the program may write (RLIMIT_FSIZE)
 * @param compileTimeMs   CPU time of the compile step (compiled languages)
 * @param compileMemoryMb memory of the container while compiling (it gets the larger of the two)
 */
public record Limits(int timeMs, int wallTimeMs, int memoryMb, int outputBytes, int processes, long fileBytes,
                     int compileTimeMs, int compileMemoryMb) {
    public static final int DEFAULT_COMPILE_TIME_MS = 10_000;
    public static final int DEFAULT_COMPILE_MEMORY_MB = 512;

    public Limits(int timeMs, int wallTimeMs, int memoryMb, int outputBytes, int processes, long fileBytes) {
        this(timeMs, wallTimeMs, memoryMb, outputBytes, processes, fileBytes, DEFAULT_COMPILE_TIME_MS,
                DEFAULT_COMPILE_MEMORY_MB);
    }
}
