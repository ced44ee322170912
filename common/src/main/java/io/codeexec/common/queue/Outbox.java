package io.codeexec.common.queue;

import io.codeexec.common.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.XAutoClaimParams;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.resps.StreamConsumerInfo;
import redis.clients.jedis.resps.StreamEntry;

/**
 * The durable outbox of callbacks: a Redis stream that any worker delivers from through one consumer group.
 * 1. Entries are added by complete.lua / cancel.lua (in the script that stores the result) or {@link #enqueue}.
 * 2. A consumer reads new entries, or claims entries another consumer held too long (it died or stalled).
 * 3. An entry leaves the stream only when settled: delivered or dropped ({@code outbox_ack.lua}), or moved
 *    to the retries set ({@code outbox_retry.lua}) from which {@code outbox_due.lua} brings it back when due.
 * So the backlog is exact: stream length (waiting or in flight) plus the retries set.
 */
public final class Outbox {
    /** The stats hash counter of callbacks given up on (last attempt failed, or the target was refused). */
    public static final String DROPPED_COUNTER = "callbacksDropped";
    public static final int FIRST_ATTEMPT = 1;
    private static final int MAX_DUE_PER_CALL = 100;

    private static final LuaScript ACK = LuaScript.load("outbox_ack");
    private static final LuaScript RETRY = LuaScript.load("outbox_retry");
    private static final LuaScript DUE = LuaScript.load("outbox_due");
    private static final LuaScript LEAVE = LuaScript.load("outbox_leave");

    /** What a callback reports on: one job's document, or a whole batch's. */
    public enum Kind {
        JOB, BATCH;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Optional<Kind> fromWire(String value) {
            for (Kind kind : values()) {
                if (kind.wire().equals(value)) {
                    return Optional.of(kind);
                }
            }
            return Optional.empty();
        }
    }

    /** One callback to deliver; {@code streamId} is its entry in the stream, {@code attempt} counts from 1. */
    public record Entry(String streamId, Kind kind, String id, String url, int attempt) {}

    /** A malformed stream entry (no kind, id or url): it can only be dropped. */
    public record Malformed(String streamId, Map<String, String> fields) {}

    /** Entries read or claimed in one call: well-formed ones to deliver, malformed ones to drop. */
    public record Taken(List<Entry> entries, List<Malformed> malformed) {
        static final Taken EMPTY = new Taken(List.of(), List.of());

        public boolean isEmpty() {
            return entries.isEmpty() && malformed.isEmpty();
        }
    }

    /** Claimed stale entries and the cursor to continue the pending-list scan from ("0-0" = from the start). */
    public record Claimed(Taken taken, String next) {}

    /**
     * The backlog, as /stats shows it: {@code pending} entries in the stream (not yet read, or in flight),
     * {@code retrying} deliveries waiting for their next attempt, and {@code dropped} ever given up on.
     */
    public record Backlog(long pending, long retrying, long dropped) {
        public long total() {
            return pending + retrying;
        }
    }

    /**
     * The JSON member of the retries set: what outbox_due.lua needs to add the entry back. Two identical retries
     * (same kind, id, url and attempt) collapse into one, which is what we want: one delivery is enough.
     */
    private record Retry(String kind, String id, String url, String attempt) {}

    private final UnifiedJedis redis;

    public Outbox(UnifiedJedis redis) {
        this.redis = redis;
    }

    /** Creates the stream and its consumer group if missing; entries added before the group existed are kept. */
    public void ensureGroup() {
        try {
            redis.xgroupCreate(RedisKeys.outbox(), RedisKeys.OUTBOX_GROUP, new StreamEntryID(0, 0), true);
        } catch (JedisDataException e) {
            if (e.getMessage() == null || !e.getMessage().startsWith("BUSYGROUP")) {
                throw e;
            }
        }
    }

    /** Adds a callback to deliver (first attempt); returns its stream id. */
    public String enqueue(Kind kind, String id, String url) {
        return redis.xadd(RedisKeys.outbox(), StreamEntryID.NEW_ENTRY, Map.of("kind", kind.wire(), "id", id,
                "url", url, "attempt", Integer.toString(FIRST_ATTEMPT))).toString();
    }

