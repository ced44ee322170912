package io.codeexec.api.compat.judge0;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.codeexec.common.json.Json;
import io.codeexec.common.queue.RedisKeys;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;

/**
 * The attributes of Judge0 submissions that the v1 job does not carry (source_code, Judge0's limits,
 * redirect_stderr_to_stdout, ...), kept beside the job for ?fields and rendering; they expire a day
 * after the job's result would.
 */
final class Judge0Records {
    private static final long EXTRA_TTL_SECONDS = 86_400;

    private final UnifiedJedis redis;
    private final long ttlSeconds;

    Judge0Records(UnifiedJedis redis, long resultTtlSeconds) {
        this.redis = redis;
        this.ttlSeconds = resultTtlSeconds + EXTRA_TTL_SECONDS;
    }

    void save(String id, ObjectNode attributes) {
        redis.setex(RedisKeys.judge0Submission(id), ttlSeconds, Json.write(attributes));
    }

    /** The attributes of each id (null where none were kept), in order. */
    List<ObjectNode> find(List<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        List<String> values = redis.mget(ids.stream().map(RedisKeys::judge0Submission).toArray(String[]::new));
        List<ObjectNode> out = new ArrayList<>(values.size());
        for (String value : values) {
            try {
                out.add(value == null ? null : (ObjectNode) Json.MAPPER.readTree(value));
            } catch (IOException e) {
                out.add(null);
            }
        }
        return out;
    }
}
