package io.codeexec.api.auth;

import io.codeexec.common.config.LimitPolicy;
import io.codeexec.common.job.InvalidSubmissionException;
import io.codeexec.common.job.Limits;
import io.codeexec.common.tenant.Plan;

/**
 * What a tenant's plan does to one submission before it is queued: the per-job limit maxima become
 * min(server maximum, plan maximum), each default at most that (so a job that asks nothing still fits the
 * plan), and a job may carry at most maxTestsPerJob tests (400 too_many_tests naming "tests"). A plan field
 * ≤ 0, or no plan, leaves the server's own limit.
 */
public final class PlanLimits {
    private PlanLimits() {}

    /** The server's policy narrowed to the plan's maxLimits. */
    public static LimitPolicy policy(LimitPolicy server, Plan plan) {
        if (plan == null || plan.maxLimits() == null) {
            return server;
        }
        Limits p = plan.maxLimits();
        Limits s = server.maxima();
        Limits maxima = new Limits(min(s.timeMs(), p.timeMs()), min(s.wallTimeMs(), p.wallTimeMs()),
                min(s.memoryMb(), p.memoryMb()), min(s.outputBytes(), p.outputBytes()), min(s.processes(), p.processes()),
                min(s.fileBytes(), p.fileBytes()), min(s.compileTimeMs(), p.compileTimeMs()),
                min(s.compileMemoryMb(), p.compileMemoryMb()));
        Limits d = server.defaults();
        Limits defaults = new Limits(Math.min(d.timeMs(), maxima.timeMs()), Math.min(d.wallTimeMs(), maxima.wallTimeMs()),
                Math.min(d.memoryMb(), maxima.memoryMb()), Math.min(d.outputBytes(), maxima.outputBytes()),
                Math.min(d.processes(), maxima.processes()), Math.min(d.fileBytes(), maxima.fileBytes()),
                Math.min(d.compileTimeMs(), maxima.compileTimeMs()), Math.min(d.compileMemoryMb(), maxima.compileMemoryMb()));
        return new LimitPolicy(defaults, maxima, server.maxResultBytes());
    }

    /** Rejects a job with more tests than the plan allows. */
    public static void checkTests(Plan plan, int tests) {
        if (plan != null && plan.maxTestsPerJob() > 0 && tests > plan.maxTestsPerJob()) {
            throw new InvalidSubmissionException("too_many_tests", "tests",
                    "tests has " + tests + " items but your plan allows at most " + plan.maxTestsPerJob() + " per job");
        }
    }

    private static int min(int server, int plan) {
        return plan > 0 ? Math.min(server, plan) : server;
    }

    private static long min(long server, long plan) {
        return plan > 0 ? Math.min(server, plan) : server;
    }
}
