package io.codeexec.worker;

import io.codeexec.common.queue.JobQueue;
import io.codeexec.common.queue.RedisKeys;
import io.codeexec.common.job.JobRequest;
import io.codeexec.common.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

/**
 * Gives back to the queue the jobs of dead workers (registered, heartbeat expired), removing the
 * containers they left running, and the jobs of live workers that are stuck: running longer than their
 * own wall-clock limit plus {@link #STUCK_GRACE}, which no healthy run does, or moved to a live worker's
 * list by BLMOVE but never claimed (a lost reply) on two passes in a row. Any worker may
 * run it; a SET NX EX lock lets one at a time do so. The attempt count kept by claim.lua bounds how
 * often a job that kills its workers is retried.
 */
final class OrphanReaper {
    private static final Logger LOG = LoggerFactory.getLogger(OrphanReaper.class);
    private static final int LOCK_SECONDS = 10;
    static final Duration STUCK_GRACE = Duration.ofSeconds(60);

    private final UnifiedJedis redis;
    private final JobQueue queue;
    private final String workerId;
    private final Consumer<String> removeContainersOf;
    /** worker/job pairs seen moved but unclaimed on the previous pass of this reaper. */
    private final Set<String> strayLastPass = new HashSet<>();

    /** {@code removeContainersOf} removes the containers a dead worker left running (by their label). */
    OrphanReaper(UnifiedJedis redis, JobQueue queue, String workerId, Consumer<String> removeContainersOf) {
        this.redis = redis;
        this.queue = queue;
        this.workerId = workerId;
        this.removeContainersOf = removeContainersOf;
    }

    private int requeueStuck(String worker) {
        int requeued = 0;
        Instant now = Instant.now();
        Set<String> strays = new HashSet<>();
        for (String jobId : queue.processing(worker)) {
            List<String> fields = redis.hmget(RedisKeys.job(jobId), "status", "startedAt", "request");
            if ("queued".equals(fields.get(0))) {
                // Moved by BLMOVE but never claimed (the reply was lost): claim.lua runs within
                // milliseconds of the move, so one still queued on the next pass is a stray.
                String key = worker + "/" + jobId;
                strays.add(key);
                if (strayLastPass.contains(key) && giveBack(jobId, worker)) {
                    requeued++;
                    LOG.warn("job {} was moved to worker {} but never claimed: requeued", jobId, worker);
                }
                continue;
            }
            fields = fields.subList(1, 3);
            if (fields.get(0) == null || fields.get(1) == null) {
                continue;
            }
            long wallMs = Json.read(fields.get(1), JobRequest.class).limits().wallTimeMs();
            Instant deadline = Instant.parse(fields.get(0)).plusMillis(wallMs).plus(STUCK_GRACE);
            if (now.isAfter(deadline) && giveBack(jobId, worker)) {
                requeued++;
                LOG.warn("job {} stuck on live worker {} since {}: requeued", jobId, worker, fields.get(0));
            }
        }
        strayLastPass.removeIf(key -> key.startsWith(worker + "/"));
        strayLastPass.addAll(strays);
        return requeued;
    }

    /**
     * Gives back a job held in a worker's processing list: a running one only once its lease has lapsed
     * (requeue_lapsed checks the token and Redis's clock), a never-claimed one at once.
     */
    private boolean giveBack(String jobId, String worker) {
        List<String> state = redis.hmget(RedisKeys.job(jobId), "status", "token");
        if ("running".equals(state.get(0)) && state.get(1) != null) {
            return queue.requeueLapsed(jobId, Long.parseLong(state.get(1)));
        }
        return queue.returnUnclaimed(worker, jobId);
    }

    /** Returns how many jobs were requeued. */
    int reap() {
        if (redis.set(RedisKeys.reaperLock(), workerId, SetParams.setParams().nx().ex(LOCK_SECONDS)) == null) {
            return 0;
        }
        int requeued = 0;
        try {
            for (String worker : redis.smembers(RedisKeys.workers())) {
                if (redis.exists(RedisKeys.heartbeat(worker))) {
                    requeued += requeueStuck(worker);
                    continue;
                }
                removeContainersOf.accept(worker);
                List<String> orphans = queue.processing(worker);
                for (String jobId : orphans) {
                    if (giveBack(jobId, worker)) {
                        requeued++;
                        LOG.warn("worker {} is gone: job {} requeued", worker, jobId);
                    }
                }
                if (queue.processing(worker).isEmpty()) {
                    redis.srem(RedisKeys.workers(), worker);
                }
            }
        } finally {
            if (workerId.equals(redis.get(RedisKeys.reaperLock()))) {
                redis.del(RedisKeys.reaperLock());
            }
        }
        return requeued;
    }
}
