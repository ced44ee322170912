package io.codeexec.worker;

import io.codeexec.common.json.Json;
import io.codeexec.common.queue.RedisKeys;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

/**
 * Registers this worker and refreshes its heartbeat key (short TTL) with its status, so operators see
 * it in /stats and the reaper knows it is alive. A missing key means a dead worker.
 */
final class Heartbeat {
    static final int INTERVAL_SECONDS = 5;
    static final int TTL_SECONDS = 15;

    private final UnifiedJedis redis;
    private final WorkerConfig config;
    private final WorkerHealth health;
    private final Instant startedAt = Instant.now();

    Heartbeat(UnifiedJedis redis, WorkerConfig config, WorkerHealth health) {
        this.redis = redis;
        this.config = config;
        this.health = health;
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

    void deregister() {
        redis.del(RedisKeys.heartbeat(config.workerId()));
        redis.srem(RedisKeys.workers(), config.workerId());
    }
}
