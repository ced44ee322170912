package io.codeexec.common.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobBudgetTest {
    private static final Limits LIMITS = new Limits(3000, 7000, 128, 65536, 64, 1 << 20, 10_000, 512);

    @Test
    void aPlainJobIsOneRun() {
        JobRequest plain = new JobRequest("python", "print(1)", "", List.of(), LIMITS);
        assertEquals(1, JobBudget.runCount(plain));
        assertEquals(7000 + JobBudget.PER_RUN_SETUP_MS, JobBudget.launcherMs(plain, false));
    }

    @Test
    void aGradedJobGetsEveryTestsWallClockAndTheCompileStep() {
        List<TestCase> tests = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            tests.add(new TestCase("t" + i, "", "", List.of()));
        }
        JobRequest graded = new JobRequest("java", "class Main {}", "", List.of(), LIMITS, null, tests,
                Comparison.TRIMMED, false, List.of());
        long launcher = JobBudget.launcherMs(graded, true);
        assertEquals(20_000 + JobBudget.PER_RUN_SETUP_MS + 12 * (7000 + JobBudget.PER_RUN_SETUP_MS), launcher);
        assertEquals(launcher + JobBudget.SANDBOX_ACQUIRE_MS + JobBudget.FINISH_MS, JobBudget.maxRunMs(graded, true));
        assertTrue(JobBudget.maxRunMs(graded, true) > 12 * 6000, "12 tests of 6 s each fit in the budget");
    }
}
