package io.codeexec.worker.reaper;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Runs the reaper's duties on a thread of its own (never the heartbeat's), every interval:
 * 1. samples Redis's clock, so {@link RedisReachability} knows how long Redis has been reachable;
 * 2. takes the reaper lock for one pass (one pass at a time across all workers);
 * 3. runs each duty (lapsed leases, dead workers, stray claims) under it, and releases it.
 * Nothing here calls Docker: removing a dead worker's containers is handed to the sweeper's thread.
 */
public final class Reaper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Reaper.class);
    /** How often a reaper pass runs. */
    public static final long INTERVAL_MS = 5_000;
    /** A gap between two passes longer than this many intervals restarts the reachability window. */
    static final long MAX_GAP_INTERVALS = 2;

    private final UnifiedJedis redis;
    private final long intervalMs;
    private final ReaperLock lock;
    private final RedisReachability reachability;
    private final List<ReaperDuty> duties;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "reaper");
        t.setDaemon(true);
        return t;
    });
    private boolean redisLost;

    public Reaper(UnifiedJedis redis, String workerId, long intervalMs, List<ReaperDuty> duties) {
        this.redis = redis;
        this.intervalMs = intervalMs;
        this.lock = new ReaperLock(redis, workerId);
        this.reachability = new RedisReachability(MAX_GAP_INTERVALS * intervalMs);
        this.duties = List.copyOf(duties);
    }

    /** The worker's reaper: lapsed leases, dead workers (containers removed by {@code removeContainersOf}), strays. */
    public static Reaper standard(UnifiedJedis redis, String workerId, Consumer<String> removeContainersOf,
                                  Supplier<Set<String>> labelledWorkers) {
        return new Reaper(redis, workerId, INTERVAL_MS, List.of(
                new LapsedLeaseReaper(redis),
                new DeadWorkerReaper(redis, workerId, removeContainersOf, labelledWorkers),
                new StrayClaimReaper(redis)));
    }

    /** Runs a pass every interval on the reaper's own thread. */
    public Reaper start() {
        thread.scheduleWithFixedDelay(this::passQuietly, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
        return this;
    }

    /** One pass; returns how many jobs it gave back to the queue (0 when another reaper held the lock). */
    public int pass() {
        try {
            long now = reachability.sample(redis);
            if (redisLost) {
                redisLost = false;
                LOG.info("reaper reaches Redis again; it acts on lapses once Redis stayed reachable for their TTL");
            }
            Optional<ReaperLock.Held> held = lock.tryAcquire();
            if (held.isEmpty()) {
                return 0;
            }
            int requeued = 0;
            try (ReaperLock.Held h = held.get()) {
                Pass pass = new Pass(now, reachability.reachableMs(), reachability.generation(), h);
                for (ReaperDuty duty : duties) {
                    requeued += duty.run(pass);
                }
            }
            // Sampled again after the duties, so a long pass does not read as a gap in reachability.
            reachability.sample(redis);
            return requeued;
        } catch (JedisException e) {
            reachability.lost();
            if (!redisLost) {
                redisLost = true;
                LOG.warn("reaper cannot reach Redis ({}); no lapse counts until it has been reachable for a full TTL",
                        e.getMessage());
            }
            return 0;
        }
    }

    private void passQuietly() {
        try {
            pass();
        } catch (ReaperLock.LostException e) {
            LOG.warn(e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("reaper pass failed", e);
        }
    }

    public RedisReachability reachability() {
        return reachability;
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
