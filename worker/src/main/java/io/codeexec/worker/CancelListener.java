package io.codeexec.worker;

import io.codeexec.common.logging.LogContext;
import io.codeexec.common.queue.RedisConnector;
import io.codeexec.common.queue.RedisKeys;
import io.codeexec.worker.sandbox.Sandbox;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Kills the runs of jobs cancelled while they run here:
 * 1. listens on the cancel channel on a connection of its own;
 * 2. PINGs on it every few seconds, which also keeps an idle subscription from hitting the socket's
 *    read timeout (Jedis reads a subscription with the blocking timeout: idle, it used to fail and
 *    reconnect every 10 s); no PONG in time means a dead connection, which is dropped and made again;
 * 3. on every (re)subscribe, re-checks the jobs this worker holds and kills those cancelled meanwhile,
 *    since a message published while it was disconnected is gone.
 */
final class CancelListener implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(CancelListener.class);
    static final long PING_INTERVAL_MS = 3_000;
    /** No PONG for this long: the connection is dead (half-open, or Redis frozen). */
    static final long PONG_DEADLINE_MS = 3 * PING_INTERVAL_MS;

    private final RedisConnector connector;
    private final UnifiedJedis redis;
    private final String workerId;
    private final Sandbox sandbox;
    private final ScheduledExecutorService pinger = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cancel-listener-ping");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean stopping;
    private volatile boolean disconnected;
    private volatile Connection current;

    /** The connection being listened on, and when it last answered. */
    private record Connection(Jedis jedis, JedisPubSub pubSub, long[] lastAnswerNanos) {}

    CancelListener(RedisConnector connector, UnifiedJedis redis, String workerId, Sandbox sandbox) {
        this.connector = connector;
        this.redis = redis;
        this.workerId = workerId;
        this.sandbox = sandbox;
        pinger.scheduleWithFixedDelay(this::ping, PING_INTERVAL_MS, PING_INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void run() {
        Backoff backoff = new Backoff(100, 5_000);
        while (!stopping) {
            try (Jedis jedis = connector.single()) {
                long[] lastAnswer = {System.nanoTime()};
                JedisPubSub pubSub = new JedisPubSub() {
                    @Override
                    public void onMessage(String channel, String jobId) {
                        lastAnswer[0] = System.nanoTime();
                        cancelHere(jobId);
                    }

                    @Override
                    public void onPong(String pattern) {
                        lastAnswer[0] = System.nanoTime();
                    }

                    @Override
                    public void onSubscribe(String channel, int subscribedChannels) {
                        lastAnswer[0] = System.nanoTime();
                        backoff.reset();
                        if (disconnected) {
                            disconnected = false;
                            LOG.info("cancel listener subscribed again");
                        }
                        pinger.execute(CancelListener.this::recheckHeldJobs);
                    }
                };
                current = new Connection(jedis, pubSub, lastAnswer);
                if (stopping) {
                    return;
                }
                jedis.subscribe(pubSub, RedisKeys.cancelChannel());
            } catch (JedisException e) {
                if (!stopping) {
                    if (!disconnected) {
                        disconnected = true;
                        LOG.warn("cancel listener lost Redis ({}); reconnecting", e.getMessage());
                    }
                    if (!backoff.sleep()) {
                        return;
                    }
                }
            }
        }
    }

    private void cancelHere(String jobId) {
        if (sandbox.cancel(jobId)) {
            try (var job = LogContext.job(jobId)) {
                LOG.info("cancelled: its run was killed");
            }
        }
    }

    /** Kills the runs of jobs this worker holds that were cancelled while nobody listened. */
    private void recheckHeldJobs() {
        try {
            for (String jobId : redis.lrange(RedisKeys.processing(workerId), 0, -1)) {
                if ("cancelled".equals(redis.hget(RedisKeys.job(jobId), "status"))) {
                    cancelHere(jobId);
                }
            }
        } catch (JedisException e) {
            // Redis is gone again: the next subscribe re-checks.
        }
    }

    private void ping() {
        Connection connection = current;
        if (connection == null || stopping || !connection.pubSub().isSubscribed()) {
            return;
        }
        if (System.nanoTime() - connection.lastAnswerNanos()[0] > TimeUnit.MILLISECONDS.toNanos(PONG_DEADLINE_MS)) {
            // No answer: drop the connection; the listening loop sees it fail and subscribes again.
            connection.jedis().disconnect();
            return;
        }
        try {
            connection.pubSub().ping();
        } catch (JedisException e) {
            connection.jedis().disconnect();
        }
    }

    void stop() {
        stopping = true;
        pinger.shutdownNow();
        Connection connection = current;
        if (connection != null && connection.pubSub().isSubscribed()) {
            try {
                connection.pubSub().unsubscribe();
            } catch (JedisException e) {
                // The connection is gone already: the loop ends on its own.
            }
        }
    }
}
