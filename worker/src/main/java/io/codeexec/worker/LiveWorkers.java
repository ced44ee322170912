package io.codeexec.worker;

import io.codeexec.common.queue.QueueStats;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.UnifiedJedis;

/**
 * What the other live workers say they can run, read from their heartbeats (through QueueStats, which
 * knows their format): a worker stepping aside for a language ends a job only when no live peer serves
 * that language (else it hands the job on, however often), so a busy healthy fleet never loses a job to
 * one broken worker.
 */
final class LiveWorkers {
    private final QueueStats stats;
    private final String self;

    LiveWorkers(UnifiedJedis redis, String self) {
        this.stats = new QueueStats(redis);
        this.self = self;
    }

    /** True when a live worker other than this one reaches its engine and has the language's image. */
    boolean anotherServes(String language) {
        return stats.read().workers().stream()
                .anyMatch(worker -> !worker.id().equals(self) && serves(worker.health(), language));
    }

    /** A heartbeat's health (see WorkerHealth.describe) serves the language unless it steps aside for it or its engine. */
    static boolean serves(Map<String, Object> health, String language) {
        if (health == null || !(health.get("stepAside") instanceof Map<?, ?> stepAside)) {
            return health != null;
        }
        if (!"ok".equals(String.valueOf(stepAside.get("engine")))) {
            return false;
        }
        return !(stepAside.get("languages") instanceof List<?> missing) || !missing.contains(language);
    }
}
