package io.codeexec.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.codeexec.common.job.LanguageCatalog;
import io.codeexec.common.json.Json;
import io.codeexec.common.queue.Outbox;
import io.codeexec.common.testing.RedisTestServer;
import io.codeexec.worker.callback.CallbackConfig;
import io.codeexec.worker.callback.CallbackReceiver;
import io.codeexec.worker.callback.ReceiverVerification;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A worker process SIGKILLed in the middle of delivering a callback loses nothing: the entry stays in the
 * Redis outbox, pending for the dead consumer, and another worker takes it over and delivers it.
 */
class CallbackCrashIT {
    @Test
    void aWorkerKilledMidDeliveryLosesNoCallback() throws Exception {
        try (Stack stack = Stack.start(0, 2);
             CallbackReceiver grader = CallbackReceiver.trickling(1)) {
            stack.publishLanguages();
            HttpResponse<String> accepted = stack.post("/jobs", Map.of("language", "python", "code", "print(6 * 7)",
                    "callbackUrl", grader.url()));
            assertEquals(202, accepted.statusCode(), accepted.body());
            String id = Stack.json(accepted).get("id").asText();

            try (WorkerProcess doomed = WorkerProcess.start(RedisTestServer.url(), "doomed-" + System.nanoTime(), 1,
                    Map.of("CALLBACK_ALLOW_PRIVATE", "true", "CALLBACK_TIMEOUT_MS", "60000", "CALLBACK_SECRET", "k"))) {
                CallbackReceiver.Delivery first = grader.next(120);
                assertNotNull(first, "the doomed worker started delivering:\n" + doomed.log());
                doomed.kill();  // mid-delivery: its receiver is still trickling the answer
                assertFalse(doomed.alive());
            }
            assertNotNull(grader.nextCut(10), "the killed worker's exchange ended with it");
            assertEquals(1, new Outbox(stack.redis).backlog().pending(), "the callback is still in the outbox");

            CallbackConfig rescuerCallbacks = new CallbackConfig("k", 5, Duration.ofMillis(100), Duration.ofSeconds(1), true);
            stack.addWorker("rescuer-" + System.nanoTime(), 1, Stack.DOCKER_HOST, LanguageCatalog.standard(),
                    rescuerCallbacks);
            CallbackReceiver.Delivery rescued = grader.next(60);
            assertNotNull(rescued, "another worker delivered the callback");
            assertEquals("1", rescued.attempt(), "a crash is not a failed attempt");
            assertTrue(ReceiverVerification.verifyNow("k", rescued.signature(), rescued.body()), rescued.signature());
            JsonNode job = Json.MAPPER.readTree(rescued.body());
            assertEquals(id, job.get("id").asText());
            assertEquals("42\n", job.get("result").get("stdout").asText());
            for (int i = 0; i < 100 && new Outbox(stack.redis).backlog().total() > 0; i++) {
                Thread.sleep(100);
            }
            assertEquals(new Outbox.Backlog(0, 0, 0), new Outbox(stack.redis).backlog());
            assertNull(grader.next(2), "delivered once after the rescue");
        }
    }
}
