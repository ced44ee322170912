package io.codeexec.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codeexec.common.config.LimitPolicy;
import io.codeexec.common.job.JobRequest;
import io.codeexec.common.queue.CancelOutcome;
import io.codeexec.common.queue.JobQueue;
import io.codeexec.common.queue.RedisConnector;
import io.codeexec.common.testing.RedisTestServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;

/**
 * The cancel listener against real Redis: it stays connected while idle, and a cancel reaches the
 * job running here whenever it is sent, also while the listener is cut off or stuck on a dead
 * connection (it re-checks the jobs it holds on every resubscribe).
 */
class CancelListenerIT {
    private static final String WORKER = "listener-worker";
    private RedisClient redis;
    private JobQueue queue;
    private TcpProxy proxy;
    private CancelListener listener;
    private Thread thread;
    private final RecordingSandbox sandbox = new RecordingSandbox();

    @BeforeEach
    void connect() throws Exception {
        URI uri = URI.create(RedisTestServer.url());
        redis = new RedisConnector(uri.toString()).pooled(4);
        redis.flushAll();
        queue = new JobQueue(redis, 100, 3600, Clock.systemUTC());
        proxy = new TcpProxy(uri.getHost(), uri.getPort());
    }

    @AfterEach
    void close() throws Exception {
        if (listener != null) {
            listener.stop();
            thread.join(5_000);
        }
        proxy.close();
        redis.close();
    }

    private void listen(String redisUrl) throws InterruptedException {
        listener = new CancelListener(new RedisConnector(redisUrl), redis, WORKER, sandbox);
        thread = new Thread(listener, "cancel-listener");
        thread.start();
        awaitSubscribers(1);
    }

    private List<String> subscriberIds() {
        Object reply = redis.sendCommand(Protocol.Command.CLIENT, "LIST", "TYPE", "pubsub");
        String text = reply instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(reply);
        List<String> ids = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^id=(\\d+) ").matcher(text);
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }

    private void awaitSubscribers(int count) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (subscriberIds().size() != count) {
            assertTrue(System.nanoTime() < deadline, "listener subscribed");
            Thread.sleep(50);
        }
    }

    private String runningHere() {
        String id = queue.submit(new JobRequest("python", "print(1)", "", List.of(), LimitPolicy.standard().defaults()));
        assertEquals(id, queue.claim(WORKER, 1).orElseThrow().id());
        return id;
    }

    private void awaitCancelled(String id, long withinMs) throws InterruptedException {
        long deadline = System.nanoTime() + withinMs * 1_000_000;
        while (!sandbox.cancelled.contains(id)) {
            assertTrue(System.nanoTime() < deadline, "job " + id + " was killed within " + withinMs + " ms");
            Thread.sleep(50);
        }
    }

    @Test
    void anIdleListenerKeepsOneConnection() throws Exception {
        listen(RedisTestServer.url());
        List<String> before = subscriberIds();
        Thread.sleep(25_000); // past the 10 s read timeout that used to drop it every time
        assertEquals(before, subscriberIds(), "no reconnect while idle");
        String id = runningHere();
        assertEquals(CancelOutcome.CANCELLED_WHILE_RUNNING, queue.cancel(id));
        awaitCancelled(id, 2_000);
    }

    @Test
    void aCancelSentWhileTheListenerIsCutOffStillReachesTheJob() throws Exception {
        listen(proxy.redisUrl());
        String id = runningHere();
        String elsewhere = queue.submit(new JobRequest("python", "print(1)", "", List.of(), LimitPolicy.standard().defaults()));
        queue.claim("another-worker", 1).orElseThrow();
        proxy.cut();
        assertEquals(CancelOutcome.CANCELLED_WHILE_RUNNING, queue.cancel(id));
        assertEquals(CancelOutcome.CANCELLED_WHILE_RUNNING, queue.cancel(elsewhere));
        Thread.sleep(1_000);
        assertTrue(sandbox.cancelled.isEmpty(), "nobody heard the message");
        proxy.restore();
        awaitCancelled(id, 10_000);
        assertTrue(!sandbox.cancelled.contains(elsewhere), "only the jobs held here are re-checked");
    }

    @Test
    void aDeadConnectionIsNoticedByPingAndReplaced() throws Exception {
        listen(proxy.redisUrl());
        String id = runningHere();
        proxy.freezeOpenConnections();
        assertEquals(CancelOutcome.CANCELLED_WHILE_RUNNING, queue.cancel(id));
        awaitCancelled(id, CancelListener.PONG_DEADLINE_MS + 2 * CancelListener.PING_INTERVAL_MS);
    }
}
