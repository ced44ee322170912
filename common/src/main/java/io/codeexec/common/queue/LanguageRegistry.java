package io.codeexec.common.queue;

import io.codeexec.common.job.LanguageInfo;
import io.codeexec.common.json.Json;
import java.util.Comparator;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;

/**
 * The languages installed on the workers, with versions read from the runner images. Workers publish
 * what their probes found at start; the API reads it to validate submissions and list languages. The
 * hash has no expiry, so jobs can still be queued while every worker restarts.
 */
public final class LanguageRegistry {
    private final UnifiedJedis redis;

    public LanguageRegistry(UnifiedJedis redis) {
        this.redis = redis;
    }

    public void publish(LanguageInfo language) {
        redis.hset(RedisKeys.languages(), language.id(), Json.write(language));
    }

    public void withdraw(String languageId) {
        redis.hdel(RedisKeys.languages(), languageId);
    }

    public List<LanguageInfo> installed() {
        return redis.hvals(RedisKeys.languages()).stream()
                .map(json -> Json.read(json, LanguageInfo.class))
                .sorted(Comparator.comparing(LanguageInfo::id))
                .toList();
    }
}
