package io.codeexec.api.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.codeexec.common.config.LimitPolicy;
import io.codeexec.common.job.InvalidSubmissionException;
import io.codeexec.common.job.Limits;
import io.codeexec.common.job.LimitsRequest;
import io.codeexec.common.tenant.Plan;
import org.junit.jupiter.api.Test;

// A plan narrows the server's limit policy: lower maxima, defaults that still fit, fewer tests.
class PlanLimitsTest {
    private static final LimitPolicy SERVER = LimitPolicy.standard();

    @Test
    void noPlanOrNoMaxLimitsLeavesTheServersPolicy() {
        assertSame(SERVER, PlanLimits.policy(SERVER, null));
        assertSame(SERVER, PlanLimits.policy(SERVER, new Plan(1, 1, 1, 1, null)));
    }

    @Test
    void planMaximaLowerTheServersAndPullDefaultsDown() {
        Plan plan = new Plan(0, 0, 0, 0, new Limits(1000, 0, 64, 0, 0, 0, 0, 0));
        LimitPolicy narrowed = PlanLimits.policy(SERVER, plan);
        assertEquals(1000, narrowed.maxima().timeMs());
        assertEquals(64, narrowed.maxima().memoryMb());
        assertEquals(SERVER.maxima().wallTimeMs(), narrowed.maxima().wallTimeMs(), "0: the server's maximum");
        Limits defaults = narrowed.resolve(LimitsRequest.NONE);
        assertEquals(1000, defaults.timeMs(), "the server default of 3000 ms does not fit the plan");
        assertEquals(64, defaults.memoryMb());
        InvalidSubmissionException tooMuch = assertThrows(InvalidSubmissionException.class,
                () -> narrowed.resolve(new LimitsRequest(null, null, 65, null, null, null)));
        assertEquals("limits.memoryMb", tooMuch.field());
        assertEquals(SERVER.maxima().memoryMb(), SERVER.resolve(new LimitsRequest(null, null, 1024, null, null, null)).memoryMb());
    }

    @Test
    void testsPerJobAreCappedByThePlan() {
        PlanLimits.checkTests(null, 500);
        PlanLimits.checkTests(new Plan(0, 0, 0, 0, null), 500);
        PlanLimits.checkTests(new Plan(0, 0, 0, 3, null), 3);
        InvalidSubmissionException e = assertThrows(InvalidSubmissionException.class,
                () -> PlanLimits.checkTests(new Plan(0, 0, 0, 3, null), 4));
        assertEquals("tests", e.field());
        assertEquals("too_many_tests", e.code());
    }
}
