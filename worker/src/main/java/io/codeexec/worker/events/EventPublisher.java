package io.codeexec.worker.events;

import io.codeexec.common.events.JobEventStream;
import io.codeexec.common.logging.LogContext;
import io.codeexec.common.queue.RedisKeys;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.XAddParams;

/**
 * Publishes the live events of the jobs running on this worker to their Redis streams
 * ({@link RedisKeys#jobEvents}, issue 13):
 * 1. {@link #open} starts a job's events with its "running" status;
 * 2. one thread sends every job's pending events each {@link #FLUSH_MS} (one pipelined round trip per
 *    job: XADD MAXLEN ~ {@link JobEventStream#MAX_ENTRIES} each, then EXPIRE = the result TTL);
 * 3. {@link JobEvents#close} sends the rest at once, before the job completes, so complete.lua's final
 *    status event is always the stream's last.
 * Live output is a convenience: a Redis failure here is logged and the events dropped, never the job
 * (its result carries the same output).
 */
public final class EventPublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventPublisher.class);
    /** How long output waits at most before it is sent. */
    static final long FLUSH_MS = 50;

    private final UnifiedJedis redis;
    private final long ttlSeconds;
    private final Set<JobEvents> open = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("event-publisher").factory());
    private volatile long lastWarning;

    public EventPublisher(UnifiedJedis redis, long ttlSeconds) {
        this.redis = redis;
        this.ttlSeconds = ttlSeconds;
    }

    public EventPublisher start() {
        flusher.scheduleWithFixedDelay(() -> open.forEach(this::flush), FLUSH_MS, FLUSH_MS, TimeUnit.MILLISECONDS);
        return this;
    }

    /** The events of a job that starts running now, each stream of its output capped at {@code outputCap} bytes. */
    public JobEvents open(String jobId, long outputCap) {
        JobEvents events = new JobEvents(jobId, outputCap, this);
        events.event(JobEventStream.STATUS, Map.of("status", "running"));
        open.add(events);
        return events;
    }

    void closed(JobEvents events) {
        open.remove(events);
        flush(events);
    }

    private void flush(JobEvents events) {
        synchronized (events.sending) {
            List<Map<String, String>> entries = events.drain();
            if (entries.isEmpty()) {
                return;
            }
            String key = RedisKeys.jobEvents(events.jobId());
            XAddParams capped = XAddParams.xAddParams().maxLen(JobEventStream.MAX_ENTRIES).approximateTrimming();
            try (AbstractPipeline pipeline = redis.pipelined()) {
                entries.forEach(entry -> pipeline.xadd(key, capped, entry));
                pipeline.expire(key, ttlSeconds);
                pipeline.sync();
            } catch (RuntimeException e) {
                long now = System.currentTimeMillis();
                if (now - lastWarning > 10_000) {  // one line per outage, not one per flush
                    lastWarning = now;
                    try (var job = LogContext.job(events.jobId())) {
                        LOG.warn("cannot publish live events ({}); dropped, the result is unaffected", e.getMessage());
                    }
                }
            }
        }
    }

    /** Sends what is pending and stops the flusher thread. */
    @Override
    public void close() {
        flusher.shutdownNow();
        open.forEach(this::flush);
    }
}