    /** Up to {@code count} entries no consumer has read yet, waiting at most {@code blockMs} for one. */
    public Taken read(String consumer, int count, int blockMs) {
        var streams = redis.xreadGroup(RedisKeys.OUTBOX_GROUP, consumer,
                XReadGroupParams.xReadGroupParams().count(count).block(blockMs),
                Map.of(RedisKeys.outbox(), StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
        if (streams == null || streams.isEmpty()) {
            return Taken.EMPTY;
        }
        return parse(streams.getFirst().getValue());
    }

    /** Takes over up to {@code count} entries that another consumer has held for longer than {@code minIdleMs}. */
    public Claimed claimStale(String consumer, long minIdleMs, int count, String cursor) {
        var claimed = redis.xautoclaim(RedisKeys.outbox(), RedisKeys.OUTBOX_GROUP, consumer, minIdleMs,
                new StreamEntryID(cursor), XAutoClaimParams.xAutoClaimParams().count(count));
        return new Claimed(parse(claimed.getValue()), claimed.getKey().toString());
    }

    /** The entry was delivered: it leaves the outbox. False when another consumer had already settled it. */
    public boolean delivered(String streamId) {
        return ack(streamId, "");
    }

    /** The entry is given up on (and counted): it leaves the outbox. */
    public boolean drop(String streamId) {
        return ack(streamId, DROPPED_COUNTER);
    }

    private boolean ack(String streamId, String counter) {
        Object settled = ACK.run(redis, List.of(RedisKeys.outbox(), RedisKeys.stats()),
                List.of(RedisKeys.OUTBOX_GROUP, streamId, counter));
        return Long.valueOf(1).equals(settled);
    }

    /**
     * Schedules the entry's next attempt in {@code delayMs}; false (and nothing done) when the entry is no
     * longer held by {@code consumer}, so that a consumer that stalled cannot duplicate a taken-over entry.
     */
    public boolean retryLater(String consumer, Entry entry, long delayMs) {
        String retry = Json.write(new Retry(entry.kind().wire(), entry.id(), entry.url(),
                Integer.toString(entry.attempt() + 1)));
        Object scheduled = RETRY.run(redis, List.of(RedisKeys.outbox(), RedisKeys.outboxRetries()),
                List.of(RedisKeys.OUTBOX_GROUP, consumer, entry.streamId(), retry, Long.toString(delayMs)));
        return Long.valueOf(1).equals(scheduled);
    }

    /** Moves due retries back into the stream; returns how many. Safe to run from every worker at once. */
    public long moveDueRetries() {
        return (Long) DUE.run(redis, List.of(RedisKeys.outboxRetries(), RedisKeys.outbox()),
                List.of(Integer.toString(MAX_DUE_PER_CALL)));
    }

    /** Removes the consumer from the group if it holds nothing; returns whether it was removed. */
    public boolean leave(String consumer) {
        return Long.valueOf(1).equals(LEAVE.run(redis, List.of(RedisKeys.outbox()),
                List.of(RedisKeys.OUTBOX_GROUP, consumer)));
    }

    /**
     * Removes the consumers that hold nothing and have not read for longer than {@code idleMs}: workers gone for
     * good (a live one reads every second; one removed by mistake is recreated by its next read). Returns how many.
     */
    public int forgetIdleConsumers(long idleMs) {
        int removed = 0;
        for (StreamConsumerInfo consumer : redis.xinfoConsumers2(RedisKeys.outbox(), RedisKeys.OUTBOX_GROUP)) {
            if (consumer.getPending() == 0 && consumer.getIdle() > idleMs && leave(consumer.getName())) {
                removed++;
            }
        }
        return removed;
    }

    public Backlog backlog() {
        try (var pipeline = redis.pipelined()) {
            var pending = pipeline.xlen(RedisKeys.outbox());
            var retrying = pipeline.zcard(RedisKeys.outboxRetries());
            var dropped = pipeline.hget(RedisKeys.stats(), DROPPED_COUNTER);
            pipeline.sync();
            return new Backlog(pending.get(), retrying.get(), dropped.get() == null ? 0 : Long.parseLong(dropped.get()));
        }
    }

    private static Taken parse(List<StreamEntry> read) {
        List<Entry> entries = new ArrayList<>();
        List<Malformed> malformed = new ArrayList<>();
        for (StreamEntry entry : read) {
            if (entry == null) {
                continue;  // deleted from the stream while pending: nothing left to deliver
            }
            Map<String, String> fields = entry.getFields();
            Optional<Kind> kind = Kind.fromWire(fields.get("kind"));
            String id = fields.get("id");
            String url = fields.get("url");
            int attempt = attempt(fields.get("attempt"));
            if (kind.isEmpty() || id == null || url == null || url.isEmpty() || attempt < FIRST_ATTEMPT) {
                malformed.add(new Malformed(entry.getID().toString(), fields));
            } else {
                entries.add(new Entry(entry.getID().toString(), kind.get(), id, url, attempt));
            }
        }
        return new Taken(List.copyOf(entries), List.copyOf(malformed));
    }

    private static int attempt(String value) {
        try {
            return value == null ? FIRST_ATTEMPT : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
