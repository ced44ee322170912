package io.codeexec.worker;

import com.fasterxml.jackson.databind.JsonNode;
import io.codeexec.common.json.Json;
import io.codeexec.common.queue.RedisKeys;
import java.io.IOException;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;

/**
 * What the other live workers say they can run, read from their heartbeats: a worker stepping aside for
 * a language ends a job only when no live peer serves that language (else it hands the job on, however
 * often), so a busy healthy fleet never loses a job to one broken worker.
 */
final class LiveWorkers {
    private final UnifiedJedis redis;
    private final String self;

    LiveWorkers(UnifiedJedis redis, String self) {
        this.redis = redis;
        this.self = self;
    }

    /** True when a live worker other than this one reaches its engine and has the language's image. */
    boolean anotherServes(String language) {
        for (String worker : redis.smembers(RedisKeys.workers())) {
            if (worker.equals(self)) {
                continue;
            }
            String heartbeat = redis.get(RedisKeys.heartbeat(worker));
            if (heartbeat != null && serves(heartbeat, language)) {
                return true;
            }
        }
        return false;
    }

    /** A heartbeat (see WorkerHealth.describe) serves the language unless it steps aside for it or for its engine. */
    static boolean serves(String heartbeat, String language) {
        JsonNode stepAside;
        try {
            stepAside = Json.MAPPER.readTree(heartbeat).path("health").path("stepAside");
        } catch (IOException e) {
            return false;
        }
        if (stepAside.isMissingNode()) {
            return true;
        }
        if (!"ok".equals(stepAside.path("engine").asText("ok"))) {
            return false;
        }
        List<String> missing = Json.MAPPER.convertValue(stepAside.path("languages"),
                Json.MAPPER.getTypeFactory().constructCollectionType(List.class, String.class));
        return missing == null || !missing.contains(language);
    }
}
