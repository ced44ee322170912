package io.codeexec.worker.reaper;

import io.codeexec.common.logging.LogContext;
import io.codeexec.common.queue.JobQueue;
import io.codeexec.common.queue.RedisKeys;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * Gives back to the queue the running jobs whose lease lapsed (score in codeexec:leases below Redis's
 * time): their holder stopped renewing, whether it died, lost Redis or hangs. Never because a clock says
 * the job should be done. Acts only when this reaper reached Redis for longer than a lease, on a job
 * seen lapsed with the same token and holder on two passes; requeue_lapsed.lua re-checks all of
 * it atomically. A dead worker's running jobs come back this way too.
 */
public final class LapsedLeaseReaper implements ReaperDuty {
    private static final Logger LOG = LoggerFactory.getLogger(LapsedLeaseReaper.class);

    private final UnifiedJedis redis;
    private final SecondSighting sightings = new SecondSighting();

    public LapsedLeaseReaper(UnifiedJedis redis) {
        this.redis = redis;
    }

    @Override
    public int run(Pass pass) {
        if (!pass.covers(JobQueue.LEASE_MS)) {
            sightings.forget();
            return 0;
        }
        Map<String, Lapse> seen = new HashMap<>();
        for (String id : redis.zrangeByScore(RedisKeys.leases(), "-inf", "(" + pass.redisNowMs())) {
            List<String> fields = redis.hmget(RedisKeys.job(id), "status", "token", "worker");
            Lapse lapse = new Lapse(id, fields.get(1), fields.get(2));
            if (!"running".equals(fields.get(0)) || lapse.token() == null || lapse.worker() == null) {
                pass.keepLock();
                requeue(lapse); // not running: the script only drops the stale lease
                continue;
            }
            seen.put(lapse.key(), lapse);
        }
        int requeued = 0;
        for (String key : sightings.confirm(seen.keySet(), pass.windowGeneration())) {
            pass.keepLock();
            Lapse lapse = seen.get(key);
            if (requeue(lapse)) {
                requeued++;
                try (var job = LogContext.job(lapse.id())) {
                    LOG.warn("lease of worker {} (token {}) lapsed on two passes: requeued", lapse.worker(), lapse.token());
                }
            }
        }
        return requeued;
    }

    private boolean requeue(Lapse lapse) {
        return JobQueue.requeueLapsed(redis, lapse.id(), lapse.token() == null ? "" : lapse.token(),
                lapse.worker() == null ? "" : lapse.worker());
    }

    /** A lease seen lapsed: the job, the token of the claim, the holder. */
    private record Lapse(String id, String token, String worker) {
        String key() {
            return id + " " + token + " " + worker;
        }
    }
}
