package io.codeexec.common.compat.judge0;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.codeexec.common.job.Job;
import io.codeexec.common.job.JobResult;
import io.codeexec.common.job.JobStatus;
import io.codeexec.common.job.RawOutput;
import io.codeexec.common.job.TestResult;
import io.codeexec.common.job.Verdict;
import io.codeexec.common.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class Judge0SubmissionTest {
    private static Job job(JobStatus status, JobResult result) {
        Instant t = Instant.parse("2026-11-26T12:00:00Z");
        return new Job("0123456789abcdef0123456789abcdef", status, "python", t, t, t, result);
    }

    private static JobResult result(Verdict verdict, Integer exit, String signal) {
        return new JobResult(verdict, exit, signal, "out\n", "", false, false, 40L, 31L, 9120L, "why");
    }

    private static int status(Verdict verdict, Integer exit, String signal) {
        return Judge0Status.of(job(JobStatus.COMPLETED, result(verdict, exit, signal))).id;
    }

    @Test
    void verdictsAndSignalsMapToJudge0StatusIds() {
        assertEquals(1, Judge0Status.of(job(JobStatus.QUEUED, null)).id);
        assertEquals(2, Judge0Status.of(job(JobStatus.RUNNING, null)).id);
        assertEquals(3, status(Verdict.OK, 0, null));
        assertEquals(3, status(Verdict.ACCEPTED, 0, null));
        assertEquals(4, status(Verdict.WRONG_ANSWER, 0, null));
        assertEquals(5, status(Verdict.TIME_LIMIT_EXCEEDED, null, "SIGKILL"));
        assertEquals(6, status(Verdict.COMPILE_ERROR, 1, null));
        assertEquals(7, status(Verdict.RUNTIME_ERROR, null, "SIGSEGV"));
        assertEquals(8, status(Verdict.RUNTIME_ERROR, null, "SIGXFSZ"));
        assertEquals(9, status(Verdict.RUNTIME_ERROR, null, "SIGFPE"));
        assertEquals(10, status(Verdict.RUNTIME_ERROR, null, "SIGABRT"));
        assertEquals(11, status(Verdict.RUNTIME_ERROR, 1, null));
        assertEquals(12, status(Verdict.RUNTIME_ERROR, null, "SIGBUS"));
        assertEquals(12, status(Verdict.MEMORY_LIMIT_EXCEEDED, null, "SIGKILL"));
        assertEquals(8, status(Verdict.OUTPUT_LIMIT_EXCEEDED, null, null));
        assertEquals(13, status(Verdict.INTERNAL_ERROR, null, null));
        assertEquals(13, Judge0Status.of(job(JobStatus.CANCELLED, null)).id);
    }

    @Test
    void defaultFieldsInJudge0Units() {
        Map<String, Object> s = Judge0Submission.render(job(JobStatus.COMPLETED, result(Verdict.RUNTIME_ERROR, null, "SIGSEGV")),
                null, Optional.empty(), Judge0Submission.ALL_FIELDS, false, Map.of("id", 71, "name", "Python (3.13.5)"));
        assertEquals("0.031", s.get("time"));
        assertEquals("0.04", s.get("wall_time"));
        assertEquals(9120L, s.get("memory"));
        assertEquals("out\n", s.get("stdout"));
        assertNull(s.get("stderr"), "empty output is null, as in Judge0");
        assertEquals(11, s.get("exit_signal"));
        assertEquals(7, s.get("status_id"));
        assertEquals(Map.of("id", 7, "description", "Runtime Error (SIGSEGV)"), s.get("status"));
        assertEquals(71, s.get("language_id"));
    }

    @Test
    void aCompilationErrorReportsOnlyTheCompilerOutput() {
        JobResult failed = new JobResult(Verdict.COMPILE_ERROR, 1, null, "", "", false, false, 5L, 4L, 3L,
                "Compilation failed (exit code 1)", "main.c:1: error", null, null, null);
        Map<String, Object> s = Judge0Submission.render(job(JobStatus.COMPLETED, failed), null, Optional.empty(),
                Judge0Submission.DEFAULT_FIELDS, false, null);
        assertEquals("main.c:1: error", s.get("compile_output"));
        assertNull(s.get("time"));
        assertNull(s.get("memory"));
        assertNull(s.get("message"));
        assertEquals(6, ((Map<?, ?>) s.get("status")).get("id"));
    }

    @Test
    void theOneTestOfAnExpectedOutputIsTheRun() {
        TestResult test = new TestResult("judge0", Verdict.WRONG_ANSWER, 0, null, "no\n", "", false, false, 5L, 4L, 3L, "differs");
        JobResult graded = new JobResult(Verdict.WRONG_ANSWER, null, null, "", "", false, false, 5L, 4L, 3L, "0 of 1",
                null, List.of(test), 0, 1);
        Map<String, Object> s = Judge0Submission.render(job(JobStatus.COMPLETED, graded), null, Optional.empty(),
                Judge0Submission.DEFAULT_FIELDS, false, null);
        assertEquals(List.copyOf(Judge0Submission.DEFAULT_FIELDS), List.copyOf(s.keySet()));
        assertEquals("no\n", s.get("stdout"));
        assertEquals("differs", s.get("message"));
        assertEquals(4, ((Map<?, ?>) s.get("status")).get("id"));
    }

    @Test
    void base64IsRubysEncode64AndBadUtf8NeedsIt() {
        assertEquals("aGk=\n", Judge0Submission.encode64("hi".getBytes(StandardCharsets.UTF_8)));
        String long64 = Judge0Submission.encode64(new byte[90]);
        assertEquals(61, long64.indexOf('\n') + 1, "60 characters a line");
        Job done = job(JobStatus.COMPLETED, result(Verdict.OK, 0, null));
        Optional<RawOutput> raw = Optional.of(new RawOutput(new byte[] {(byte) 0xfe}, new byte[0]));
        assertThrows(Judge0Submission.NotUtf8.class, () -> Judge0Submission.render(done, null, raw,
                Judge0Submission.DEFAULT_FIELDS, false, null));
        assertEquals("/g==\n", Judge0Submission.render(done, null, raw, List.of("stdout"), true, null).get("stdout"));
    }

    @Test
    void redirectStderrToStdoutJoinsTheStreams() {
        ObjectNode attributes = Json.MAPPER.createObjectNode().put("redirect_stderr_to_stdout", true);
        JobResult both = new JobResult(Verdict.OK, 0, null, "a", "b", false, false, 1L, 1L, 1L, null);
        Map<String, Object> s = Judge0Submission.render(job(JobStatus.COMPLETED, both), attributes, Optional.empty(),
                List.of("stdout", "stderr", "redirect_stderr_to_stdout"), false, null);
        assertEquals("ab", s.get("stdout"));
        assertNull(s.get("stderr"));
        assertEquals(true, s.get("redirect_stderr_to_stdout"));
    }
}
