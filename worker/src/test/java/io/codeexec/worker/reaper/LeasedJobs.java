package io.codeexec.worker.reaper;

import io.codeexec.common.queue.JobQueue;
import io.codeexec.common.queue.RedisKeys;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;

/**
 * Job hashes in the shape of the lease contract (status, token, attempts, worker, leaseUntil by Redis's
 * clock, the codeexec:leases zset, the holder's processing list), written the way claim and renew do,
 * so the reaper can be tested before the queue's own scripts land.
 */
final class LeasedJobs {
    private static final String CLAIM = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local token = redis.call('HINCRBY', KEYS[1], 'token', 1)
            redis.call('HINCRBY', KEYS[1], 'attempts', 1)
            redis.call('HSET', KEYS[1], 'id', ARGV[1], 'status', 'running', 'worker', ARGV[2],
                'leaseUntil', now + tonumber(ARGV[3]))
            redis.call('ZADD', KEYS[2], now + tonumber(ARGV[3]), ARGV[1])
            redis.call('LPUSH', KEYS[3], ARGV[1])
            return token""";
    private static final String RENEW = """
            local f = redis.call('HMGET', KEYS[1], 'status', 'token')
            if f[1] ~= 'running' or f[2] ~= ARGV[2] then return 0 end
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            redis.call('HSET', KEYS[1], 'leaseUntil', now + tonumber(ARGV[3]))
            redis.call('ZADD', KEYS[2], now + tonumber(ARGV[3]), ARGV[1])
            return 1""";

    private LeasedJobs() {}

    /** Claims job {@code id} for {@code worker} with a lease ending {@code leaseMs} from now (negative: lapsed); returns the token. */
    static String claim(UnifiedJedis redis, String id, String worker, long leaseMs) {
        Object token = redis.eval(CLAIM, List.of(RedisKeys.job(id), RedisKeys.leases(), RedisKeys.processing(worker)),
                List.of(id, worker, Long.toString(leaseMs)));
        return String.valueOf(token);
    }

    /** Renews the lease as a holder would (LEASE_MS from now); false when the token or status changed. */
    static boolean renew(UnifiedJedis redis, String id, String token) {
        return Long.valueOf(1).equals(redis.eval(RENEW, List.of(RedisKeys.job(id), RedisKeys.leases()),
                List.of(id, token, Long.toString(JobQueue.LEASE_MS))));
    }

    /** A job moved into {@code worker}'s processing list by BLMOVE but never claimed. */
    static void movedNotClaimed(UnifiedJedis redis, String id, String worker) {
        redis.hset(RedisKeys.job(id), java.util.Map.of("id", id, "status", "queued", "attempts", "0"));
        redis.lpush(RedisKeys.processing(worker), id);
    }
}
