package io.codeexec.common.job;

/**
 * How long a job may take: the one place that answers it. The worker kills its own run at
 * {@link #maxRunMs}; the launcher gets the per-run limits; the lease (not this number) decides whether a
 * job is stuck. Nothing else may compute a job's deadline.
 * 1. a compiled job compiles once, with a wall clock of twice its compile CPU limit;
 * 2. every run (a plain job is one run; a graded job one per test) gets its wall clock plus the inner
 *    sandbox's setup and teardown;
 * 3. on top: acquiring a sandbox host (starting one when none is warm) and storing the result.
 */
public final class JobBudget {
    /** Inner sandbox setup (namespaces, mounts, seccomp) and teardown around each run. */
    public static final long PER_RUN_SETUP_MS = 250;
    /** Starting a sandbox host when none is warm, plus the engine's answer times. */
    public static final long SANDBOX_ACQUIRE_MS = 15_000;
    /** Reading the report, judging and storing the result. */
    public static final long FINISH_MS = 5_000;
    /** The compile step's wall clock is this many times its CPU limit (compilers wait on disk too). */
    public static final long COMPILE_WALL_FACTOR = 2;

    private JobBudget() {}

    /** Wall-clock allowance of the compile step. */
    public static long compileWallMs(Limits limits) {
        return COMPILE_WALL_FACTOR * limits.compileTimeMs();
    }

    /** How many runs the job makes: one per test, or one for a plain job. */
    public static int runCount(JobRequest request) {
        return Math.max(1, request.tests().size());
    }

    /** The longest the launcher may spend on the job: compile (if any) and every run, setup included. */
    public static long launcherMs(JobRequest request, boolean compiled) {
        Limits limits = request.limits();
        long compile = compiled ? compileWallMs(limits) + PER_RUN_SETUP_MS : 0;
        return compile + (long) runCount(request) * (limits.wallTimeMs() + PER_RUN_SETUP_MS);
    }

    /** The longest a worker may hold the job, from claim to stored result; past it the worker kills the run. */
    public static long maxRunMs(JobRequest request, boolean compiled) {
        return SANDBOX_ACQUIRE_MS + launcherMs(request, compiled) + FINISH_MS;
    }
}
