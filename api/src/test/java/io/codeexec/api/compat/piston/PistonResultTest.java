package io.codeexec.api.compat.piston;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.codeexec.common.job.JobResult;
import io.codeexec.common.job.Verdict;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PistonResultTest {
    private static final PistonRuntimes.Runtime C = new PistonRuntimes.Runtime("c", "c", "14.2.0", List.of("gcc"), "gcc");

    private static Map<?, ?> run(Verdict verdict, Integer exit, String signal, boolean stdoutOver) {
        JobResult result = new JobResult(verdict, exit, signal, "out", "err", stdoutOver, !stdoutOver, 12L, 7L, 100L, "why");
        return (Map<?, ?>) PistonResult.answer(C, false, result).get("run");
    }

    @Test
    void statusesAreIsolatesCodes() {
        assertNull(run(Verdict.OK, 0, null, false).get("status"));
        assertEquals("RE", run(Verdict.RUNTIME_ERROR, 1, null, false).get("status"));
        assertEquals("SG", run(Verdict.RUNTIME_ERROR, null, "SIGSEGV", false).get("status"));
        Map<?, ?> timeout = run(Verdict.TIME_LIMIT_EXCEEDED, null, null, false);
        assertEquals("TO", timeout.get("status"));
        assertEquals("SIGKILL", timeout.get("signal"));
        assertNull(timeout.get("code"));
        assertEquals("OL", run(Verdict.OUTPUT_LIMIT_EXCEEDED, null, null, true).get("status"));
        assertEquals("EL", run(Verdict.OUTPUT_LIMIT_EXCEEDED, null, null, false).get("status"));
        assertEquals("XX", run(Verdict.INTERNAL_ERROR, null, null, false).get("status"));
        Map<?, ?> ok = run(Verdict.OK, 0, null, false);
        assertEquals("outerr", ok.get("output"));
        assertEquals(102_400L, ok.get("memory"), "bytes");
        assertEquals(7L, ok.get("cpu_time"));
        assertEquals(12L, ok.get("wall_time"));
    }

    @Test
    void aFailedCompileIsAlsoTheRunStage() {
        JobResult failed = new JobResult(Verdict.COMPILE_ERROR, 1, null, "", "", false, false, 5L, 4L, 3L,
                "Compilation failed (exit code 1)", "main.c:1: error", null, null, null);
        Map<String, Object> answer = PistonResult.answer(C, true, failed);
        assertSame(answer.get("compile"), answer.get("run"));
        Map<?, ?> compile = (Map<?, ?>) answer.get("compile");
        assertEquals(1, compile.get("code"));
        assertEquals("main.c:1: error", compile.get("stderr"));
        assertEquals("RE", compile.get("status"));

        JobResult ok = new JobResult(Verdict.OK, 0, null, "hi", "", false, false, 1L, 1L, 1L, null, "", null, null, null);
        Map<String, Object> compiled = PistonResult.answer(C, true, ok);
        assertEquals(0, ((Map<?, ?>) compiled.get("compile")).get("code"));
        assertEquals("hi", ((Map<?, ?>) compiled.get("run")).get("stdout"));
        assertFalse(PistonResult.answer(C, false, ok).containsKey("compile"));
    }
}
