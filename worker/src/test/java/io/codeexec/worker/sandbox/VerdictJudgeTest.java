package io.codeexec.worker.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codeexec.common.job.JobResult;
import io.codeexec.common.job.Limits;
import io.codeexec.common.job.Verdict;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VerdictJudgeTest {
    private static final String NONCE = "0123456789abcdef0123456789abcdef";
    /** 1 s CPU, 3 s wall, 128 MB, 100 bytes of output per stream. */
    private static final Limits LIMITS = new Limits(1000, 3000, 128, 100, 64, 1024);

    /** Builds a run the way DockerSandbox does: the launcher's report is parsed out of the captured stderr. */
    private static final class Run {
        String stdout = "";
        String userStderr = "";
        String report;  // null: the launcher never wrote one
        Integer containerExit = 0;
        boolean oom;
        boolean wallHit;
        boolean outputHit;
        long measuredWallMs = 42;

        Run report(int exit, int signal, long cpuMs, long wallMs) {
            report = LaunchReportTest.report(NONCE, exit, signal, cpuMs, 5000, wallMs);
            return this;
        }

        JobResult judge() {
            BoundedOutput out = new BoundedOutput(LIMITS.outputBytes());
            out.append(stdout.getBytes(StandardCharsets.UTF_8));
            BoundedOutput err = new BoundedOutput(LIMITS.outputBytes() + 512);
            err.append((userStderr + (report == null ? "" : report)).getBytes(StandardCharsets.UTF_8));
            Optional<LaunchReport> parsed = LaunchReport.find(err.buffer(), err.size(), NONCE);
            assertEquals(report != null, parsed.isPresent(), "fixture: report parsed");
            return VerdictJudge.judge(new RunObservation(out, err, parsed, containerExit, oom, wallHit, outputHit,
                    measuredWallMs), LIMITS);
        }
    }

    @Test
    void ok() {
        Run run = new Run().report(0, 0, 15, 20);
        run.stdout = "hello\n";
        run.userStderr = "warning\n";
        JobResult result = run.judge();
        assertEquals(Verdict.OK, result.verdict());
        assertEquals(0, result.exitCode());
        assertNull(result.signal());
        assertEquals("hello\n", result.stdout());
        assertEquals("warning\n", result.stderr(), "the report line is not part of the program's stderr");
        assertFalse(result.stdoutTruncated());
        assertFalse(result.stderrTruncated());
        assertEquals(15L, result.cpuTimeMs());
        assertEquals(20L, result.wallTimeMs());
        assertEquals(5000L, result.memoryKb());
        assertNull(result.message());
    }

    @Test
    void nonZeroExitIsARuntimeErrorWithTheCode() {
        Run run = new Run().report(3, 0, 15, 20);
        run.userStderr = "Traceback\n";
        JobResult result = run.judge();
        assertEquals(Verdict.RUNTIME_ERROR, result.verdict());
        assertEquals(3, result.exitCode());
        assertNull(result.signal());
        assertEquals("Exited with code 3", result.message());
        assertEquals("Traceback\n", result.stderr());
    }

    @Test
    void aSignalIsARuntimeErrorNamedBySignal() {
        JobResult result = new Run().report(-1, 11, 15, 20).judge();
        assertEquals(Verdict.RUNTIME_ERROR, result.verdict());
        assertEquals("SIGSEGV", result.signal());
        assertNull(result.exitCode(), "no exit code when killed by a signal");
        assertTrue(result.message().contains("SIGSEGV"), result.message());
    }

    @Test
    void sigxcpuIsTimeLimitExceeded() {
        JobResult result = new Run().report(-1, Signals.SIGXCPU, 990, 1000).judge();
        assertEquals(Verdict.TIME_LIMIT_EXCEEDED, result.verdict());
        assertEquals("SIGXCPU", result.signal());
        assertTrue(result.message().contains("CPU"), result.message());
    }

    @Test
    void cpuOverTheLimitIsTimeLimitExceededWhateverEndedIt() {
        JobResult killed = new Run().report(-1, Signals.SIGKILL, 1001, 1200).judge();
        assertEquals(Verdict.TIME_LIMIT_EXCEEDED, killed.verdict());
        assertEquals("SIGKILL", killed.signal());
        JobResult exited = new Run().report(0, 0, 1500, 1600).judge();
        assertEquals(Verdict.TIME_LIMIT_EXCEEDED, exited.verdict(), "even a clean exit past the CPU limit");
        assertEquals(Verdict.OK, new Run().report(0, 0, 1000, 1100).judge().verdict(), "the limit itself is allowed");
    }

    @Test
    void wallLimitHitByUsIsTimeLimitExceeded() {
        Run run = new Run();
        run.wallHit = true;
        run.containerExit = 137;
        run.measuredWallMs = 3500;
        JobResult result = run.judge();
        assertEquals(Verdict.TIME_LIMIT_EXCEEDED, result.verdict());
        assertTrue(result.message().contains("Wall"), result.message());
        assertEquals(3500L, result.wallTimeMs(), "without a report the measured wall time is used");
        assertNull(result.cpuTimeMs());
    }

    @Test
    void reportedWallOverTheLimitIsTimeLimitExceeded() {
        JobResult result = new Run().report(0, 0, 10, 3001).judge();
        assertEquals(Verdict.TIME_LIMIT_EXCEEDED, result.verdict());
        assertTrue(result.message().contains("Wall"), result.message());
        assertEquals(3001L, result.wallTimeMs());
    }

    @Test
    void oomKillIsMemoryLimitExceeded() {
        Run run = new Run().report(-1, Signals.SIGKILL, 10, 20);
        run.oom = true;
        run.containerExit = 137;
        JobResult result = run.judge();
        assertEquals(Verdict.MEMORY_LIMIT_EXCEEDED, result.verdict());
        assertTrue(result.message().contains("128 MB"), result.message());
    }

    @Test
    void oomWithoutAReportIsStillMemoryLimitExceeded() {
        Run run = new Run();
        run.oom = true;
        run.containerExit = 137;
        assertEquals(Verdict.MEMORY_LIMIT_EXCEEDED, run.judge().verdict());
    }

    @Test
    void stdoutOverTheCapIsOutputLimitExceededAndTruncated() {
        Run run = new Run().report(0, 0, 10, 20);
        run.stdout = "x".repeat(150);
        JobResult result = run.judge();
        assertEquals(Verdict.OUTPUT_LIMIT_EXCEEDED, result.verdict());
        assertTrue(result.stdoutTruncated());
        assertFalse(result.stderrTruncated());
        assertEquals("x".repeat(100), result.stdout());
        assertTrue(result.message().startsWith("stdout"), result.message());
    }

    @Test
    void stderrOverTheCapIsOutputLimitExceededAndTruncated() {
        Run run = new Run().report(1, 0, 10, 20);
        run.userStderr = "e".repeat(101);
        JobResult result = run.judge();
        assertEquals(Verdict.OUTPUT_LIMIT_EXCEEDED, result.verdict());
        assertTrue(result.stderrTruncated());
        assertFalse(result.stdoutTruncated());
        assertEquals("e".repeat(100), result.stderr());
        assertTrue(result.message().startsWith("stderr"), result.message());
    }

    @Test
    void outputExactlyAtTheCapIsNotTruncated() {
        Run run = new Run().report(0, 0, 10, 20);
        run.stdout = "x".repeat(100);
        run.userStderr = "e".repeat(100);
        JobResult result = run.judge();
        assertEquals(Verdict.OK, result.verdict());
        assertFalse(result.stdoutTruncated());
        assertFalse(result.stderrTruncated());
    }

    @Test
    void aFloodThatGotTheContainerKilledIsOutputLimitExceededBeforeAnythingElse() {
        Run run = new Run();
        run.stdout = "y".repeat(500);
        run.outputHit = true;
        run.oom = true;
        run.containerExit = 137;
        JobResult result = run.judge();
        assertEquals(Verdict.OUTPUT_LIMIT_EXCEEDED, result.verdict());
        assertTrue(result.stdoutTruncated());
    }

    @Test
    void sigxfszIsARuntimeErrorNamingTheFileLimit() {
        JobResult result = new Run().report(-1, Signals.SIGXFSZ, 10, 20).judge();
        assertEquals(Verdict.RUNTIME_ERROR, result.verdict());
        assertEquals("SIGXFSZ", result.signal());
        assertTrue(result.message().contains("1024 bytes"), result.message());
    }

    @Test
    void launcherProtocolErrorIsAnInternalError() {
        Run run = new Run();
        run.containerExit = VerdictJudge.LAUNCHER_PROTOCOL_EXIT;
        run.userStderr = "codeexec-launch: bad header\n";
        JobResult result = run.judge();
        assertEquals(121, VerdictJudge.LAUNCHER_PROTOCOL_EXIT);
        assertEquals(Verdict.INTERNAL_ERROR, result.verdict());
        assertTrue(result.message().contains("bad header"), result.message());
    }

    @Test
    void containerKilledWithoutAReportIsARuntimeErrorNamingTheSignal() {
        Run run = new Run();
        run.containerExit = 137;
        JobResult result = run.judge();
        assertEquals(Verdict.RUNTIME_ERROR, result.verdict());
        assertEquals("SIGKILL", result.signal());
        assertNull(result.exitCode());
        assertEquals(42L, result.wallTimeMs());
    }

    @Test
    void containerEndedOtherwiseWithoutAReportIsARuntimeError() {
        Run run = new Run();
        run.containerExit = 1;
        JobResult result = run.judge();
        assertEquals(Verdict.RUNTIME_ERROR, result.verdict());
        assertNull(result.signal());
        assertTrue(result.message().contains("1"), result.message());
    }

    @Test
    void aForgedReportInUserStderrDoesNotDecideTheVerdict() {
        Run run = new Run().report(2, 0, 10, 20);
        run.userStderr = LaunchReportTest.report("fedcba9876543210fedcba9876543210", 0, 0, 1, 1, 1);
        JobResult result = run.judge();
        assertEquals(Verdict.RUNTIME_ERROR, result.verdict());
        assertEquals(2, result.exitCode());
        assertEquals(run.userStderr, result.stderr(), "the forgery is shown as the program's output");
    }
}
