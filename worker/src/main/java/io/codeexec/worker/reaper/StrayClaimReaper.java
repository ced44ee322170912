package io.codeexec.worker.reaper;

import io.codeexec.common.logging.LogContext;
import io.codeexec.common.queue.JobQueue;
import io.codeexec.common.queue.RedisKeys;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * Gives back ids that BLMOVE put in a live worker's processing list but that were never claimed (the
 * claim's reply was lost): claim.lua runs within milliseconds of the move, so an id still queued there
 * on two passes in a row is a stray. Dead workers' lists are the dead-worker duty's.
 */
public final class StrayClaimReaper implements ReaperDuty {
    private static final Logger LOG = LoggerFactory.getLogger(StrayClaimReaper.class);

    private final UnifiedJedis redis;
    private final SecondSighting sightings = new SecondSighting();

    public StrayClaimReaper(UnifiedJedis redis) {
        this.redis = redis;
    }

    @Override
    public int run(Pass pass) {
        Set<String> seen = new HashSet<>();
        for (String worker : redis.smembers(RedisKeys.workers())) {
            if (!redis.exists(RedisKeys.heartbeat(worker))) {
                continue;
            }
            for (String id : redis.lrange(RedisKeys.processing(worker), 0, -1)) {
                if ("queued".equals(redis.hget(RedisKeys.job(id), "status"))) {
                    seen.add(worker + " " + id);
                }
            }
        }
        int requeued = 0;
        for (String stray : sightings.confirm(seen, pass.windowGeneration())) {
            pass.keepLock();
            String worker = stray.substring(0, stray.indexOf(' '));
            String id = stray.substring(stray.indexOf(' ') + 1);
            if (JobQueue.returnUnclaimed(redis, worker, id, false) == 1) {
                requeued++;
                try (var job = LogContext.job(id)) {
                    LOG.warn("moved to worker {} but never claimed: requeued", worker);
                }
            }
        }
        return requeued;
    }
}
