package io.codeexec.api.metrics;

import io.codeexec.common.queue.QueueStats;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Queue depth gauges read from Redis at scrape time through {@link QueueStats} and {@link QueueDepth}: one
 * read serves every gauge of a scrape (cached {@link #MAX_AGE_NANOS}), so a scrape costs QueueStats' few round trips.
 * While Redis is unreachable the gauges show NaN (Prometheus drops the sample) rather than a stale number.
 */
final class QueueGauges {
    private static final Logger LOG = LoggerFactory.getLogger(QueueGauges.class);
    static final long MAX_AGE_NANOS = 1_000_000_000L;

    /** One scrape's reading of both sources. */
    private record Reading(QueueStats.Snapshot stats, QueueDepth.Reading depth) {}

    private final QueueStats stats;
    private final QueueDepth depth;
    private Reading last;
    private long readAt;

    QueueGauges(QueueStats stats, QueueDepth depth) {
        this.stats = stats;
        this.depth = depth;
    }

    void bind(MeterRegistry registry) {
        gauge(registry, "codeexec.queue.pending", "Jobs waiting for a worker (single and batch jobs)",
                r -> r.stats().pending());
        gauge(registry, "codeexec.queue.tenants", "Tenants with jobs waiting their turn (fair scheduling)",
                r -> r.depth().queuedTenants());
        gauge(registry, "codeexec.queue.delayed", "Jobs released with a delay, not yet back in the queue",
                r -> r.depth().delayed());
        gauge(registry, "codeexec.queue.oldest.pending.age.seconds", "How long the oldest single job next in line of any tenant has waited",
                r -> r.depth().oldestPendingSeconds());
        gauge(registry, "codeexec.queue.running", "Jobs held by live or dead-but-unreaped workers",
                r -> r.stats().running());
        gauge(registry, "codeexec.workers.live", "Workers with a current heartbeat", r -> r.stats().workers().size());
        gauge(registry, "codeexec.callbacks.backlog", "Callbacks waiting to be delivered (pending + retrying)",
                r -> r.stats().callbacks().total());
    }

    private void gauge(MeterRegistry registry, String name, String help, ToDoubleFunction<Reading> value) {
        Gauge.builder(name, this, gauges -> gauges.read(value)).description(help).strongReference(true)
                .register(registry);
    }

    private synchronized double read(ToDoubleFunction<Reading> value) {
        long now = System.nanoTime();
        if (last == null || now - readAt > MAX_AGE_NANOS) {
            try {
                last = new Reading(stats.read(), depth.read());
                readAt = now;
            } catch (JedisException e) {
                LOG.debug("queue gauges unavailable: {}", e.getMessage());
                last = null;
                return Double.NaN;
            }
        }
        return value.applyAsDouble(last);
    }
}
