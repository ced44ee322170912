package io.codeexec.api.metrics;

import io.codeexec.common.queue.QueueStats;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Queue depth gauges read from Redis at scrape time through {@link QueueStats}: one read serves every
 * gauge of a scrape (cached {@link #MAX_AGE_NANOS}), so a scrape costs QueueStats' few round trips.
 * While Redis is unreachable the gauges show NaN (Prometheus drops the sample) rather than a stale number.
 */
final class QueueGauges {
    private static final Logger LOG = LoggerFactory.getLogger(QueueGauges.class);
    static final long MAX_AGE_NANOS = 1_000_000_000L;

    private final QueueStats stats;
    private QueueStats.Snapshot last;
    private long readAt;

    QueueGauges(QueueStats stats) {
        this.stats = stats;
    }

    void bind(MeterRegistry registry) {
        gauge(registry, "codeexec.queue.pending", "Jobs waiting for a worker (single and batch jobs)", s -> s.pending());
        gauge(registry, "codeexec.queue.running", "Jobs held by live or dead-but-unreaped workers", s -> s.running());
        gauge(registry, "codeexec.workers.live", "Workers with a current heartbeat", s -> s.workers().size());
        gauge(registry, "codeexec.callbacks.backlog", "Callbacks waiting to be delivered (pending + retrying)",
                s -> s.callbacks().total());
    }

    private void gauge(MeterRegistry registry, String name, String help, ToDoubleFunction<QueueStats.Snapshot> value) {
        Gauge.builder(name, this, gauges -> gauges.read(value)).description(help).strongReference(true)
                .register(registry);
    }

    private synchronized double read(ToDoubleFunction<QueueStats.Snapshot> value) {
        long now = System.nanoTime();
        if (last == null || now - readAt > MAX_AGE_NANOS) {
            try {
                last = stats.read();
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
