package io.codeexec.worker.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codeexec.common.job.Comparison;
import io.codeexec.common.job.JobRequest;
import io.codeexec.common.job.JobResult;
import io.codeexec.common.job.Limits;
import io.codeexec.common.job.TestCase;
import io.codeexec.common.job.TestResult;
import io.codeexec.common.job.Verdict;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one ladder, on records as the launcher writes them: a plain run and a graded test judged alike. */
class VerdictsTest {
    private static final String NONCE = "0123456789abcdef0123456789abcdef";
    private static final String TAG = "\u001eCODEEXEC " + NONCE + " ";
    private static final Limits LIMITS = new Limits(1000, 3000, 64, 10, 32, 1024);
    private static final JobRequest PLAIN = new JobRequest("python", "", "", List.of(), LIMITS);

    /** One test record; {@code over} is "cpu", "wall", "memory" or "" and {@code out} what it printed. */
    private static String run(int exit, int signal, String over, String out, long outTotal) {
        int outLen = out.getBytes(StandardCharsets.UTF_8).length;
        return TAG + "test=1 exit=" + exit + " signal=" + signal + " cpuMs=" + (over.equals("cpu") ? 1001 : 40)
                + " memoryKb=9000 wallMs=" + (over.equals("wall") ? 3001 : 50) + " timedOut=" + (over.equals("wall") ? 1 : 0)
                + " cpuExceeded=" + (over.equals("cpu") ? 1 : 0) + " memoryExceeded=" + (over.equals("memory") ? 1 : 0)
                + " outLen=" + outLen + " outTotal=" + outTotal + " errLen=2 errTotal=2\n" + out + "e\n";
    }

    private static LaunchRecords records(String... records) {
        LaunchRecords parsed = LaunchRecords.forPayload(NONCE, LIMITS.outputBytes());
        parsed.feed((String.join("", records) + TAG + "done\n").getBytes(StandardCharsets.UTF_8));
        assertNull(parsed.malformed(), parsed.malformed());
        return parsed;
    }

    private static JobResult plain(String record) {
        return Verdicts.judge(records(record), Launch.testsOf(PLAIN), PLAIN, false);
    }

    @Test
    void cleanRunIsOkWithTodaysShape() {
        JobResult result = plain(run(0, 0, "", "hi\n", 3));
        assertEquals(Verdict.OK, result.verdict());
        assertEquals("hi\n", result.stdout());
        assertEquals("e\n", result.stderr());
        assertEquals(0, result.exitCode());
        assertNull(result.signal());
        assertEquals(40L, result.cpuTimeMs());
        assertEquals(9000L, result.memoryKb());
        assertEquals(50L, result.wallTimeMs());
        assertNull(result.tests(), "a plain job has no per-test results");
    }

    @Test
    void theLadderInOrder() {
        assertEquals(Verdict.OUTPUT_LIMIT_EXCEEDED, plain(run(-1, 9, "memory", "0123456789", 11)).verdict(),
                "an output cap explains the kill first");
        assertEquals(Verdict.MEMORY_LIMIT_EXCEEDED, plain(run(-1, 9, "memory", "", 0)).verdict());
        JobResult cpu = plain(run(-1, 9, "cpu", "", 0));
        assertEquals(Verdict.TIME_LIMIT_EXCEEDED, cpu.verdict());
        assertTrue(cpu.message().startsWith("CPU"), cpu.message());
        JobResult wall = plain(run(-1, 9, "wall", "", 0));
        assertEquals(Verdict.TIME_LIMIT_EXCEEDED, wall.verdict());
        assertTrue(wall.message().startsWith("Wall"), wall.message());
        JobResult fsize = plain(run(-1, 25, "", "", 0));
        assertEquals(Verdict.RUNTIME_ERROR, fsize.verdict());
        assertTrue(fsize.message().contains("SIGXFSZ"), fsize.message());
        JobResult segv = plain(run(-1, 11, "", "", 0));
        assertEquals("SIGSEGV", segv.signal());
        assertNull(segv.exitCode());
        assertEquals(Verdict.RUNTIME_ERROR, plain(run(3, 0, "", "", 0)).verdict());
        assertTrue(plain(run(0, 0, "", "0123456789", 10)).verdict() == Verdict.OK, "exactly at the cap is fine");
    }

