package io.codeexec.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.codeexec.common.job.LanguageCatalog;
import io.codeexec.common.json.Json;
import io.codeexec.worker.callback.CallbackConfig;
import io.codeexec.worker.callback.ReceiverVerification;
import io.codeexec.worker.callback.CallbackReceiver;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A job with a callbackUrl: the finished document reaches the grader's server, signed, after a retry. */
class CallbackEndToEndIT {
    @Test
    void finishedJobIsPostedSignedAndRetriedAfterA500() throws Exception {
        CallbackConfig callbacks = new CallbackConfig("grader-secret", 5, Duration.ofMillis(100), Duration.ofSeconds(5), true);
        try (Stack stack = Stack.start(0, 2);
             CallbackReceiver grader = new CallbackReceiver(1)) {
            stack.addWorker("callbacks-" + System.nanoTime(), 2, Stack.DOCKER_HOST, LanguageCatalog.standard(), callbacks);
            HttpResponse<String> accepted = stack.post("/jobs", Map.of("language", "python", "code", "print(6 * 7)",
                    "callbackUrl", grader.url()));
            assertEquals(202, accepted.statusCode(), accepted.body());
            String id = Stack.json(accepted).get("id").asText();

            CallbackReceiver.Delivery first = grader.next(60);
            assertNotNull(first, "the callback arrived");
            CallbackReceiver.Delivery retry = grader.next(30);
            assertNotNull(retry, "the 500 was retried");
            assertEquals("2", retry.attempt());
            assertTrue(ReceiverVerification.verifyNow("grader-secret", retry.signature(), retry.body()), retry.signature());
            JsonNode job = Json.MAPPER.readTree(retry.body());
            assertEquals(id, job.get("id").asText());
            assertEquals("completed", job.get("status").asText());
            assertEquals("42\n", job.get("result").get("stdout").asText());
        }
    }

    @Test
    void aCallbackUrlThatIsNotHttpIsRejected() {
        try (Stack stack = Stack.start(0, 2)) {
            stack.publishLanguages();
            HttpResponse<String> response = stack.post("/jobs", Map.of("language", "python", "code", "print(1)",
                    "callbackUrl", "file:///etc/passwd"));
            assertEquals(400, response.statusCode());
            assertEquals("callbackUrl", Stack.json(response).get("error").get("field").asText());
        }
    }
}
