package io.codeexec.worker;

import io.codeexec.common.json.Json;
import io.codeexec.common.queue.RedisKeys;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.SetParams;

/**
 * Registers this worker and refreshes its heartbeat key (short TTL) with its status, so operators see
 * it in /stats and reapers know it is alive; a key missing while Redis stays reachable means a dead
 * worker. It beats on a thread of its own, so no reaping or Docker call can delay it.
 */
public final class Heartbeat implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Heartbeat.class);
    public static final int INTERVAL_SECONDS = 5;
    public static final int TTL_SECONDS = 15;

    private final UnifiedJedis redis;
    private final WorkerConfig config;
    private final WorkerHealth health;
    private final Instant startedAt = Instant.now();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "heartbeat");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean redisLost;

    Heartbeat(UnifiedJedis redis, WorkerConfig config, WorkerHealth health) {
        this.redis = redis;
        this.config = config;
        this.health = health;
    }

    /** Beats now (registering the worker), then every interval on the heartbeat's own thread. */
    Heartbeat start() {
        beatQuietly();
        thread.scheduleWithFixedDelay(this::beatQuietly, INTERVAL_SECONDS, INTERVAL_SECONDS, TimeUnit.SECONDS);
        return this;
    }

    void beat() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("id", config.workerId());
        status.put("concurrency", config.concurrency());
        status.put("startedAt", startedAt.toString());
        status.put("lastHeartbeat", Instant.now().toString());
        status.put("health", health.describe());
        redis.sadd(RedisKeys.workers(), config.workerId());
        redis.set(RedisKeys.heartbeat(config.workerId()), Json.write(status), SetParams.setParams().ex(TTL_SECONDS));
    }

    private void beatQuietly() {
        try {
            beat();
            if (redisLost) {
                redisLost = false;
                LOG.info("heartbeat reaches Redis again");
            }
        } catch (JedisException e) {
            health.redisDown(e);
            if (!redisLost) {
                redisLost = true;
                LOG.warn("heartbeat failed: {}", e.getMessage());
            }
        } catch (RuntimeException e) {
            LOG.warn("heartbeat failed", e);
        }
    }

    void deregister() {
        redis.del(RedisKeys.heartbeat(config.workerId()));
        redis.srem(RedisKeys.workers(), config.workerId());
    }

    /** Stops beating (the worker deregisters separately). */
    @Override
    public void close() {
        thread.shutdownNow();
    }
}
