package io.codeexec.common.queue;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.codeexec.common.json.Json;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;

/**
 * An operator's view of the queue, read in two round trips (the registered workers, then one pipeline):
 * jobs waiting, jobs held by workers, the live workers with their heartbeat status, the counters, and the
 * callback backlog (from {@link Outbox#backlog()}, one more round trip).
 * Not a consistent snapshot: each number is exact at its own instant, which is all a dashboard needs.
 */
public final class QueueStats {
    private static final Logger LOG = LoggerFactory.getLogger(QueueStats.class);

    /**
     * What GET /stats answers. {@code pending} counts the queued jobs of every tenant that can be claimed
     * (not those released with a delay); {@code running} counts the jobs in every registered worker's
     * processing list; {@code callbacks} is the outbox backlog (pending, retrying) and the count of callbacks
     * given up on; {@code queuedTenants} how many tenants have jobs waiting their turn.
     */
    public record Snapshot(long pending, long running, List<Worker> workers, long completed, long failed, long cancelled,
                           Outbox.Backlog callbacks, long queuedTenants) {}

    /** A live worker as its heartbeat describes it (see the worker's Heartbeat); unknown fields are ignored. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Worker(String id, int concurrency, Instant startedAt, Instant lastHeartbeat, Map<String, Object> health) {}

    private final UnifiedJedis redis;

    public QueueStats(UnifiedJedis redis) {
        this.redis = redis;
    }

    public Snapshot read() {
        Set<String> workerIds = new TreeSet<>(redis.smembers(RedisKeys.workers()));
        Response<String> queued;
        Response<Long> delayed;
        Response<Long> tenants;
        Response<Map<String, String>> counters;
        List<Response<Long>> processing = new ArrayList<>();
        List<Response<String>> heartbeats = new ArrayList<>();
        try (AbstractPipeline pipeline = redis.pipelined()) {
            queued = pipeline.get(RedisKeys.queued());
            delayed = pipeline.zcard(RedisKeys.delayed());
            tenants = pipeline.llen(RedisKeys.tenants());
            counters = pipeline.hgetAll(RedisKeys.stats());
            for (String id : workerIds) {
                processing.add(pipeline.llen(RedisKeys.processing(id)));
                heartbeats.add(pipeline.get(RedisKeys.heartbeat(id)));
            }
            pipeline.sync();
        }
        long running = processing.stream().mapToLong(Response::get).sum();
        List<Worker> workers = new ArrayList<>();
        for (Response<String> heartbeat : heartbeats) {
            String json = heartbeat.get();
            if (json != null) {  // registered but without a heartbeat: dead, the reaper will recover its jobs
                parse(json).ifPresent(workers::add);
            }
        }
        Map<String, String> count = counters.get();
        long claimable = (queued.get() == null ? 0 : Long.parseLong(queued.get())) - delayed.get();
        return new Snapshot(Math.max(0, claimable), running, List.copyOf(workers),
                counter(count, "completed"), counter(count, "failed"), counter(count, "cancelled"),
                new Outbox(redis).backlog(), tenants.get());
    }

    private static Optional<Worker> parse(String json) {
        try {
            return Optional.of(Json.read(json, Worker.class));
        } catch (UncheckedIOException | IllegalArgumentException e) {
            // One worker's unreadable status must not take the whole page down.
            LOG.warn("Ignoring an unreadable worker heartbeat: {}", e.getMessage());
            return Optional.empty();
        }
    }

    private static long counter(Map<String, String> counters, String name) {
        String value = counters == null ? null : counters.get(name);
        return value == null ? 0 : Long.parseLong(value);
    }
}
