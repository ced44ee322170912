package io.codeexec.api;

import static io.codeexec.api.TestApi.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codeexec.common.config.LimitPolicy;
import io.codeexec.common.job.JobRequest;
import io.codeexec.common.testing.RedisTestServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

// The completion subscriber behind ?wait=, with its Redis connection going through a TcpProxy that the
// tests break: dropped and refused (a restart or outage), silent (half-open), or merely idle. The
// subscriber checks its connection faster than in production (PING every 0.5 s, dead after 1.5 s), well
// inside the 10 s socket timeout a blocked read would otherwise hit.
class CompletionEventsIT {
    private static final DoneSubscriber.Timing FAST =
            new DoneSubscriber.Timing(Duration.ofMillis(500), Duration.ofMillis(1500), Duration.ofSeconds(2));

    private TcpProxy proxy;
    private TestApi api;
    private final ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();

    @BeforeEach
    void start() throws Exception {
        proxy = new TcpProxy(RedisTestServer.url());
        api = TestApi.start(UnaryOperator.identity(), proxy.url(), 8, FAST);
    }

    @AfterEach
    void stop() throws Exception {
        clients.shutdownNow();
        api.close();
        proxy.close();
    }

    private String submit(String code) {
        return api.queue.submit(new JobRequest("python", code, "", List.of(), LimitPolicy.standard().defaults()));
    }

    private CompletableFuture<HttpResponse<String>> waitFor(String id, int seconds) {
        return CompletableFuture.supplyAsync(() -> api.get("/jobs/" + id + "?wait=" + seconds), clients);
    }

    private int waiting() {
        return api.server.waiter().pendingCount();
    }

    private static void awaitTrue(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }

    private void loseTheSubscriber() throws InterruptedException {
        proxy.refuseNew(true);
        proxy.dropAll();
        awaitTrue("the subscriber notices", Duration.ofSeconds(5), () -> !api.server.waiter().isSubscribed());
        assertEquals("reconnecting", json(api.get("/ready")).get("completionEvents").asText());
    }

    private static void assertCompleted(HttpResponse<String> response, String stdout) {
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("completed", json(response).get("status").asText());
        assertEquals(stdout, json(response).get("result").get("stdout").asText());
    }

    @Test
    void aWaiterRegisteredWhileTheSubscriberReconnectsGetsItsAnswer() throws Exception {
        String id = submit("print(1)");
        loseTheSubscriber();
        var answer = waitFor(id, 30);
        awaitTrue("the request waits", Duration.ofSeconds(5), () -> waiting() == 1);
        FakeWorker.completeNext(api.queue, 0, job -> FakeWorker.ok("during\n", "")).join();  // published to nobody
        Thread.sleep(300);
        long released = System.nanoTime();
        proxy.refuseNew(false);
        assertCompleted(answer.get(15, TimeUnit.SECONDS), "during\n");
        Duration took = Duration.ofNanos(System.nanoTime() - released);
        assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "answered on resubscription, not at the 30 s deadline: " + took);
    }

    @Test
    void afterAResubscriptionOnlyTheJobsThatFinishedAreReadAgain() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 41; i++) {
            ids.add(submit("print(" + i + ")"));
        }
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        ids.forEach(id -> answers.add(waitFor(id, 30)));
        awaitTrue("41 requests wait", Duration.ofSeconds(10), () -> waiting() == 41);
        loseTheSubscriber();
        FakeWorker.completeNext(api.queue, 0, job -> FakeWorker.ok("first\n", "")).join();  // ids.get(0): FIFO
        long documentReadsBefore = RedisStats.calls(api.redis, "hmget");
        proxy.refuseNew(false);
        assertCompleted(answers.get(0).get(15, TimeUnit.SECONDS), "first\n");
        Thread.sleep(CompletionWaiter.STANDARD_JITTER.toMillis() + 500);
        long documentReads = RedisStats.calls(api.redis, "hmget") - documentReadsBefore;
        assertTrue(documentReads <= 2, "only the finished job was read again, not all 41: " + documentReads + " reads");
        assertEquals(40, waiting(), "the 40 unfinished jobs still wait");
        assertTrue(answers.stream().skip(1).noneMatch(CompletableFuture::isDone));
        for (int i = 1; i < ids.size(); i++) {
            FakeWorker.completeNext(api.queue, 0, job -> FakeWorker.ok("rest\n", "")).join();
        }
        for (int i = 1; i < ids.size(); i++) {
            assertCompleted(answers.get(i).get(15, TimeUnit.SECONDS), "rest\n");
        }
    }

    @Test
    void aHalfOpenConnectionIsDetectedAndReplaced() throws Exception {
        String id = submit("print(1)");
        var answer = waitFor(id, 30);
        awaitTrue("the request waits", Duration.ofSeconds(5), () -> waiting() == 1);
        int connections = proxy.accepted();
        proxy.silenceOpenConnections();  // no FIN, no RST: the socket just stops carrying anything
        long silenced = System.nanoTime();
        FakeWorker.completeNext(api.queue, 0, job -> FakeWorker.ok("half-open\n", "")).join();
        assertCompleted(answer.get(25, TimeUnit.SECONDS), "half-open\n");
        Duration took = Duration.ofNanos(System.nanoTime() - silenced);
        assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0,
                "detected by PING, not by the socket timeout (10 s) or the 30 s deadline: " + took);
        assertTrue(proxy.accepted() > connections, "a new connection replaced the silent one");
        assertTrue(api.server.waiter().isSubscribed());
    }

    @Test
    void anIdleConnectionIsCheckedWithPingAndKept() throws Exception {
        long pings = RedisStats.calls(api.redis, "ping");
        int connections = proxy.accepted();
        Thread.sleep(12_000);  // longer than the socket timeout: without PINGs the read would time out
        assertEquals(connections, proxy.accepted(), "no reconnect while idle");
        assertTrue(RedisStats.calls(api.redis, "ping") - pings >= 10, "PINGed all along");
        assertTrue(api.server.waiter().isSubscribed());
        assertFalse(answersLate(), "still serves waits");
    }

    /** A wait on a job completed right away still answers at once over the kept connection. */
    private boolean answersLate() throws Exception {
        String id = submit("print(2)");
        var answer = waitFor(id, 30);
        FakeWorker.completeNext(api.queue, 200, job -> FakeWorker.ok("idle\n", "")).join();
        long start = System.nanoTime();
        assertCompleted(answer.get(10, TimeUnit.SECONDS), "idle\n");
        return Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(2)) > 0;
    }
}
