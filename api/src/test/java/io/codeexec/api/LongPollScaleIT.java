package io.codeexec.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.codeexec.common.config.LimitPolicy;
import io.codeexec.common.job.JobRequest;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

// Long-poll at scale: 2,000 clients wait on GET /jobs/{id}?wait=30 at once against the live API and real
// Redis while a fake worker completes the jobs over a few seconds. Every client gets its own final
// answer, none a 5xx, and the process's platform threads stay bounded (no thread per waiter).
class LongPollScaleIT {
    private static final int CLIENTS = 2_000;
    private static final int API_POOL = 64;  // the API's own pool size (ApiServer.REDIS_POOL_THREADS)
    private static final int THREAD_BOUND = 400;

    @Test
    void twoThousandWaitingClientsAllGetTheirFinalAnswers() throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (TestApi api = TestApi.start(UnaryOperator.identity(), null, API_POOL, DoneSubscriber.Timing.STANDARD);
             ExecutorService virtual = Executors.newVirtualThreadPerTaskExecutor()) {
            List<String> ids = new ArrayList<>(CLIENTS);
            JobRequest request = new JobRequest("python", "print(1)", "", List.of(), LimitPolicy.standard().defaults());
            for (int i = 0; i < CLIENTS; i++) {
                ids.add(api.queue.submit(request));
            }
            int threadsBefore = threads.getThreadCount();
            threads.resetPeakThreadCount();
            HttpClient http = HttpClient.newBuilder().executor(virtual).connectTimeout(Duration.ofSeconds(20)).build();
            long start = System.nanoTime();
            List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>(CLIENTS);
            for (String id : ids) {
                HttpRequest get = HttpRequest.newBuilder(api.uri("/jobs/" + id + "?wait=30"))
                        .timeout(Duration.ofSeconds(60)).GET().build();
                answers.add(http.sendAsync(get, HttpResponse.BodyHandlers.ofString()));
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (api.server.waiter().pendingCount() < CLIENTS && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(CLIENTS, api.server.waiter().pendingCount(), "all clients wait at once");
            long allWaiting = System.nanoTime();

            // Four at a time, each 1 ms after the last: the 2,000 finish over a few seconds.
            FakeWorker.completeMany(api.queue, CLIENTS, 4, 1, id -> FakeWorker.ok(id + "\n", ""))
                    .get(120, TimeUnit.SECONDS);
            long completed = System.nanoTime();

            Map<Integer, Integer> statuses = new TreeMap<>();
            for (int i = 0; i < CLIENTS; i++) {
                HttpResponse<String> response = answers.get(i).get(60, TimeUnit.SECONDS);
                statuses.merge(response.statusCode(), 1, Integer::sum);
                if (response.statusCode() == 200) {
                    JsonNode job = TestApi.json(response);
                    assertEquals("completed", job.get("status").asText(), response.body());
                    assertEquals(ids.get(i) + "\n", job.get("result").get("stdout").asText(), "its own job's answer");
                }
            }
            long answered = System.nanoTime();
            int peak = threads.getPeakThreadCount();
            System.out.printf("LongPollScaleIT: %d clients; waiting after %d ms; completed in %d ms; all answered %d ms"
                            + " after the last completion; statuses %s; platform threads %d before, peak %d%n",
                    CLIENTS, ms(allWaiting - start), ms(completed - allWaiting), ms(answered - completed), statuses,
                    threadsBefore, peak);
            assertEquals(Map.of(200, CLIENTS), statuses, "every client got its final answer, no 5xx");
            assertTrue(peak < THREAD_BOUND, "platform threads stayed bounded: peak " + peak);
            assertEquals(0, api.server.waiter().pendingCount());
        }
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