    @Test
    void gradedTestsUseTheSameLadderThenCompare() {
        JobRequest graded = new JobRequest("python", "", "", List.of(), LIMITS, null,
                List.of(new TestCase("a", "", "3", List.of()), new TestCase("b", "", "4", List.of()),
                        new TestCase("c", "", "5", List.of())), Comparison.TRIMMED, false, List.of());
        LaunchRecords records = records(run(0, 0, "", "3\n", 2), run(0, 0, "", "5\n", 2), run(-1, 9, "cpu", "", 0));
        JobResult result = Verdicts.judge(records, graded.tests(), graded, false);
        List<Verdict> verdicts = result.tests().stream().map(TestResult::verdict).toList();
        assertEquals(List.of(Verdict.ACCEPTED, Verdict.WRONG_ANSWER, Verdict.TIME_LIMIT_EXCEEDED), verdicts);
        assertEquals(Verdict.WRONG_ANSWER, result.verdict(), "the first failure names the job");
        assertEquals(1, result.passed());
        assertEquals(3, result.total());
    }

    @Test
    void stopOnFirstFailureSkipsTheRest() {
        JobRequest graded = new JobRequest("python", "", "", List.of(), LIMITS, null,
                List.of(new TestCase("a", "", "9", List.of()), new TestCase("b", "", "3", List.of())),
                Comparison.TRIMMED, true, List.of());
        JobResult result = Verdicts.judge(records(run(0, 0, "", "3\n", 2), run(0, 0, "", "3\n", 2)), graded.tests(), graded,
                false);
        assertEquals(Verdict.SKIPPED, result.tests().get(1).verdict());
    }

    @Test
    void failedCompileIsACompileErrorWithItsOutput() {
        String compile = TAG + "compile exit=1 signal=0 cpuMs=300 memoryKb=40000 wallMs=350 timedOut=0 cpuExceeded=0 "
                + "memoryExceeded=0 outLen=6 outTotal=6\nerror!";
        JobResult result = Verdicts.judge(records(compile), Launch.testsOf(PLAIN), PLAIN, false);
        assertEquals(Verdict.COMPILE_ERROR, result.verdict());
        assertEquals("error!", result.compileOutput());
        JobResult slow = Verdicts.judge(records(compile.replace("cpuExceeded=0", "cpuExceeded=1").replace("exit=1", "exit=-1")),
                Launch.testsOf(PLAIN), PLAIN, false);
        assertTrue(slow.message().contains("time limit"), slow.message());
    }

    @Test
    void workerDeadlineIsATimeLimitOnTheRunningTest() {
        LaunchRecords cut = LaunchRecords.forPayload(NONCE, 10);
        JobResult result = Verdicts.judge(cut, Launch.testsOf(PLAIN), PLAIN, true);
        assertEquals(Verdict.TIME_LIMIT_EXCEEDED, result.verdict());
        assertTrue(result.message().startsWith(Verdicts.WORKER_DEADLINE), result.message());
    }

    @Test
    void rawOutputOnlyWhenNotText() {
        assertNull(Verdicts.rawOutputIfNotText(records(run(0, 0, "", "ok", 2)), PLAIN));
        LaunchRecords binary = LaunchRecords.forPayload(NONCE, 10);
        binary.feed(bytesOf(TAG + "test=1 exit=0 signal=0 cpuMs=1 memoryKb=1 wallMs=1 timedOut=0 cpuExceeded=0 "
                + "memoryExceeded=0 outLen=2 outTotal=2 errLen=0 errTotal=0\n", new byte[] {(byte) 0xff, 0x41},
                TAG + "done\n"));
        assertNotNull(Verdicts.rawOutputIfNotText(binary, PLAIN));
    }

    private static byte[] bytesOf(String head, byte[] body, String tail) {
        byte[] h = head.getBytes(StandardCharsets.UTF_8);
        byte[] t = tail.getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[h.length + body.length + t.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        System.arraycopy(t, 0, all, h.length + body.length, t.length);
        return all;
    }
}
