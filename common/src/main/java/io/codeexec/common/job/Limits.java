package io.codeexec.common.job;

/**
 * The resolved limits a job runs under (every field set; see {@link io.codeexec.common.config.LimitPolicy}).
 *
 * @param timeMs      CPU time of the program
 * @param wallTimeMs  wall-clock time of the program, after which its container is killed
 * @param memoryMb    memory of the container (swap is set equal, so none is usable)
 * @param outputBytes cap on each of stdout and stderr
 * @param processes   pids cgroup limit of the container
 * @param fileBytes   largest file the program may write (RLIMIT_FSIZE)
 */
public record Limits(int timeMs, int wallTimeMs, int memoryMb, int outputBytes, int processes, long fileBytes) {}
