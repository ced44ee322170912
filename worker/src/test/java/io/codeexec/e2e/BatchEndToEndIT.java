package io.codeexec.e2e;

import static io.codeexec.e2e.Stack.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.codeexec.common.job.LanguageCatalog;
import io.codeexec.common.json.Json;
import io.codeexec.worker.callback.CallbackConfig;
import io.codeexec.worker.callback.ReceiverVerification;
import io.codeexec.worker.callback.CallbackReceiver;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Batches for graders: verdict counts, waiting, a signed batch callback, validation and fairness. */
class BatchEndToEndIT {
    private static Map<String, Object> adder(String language, String code, String stdin, String expected) {
        return Map.of("language", language, "code", code,
                "tests", List.of(Map.of("name", "t1", "stdin", stdin, "expectedOutput", expected)));
    }

    private static final String PY = "a, b = map(int, input().split())\nprint(a + b)";
    private static final String JS = "const [a, b] = require('fs').readFileSync(0, 'utf8').trim().split(' ').map(Number);\n"
            + "console.log(a + b);";
    private static final String RB = "a, b = gets.split.map(&:to_i)\nputs a + b";

    @Test
    void twoHundredMixedJobsGiveTheRightVerdictCountsAndASignedCallback() throws Exception {
        CallbackConfig callbacks = new CallbackConfig("batch-secret", 5, Duration.ofMillis(100), Duration.ofSeconds(5), true);
        try (Stack stack = Stack.start(0, 2); CallbackReceiver grader = new CallbackReceiver(0)) {
            stack.addWorker("batch-a-" + System.nanoTime(), 2, Stack.DOCKER_HOST, LanguageCatalog.standard(), callbacks);
            stack.addWorker("batch-b-" + System.nanoTime(), 2, Stack.DOCKER_HOST, LanguageCatalog.standard(), callbacks);
            List<Object> jobs = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                switch (i % 5) {
                    case 0 -> jobs.add(adder("python", PY, "1 2\n", "3\n"));
                    case 1 -> jobs.add(adder("javascript", JS, "2 2\n", "4\n"));
                    case 2 -> jobs.add(adder("ruby", RB, "3 3\n", "7\n"));       // wrong answer
                    case 3 -> jobs.add(adder("python", "raise SystemExit(2)", "", "x"));  // runtime error
                    default -> jobs.add(Map.of("language", "python", "code", "print('plain')"));  // no tests: ok
                }
            }
            HttpResponse<String> accepted = stack.post("/batches",
                    Map.of("jobs", jobs, "callbackUrl", grader.url(), "metadata", Map.of("course", "cs101")));
            assertEquals(202, accepted.statusCode(), accepted.body());
            String id = json(accepted).get("id").asText();
            assertEquals(200, json(accepted).get("jobIds").size());

            JsonNode batch = json(stack.get("/batches/" + id + "?wait=30"));
            for (int i = 0; i < 20 && !batch.get("done").asBoolean(); i++) {
                batch = json(stack.get("/batches/" + id + "?wait=30"));
            }
            assertTrue(batch.get("done").asBoolean(), batch.toString());
            assertEquals(200, batch.get("completed").asInt());
            assertEquals(Map.of("accepted", 80, "wrong_answer", 40, "runtime_error", 40, "ok", 40),
                    Json.MAPPER.convertValue(batch.get("verdicts"), Map.class));
            assertEquals("cs101", batch.get("metadata").get("course").asText());

            CallbackReceiver.Delivery delivery = grader.next(30);
            assertNotNull(delivery, "the batch callback arrived");
            assertTrue(ReceiverVerification.verifyNow("batch-secret", delivery.signature(), delivery.body()), delivery.signature());
            assertEquals(id, Json.MAPPER.readTree(delivery.body()).get("id").asText());
            assertEquals(200, Json.MAPPER.readTree(delivery.body()).get("completed").asInt());
        }
    }

    @Test
    void anInteractiveJobIsNotStarvedByAnEarlierBatch() throws Exception {
        try (Stack stack = Stack.start(0, 1)) {
            stack.publishLanguages();
            List<Object> slow = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                slow.add(Map.of("language", "python", "code", "import time\ntime.sleep(0.3)\nprint(" + i + ")"));
            }
            String batchId = json(stack.post("/batches", Map.of("jobs", slow))).get("id").asText();
            stack.addWorker("fair-" + System.nanoTime(), 1);
            Thread.sleep(1000);  // the worker is well into the batch
            HttpResponse<String> interactive = stack.post("/jobs?wait=30", Map.of("language", "python", "code", "print('me first')"));
            assertEquals(200, interactive.statusCode(), interactive.body());
            assertEquals("me first\n", json(interactive).get("result").get("stdout").asText());
            JsonNode batch = json(stack.get("/batches/" + batchId));
            assertTrue(batch.get("queued").asInt() >= 20,
                    "the interactive job ran before most of the batch: " + batch.get("queued") + " still queued");
        }
    }

    @Test
    void oneInvalidJobRejectsTheBatchNamingItsIndex() {
        try (Stack stack = Stack.start(0, 1)) {
            stack.publishLanguages();
            HttpResponse<String> response = stack.post("/batches", Map.of("jobs", List.of(
                    Map.of("language", "python", "code", "print(1)"),
                    Map.of("language", "python", "code", "print(2)", "limits", Map.of("memoryMb", 99999)))));
            assertEquals(400, response.statusCode());
            assertEquals("jobs[1].limits.memoryMb", json(response).get("error").get("field").asText(), response.body());
            assertEquals(404, stack.get("/batches/0123456789abcdef0123456789abcdef").statusCode());
            assertEquals(400, stack.post("/batches", Map.of("jobs", List.of())).statusCode());
        }
    }
}
