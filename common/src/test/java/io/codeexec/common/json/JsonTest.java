package io.codeexec.common.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.codeexec.common.job.Job;
import io.codeexec.common.job.JobRequest;
import io.codeexec.common.job.JobResult;
import io.codeexec.common.job.JobStatus;
import io.codeexec.common.job.Limits;
import io.codeexec.common.job.Verdict;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonTest {
    private static final JobResult RESULT = new JobResult(Verdict.TIME_LIMIT_EXCEEDED, null, "SIGKILL", "out\n", "é\n",
            true, false, 3100L, 3000L, 8192L, "CPU time limit of 3000 ms exceeded");
    private static final Job JOB = new Job("0123456789abcdef0123456789abcdef", JobStatus.COMPLETED, "python",
            Instant.parse("2025-01-02T03:04:05.123Z"), Instant.parse("2025-01-02T03:04:06Z"),
            Instant.parse("2025-01-02T03:04:09.5Z"), RESULT);

    private static JsonNode tree(String json) throws Exception {
        return Json.MAPPER.readTree(json);
    }

    @Test
    void jobRoundTrips() {
        assertEquals(JOB, Json.read(Json.write(JOB), Job.class));
    }

    @Test
    void jobWireShapeHasIsoTimestampsAndLowercaseEnums() throws Exception {
        JsonNode node = tree(Json.write(JOB));
        assertEquals("completed", node.get("status").asText());
        assertEquals("2025-01-02T03:04:05.123Z", node.get("createdAt").asText());
        assertTrue(node.get("createdAt").isTextual(), "not a numeric timestamp");
        assertEquals("2025-01-02T03:04:06Z", node.get("startedAt").asText());
        assertEquals("2025-01-02T03:04:09.500Z", node.get("finishedAt").asText());
        assertEquals("time_limit_exceeded", node.get("result").get("verdict").asText());
        assertEquals("SIGKILL", node.get("result").get("signal").asText());
        assertTrue(node.get("result").get("stdoutTruncated").asBoolean());
    }

    @Test
    void resultRoundTripsWithNullsAndUnicode() {
        assertEquals(RESULT, Json.read(Json.write(RESULT), JobResult.class));
        JobResult internal = JobResult.internalError("boom");
        assertEquals(internal, Json.read(Json.write(internal), JobResult.class));
        assertTrue(Json.write(internal).contains("\"verdict\":\"internal_error\""), Json.write(internal));
    }

    @Test
    void queuedJobWithoutTimesOrResultRoundTrips() throws Exception {
        Job queued = new Job("0123456789abcdef0123456789abcdef", JobStatus.QUEUED, "ruby",
                Instant.parse("2025-01-02T03:04:05Z"), null, null, null);
        assertEquals(queued, Json.read(Json.write(queued), Job.class));
        assertEquals("queued", tree(Json.write(queued)).get("status").asText());
    }

    @Test
    void everyVerdictAndStatusReadsBackFromItsWireName() {
        for (Verdict verdict : Verdict.values()) {
            assertEquals(verdict, Json.read("\"" + verdict.wireName() + "\"", Verdict.class));
        }
        for (JobStatus status : JobStatus.values()) {
            assertEquals(status, Json.read("\"" + status.wireName() + "\"", JobStatus.class));
        }
    }

    @Test
    void requestRoundTripsAndUnknownFieldsAreRefused() {
        JobRequest request = new JobRequest("python", "print(1)", null, List.of("a"), new Limits(1, 2, 3, 4, 5, 6L));
        assertEquals(request, Json.read(Json.write(request), JobRequest.class));
        assertThrows(UncheckedIOException.class,
                () -> Json.read("{\"language\":\"python\",\"code\":\"x\",\"extra\":1}", JobRequest.class));
    }
}
