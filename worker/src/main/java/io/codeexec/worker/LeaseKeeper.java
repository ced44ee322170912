package io.codeexec.worker;

import io.codeexec.common.logging.LogContext;
import io.codeexec.common.queue.JobQueue;
import io.codeexec.common.queue.Lease;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Renews the leases of the jobs this worker is running, every {@link JobQueue#RENEW_EVERY_MS}, on a
 * thread of its own (a slow run, heartbeat or Docker call never delays a renewal). A renewal refused
 * (the token changed, or the job is no longer running) means the lease is lost: the run is killed
 * through {@code onLost}, and its result would be refused anyway. A Redis error just waits for the next
 * round: the lease lasts three rounds.
 */
final class LeaseKeeper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LeaseKeeper.class);

    private final JobQueue queue;
    private final long everyMs;
    private final Map<String, Held> held = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "lease-keeper");
        t.setDaemon(true);
        return t;
    });

    private record Held(Lease lease, Runnable onLost) {}

    LeaseKeeper(JobQueue queue) {
        this(queue, JobQueue.RENEW_EVERY_MS);
    }

    LeaseKeeper(JobQueue queue, long everyMs) {
        this.queue = queue;
        this.everyMs = everyMs;
    }

    LeaseKeeper start() {
        timer.scheduleWithFixedDelay(this::renewAll, everyMs, everyMs, TimeUnit.MILLISECONDS);
        return this;
    }

    /** Keeps {@code lease} renewed until {@link #release}; {@code onLost} runs once if it is lost. */
    void hold(Lease lease, Runnable onLost) {
        held.put(lease.id() + ":" + lease.token(), new Held(lease, onLost));
    }

    /** Stops renewing the lease (its run ended). */
    void release(Lease lease) {
        held.remove(lease.id() + ":" + lease.token());
    }

    /** One round: renews every held lease. Package-private for tests. */
    void renewAll() {
        for (Map.Entry<String, Held> entry : held.entrySet()) {
            Lease lease = entry.getValue().lease();
            try (var job = LogContext.job(lease.id())) {
                if (!queue.renew(lease)) {
                    if (held.remove(entry.getKey()) != null) {
                        LOG.warn("lease (token {}) lost: killing its run", lease.token());
                        entry.getValue().onLost().run();
                    }
                }
            } catch (JedisException e) {
                LOG.warn("cannot renew the lease of job {} ({}); retrying next round", lease.id(), e.getMessage());
            } catch (RuntimeException e) {
                LOG.error("renewing the lease of job {} failed", lease.id(), e);
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
