package io.codeexec.api;

import static io.codeexec.api.TestApi.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.codeexec.common.queue.Lease;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

// The Piston and Judge0 adapters against the real API and Redis, with FakeWorker in place of workers:
// what they queue is an ordinary v1 job, and the edges a real worker cannot show (the wait bound, a full queue).
class CompatApiIT {
    @Test
    void aJudge0SubmissionIsQueuedAsTheV1JobItTranslatesTo() {
        try (TestApi api = TestApi.start()) {
            var worker = FakeWorker.completeNext(api.queue, 100, job -> FakeWorker.ok("hi\n", ""));
            HttpResponse<String> created = api.post("/judge0/submissions?wait=true", """
                    {"source_code": "print(input())", "language_id": 71, "stdin": "hi", "expected_output": "hi",
                     "cpu_time_limit": 2, "memory_limit": 65536}""");
            assertEquals(201, created.statusCode(), created.body());
            Lease claimed = worker.join();
            assertEquals(claimed.id(), json(created).get("token").asText());
            var request = claimed.request();
            assertEquals("python", request.language());
            assertEquals("hi", request.tests().get(0).stdin());
            assertEquals("hi", request.tests().get(0).expectedOutput());
            assertEquals(2000, request.limits().timeMs());
            assertEquals(64, request.limits().memoryMb());
        }
    }

    @Test
    void pistonPastTheMaxWaitIs504AndTheJobIsCancelled() {
        try (TestApi api = TestApi.startWithEnv(Map.of("MAX_WAIT_SECONDS", "1"))) {
            long started = System.nanoTime();
            HttpResponse<String> response = api.post("/api/v2/execute",
                    "{\"language\": \"python\", \"version\": \"*\", \"files\": [{\"content\": \"print(1)\"}]}");
            assertEquals(504, response.statusCode(), response.body());
            assertTrue(json(response).get("message").asText().contains("was cancelled"), response.body());
            assertTrue(System.nanoTime() - started < 10_000_000_000L);
            assertEquals(0, api.queue.pendingCount(), "nobody waits for it any more: it must not take a worker");
        }
    }

    @Test
    void judge0WaitPastTheMaxWaitAnswersTheSubmissionAsItStands() {
        try (TestApi api = TestApi.startWithEnv(Map.of("MAX_WAIT_SECONDS", "1"))) {
            HttpResponse<String> response = api.post("/judge0/submissions?wait=true",
                    "{\"source_code\": \"print(1)\", \"language_id\": 71}");
            assertEquals(201, response.statusCode(), response.body());
            JsonNode s = json(response);
            assertEquals(1, s.get("status").get("id").asInt());
            assertEquals("In Queue", s.get("status").get("description").asText());
            assertEquals(1, json(api.get("/judge0/submissions/" + s.get("token").asText()))
                    .get("status").get("id").asInt(), "still readable by token");
        }
    }

    @Test
    void aFullQueueIs503InEachApisOwnShape() {
        try (TestApi api = TestApi.startWithEnv(Map.of("MAX_QUEUE_LENGTH", "1"))) {
            assertEquals(201, api.post("/judge0/submissions", "{\"source_code\": \"print(1)\", \"language_id\": 71}")
                    .statusCode());
            HttpResponse<String> judge0 = api.post("/judge0/submissions", "{\"source_code\": \"print(1)\", \"language_id\": 71}");
            assertEquals(503, judge0.statusCode(), judge0.body());
            assertTrue(json(judge0).get("error").isTextual(), judge0.body());
            assertTrue(judge0.headers().firstValue("Retry-After").isPresent());
            HttpResponse<String> piston = api.post("/api/v2/execute",
                    "{\"language\": \"python\", \"version\": \"*\", \"files\": [{\"content\": \"print(1)\"}]}");
            assertEquals(503, piston.statusCode(), piston.body());
            assertTrue(json(piston).get("message").isTextual(), piston.body());
        }
    }

    @Test
    void tooLargeCodeIsAClientErrorInTheForeignShape() {
        try (TestApi api = TestApi.startWithEnv(Map.of("MAX_CODE_BYTES", "10"))) {
            HttpResponse<String> piston = api.post("/api/v2/execute",
                    "{\"language\": \"python\", \"version\": \"*\", \"files\": [{\"content\": \"print('long enough')\"}]}");
            assertEquals(413, piston.statusCode(), piston.body());
            assertTrue(json(piston).get("message").asText().contains("code"), piston.body());
            HttpResponse<String> judge0 = api.post("/judge0/submissions",
                    "{\"source_code\": \"print('long enough')\", \"language_id\": 71}");
            assertEquals(422, judge0.statusCode(), judge0.body());
            assertTrue(json(judge0).get("source_code").get(0).asText().contains("bytes"), judge0.body());
        }
    }
}
