package io.codeexec.worker.reaper;

import io.codeexec.common.logging.LogContext;
import io.codeexec.common.queue.JobQueue;
import io.codeexec.common.queue.RedisKeys;
import io.codeexec.worker.Heartbeat;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * Finds dead workers and cleans up after them:
 * 1. a worker is dead when its heartbeat key is missing on two passes, while this reaper reached Redis
 *    for longer than the heartbeat's TTL (after an outage every peer's key has expired);
 * 2. candidates are the registered workers and the workers named by containers on our engine (a worker
 *    that died unregistered, or was unregistered by a reaper on another engine, still left containers);
 * 3. its containers are removed off this thread (the sweeper's), its processing-list ids that were never
 *    claimed go back to the queue; its running jobs come back through their leases (one without a lease
 *    would never lapse: it goes back now); once its list is empty it is unregistered.
 */
public final class DeadWorkerReaper implements ReaperDuty {
    private static final Logger LOG = LoggerFactory.getLogger(DeadWorkerReaper.class);
    static final long HEARTBEAT_TTL_MS = Heartbeat.TTL_SECONDS * 1000L;

    private final UnifiedJedis redis;
    private final String self;
    private final Consumer<String> removeContainersOf;
    private final Supplier<Set<String>> labelledWorkers;
    private final SecondSighting sightings = new SecondSighting();

    /**
     * @param removeContainersOf asks (without waiting) for a dead worker's containers to be removed
     * @param labelledWorkers the workers named by containers on this worker's engine, as last listed
     */
    public DeadWorkerReaper(UnifiedJedis redis, String self, Consumer<String> removeContainersOf,
                            Supplier<Set<String>> labelledWorkers) {
        this.redis = redis;
        this.self = self;
        this.removeContainersOf = removeContainersOf;
        this.labelledWorkers = labelledWorkers;
    }

    @Override
    public int run(Pass pass) {
        if (!pass.covers(HEARTBEAT_TTL_MS)) {
            sightings.forget();
            return 0;
        }
        Set<String> candidates = new TreeSet<>(redis.smembers(RedisKeys.workers()));
        candidates.addAll(labelledWorkers.get());
        candidates.remove(self);
        Set<String> silent = new HashSet<>();
        for (String worker : candidates) {
            if (!redis.exists(RedisKeys.heartbeat(worker))) {
                silent.add(worker);
            }
        }
        int requeued = 0;
        for (String worker : new TreeSet<>(sightings.confirm(silent, pass.windowGeneration()))) {
            pass.keepLock();
            removeContainersOf.accept(worker);
            requeued += requeueUnclaimed(worker, pass);
            if (redis.llen(RedisKeys.processing(worker)) == 0 && redis.srem(RedisKeys.workers(), worker) > 0) {
                LOG.info("worker {} is dead and holds no job any more: unregistered", worker);
            }
        }
        return requeued;
    }

    private int requeueUnclaimed(String worker, Pass pass) {
        int requeued = 0;
        for (String id : redis.lrange(RedisKeys.processing(worker), 0, -1)) {
            pass.keepLock();
            if (JobQueue.returnUnclaimed(redis, worker, id, true) == 1) {
                requeued++;
                try (var job = LogContext.job(id)) {
                    LOG.warn("worker {} is dead: this job it held without a lease is requeued", worker);
                }
            }
        }
        return requeued;
    }
}
