package io.codeexec.common.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codeexec.common.testing.RedisTestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.StreamEntryID;

/** The outbox's Redis side against a real Redis: who may settle an entry, when retries come back, the backlog. */
class OutboxIT {
    private RedisClient redis;
    private Outbox outbox;

    @BeforeEach
    void freshRedis() {
        redis = new RedisConnector(RedisTestServer.url()).pooled(2);
        redis.flushAll();
        outbox = new Outbox(redis);
    }

    @AfterEach
    void close() {
        redis.close();
    }

    private Outbox.Entry readOne(String consumer) {
        Outbox.Taken taken = outbox.read(consumer, 1, 100);
        assertEquals(1, taken.entries().size(), taken.toString());
        return taken.entries().getFirst();
    }

    private long pendingFor(String consumer) {
        return redis.xpending(RedisKeys.outbox(), RedisKeys.OUTBOX_GROUP).getConsumerMessageCount()
                .getOrDefault(consumer, 0L);
    }

    @Test
    void entriesAddedBeforeTheGroupExistsAreDeliveredAndCreatingItTwiceIsHarmless() {
        outbox.enqueue(Outbox.Kind.JOB, "j1", "https://example.com/hook");
        outbox.ensureGroup();
        outbox.ensureGroup();
        Outbox.Entry entry = readOne("a");
        assertEquals(new Outbox.Entry(entry.streamId(), Outbox.Kind.JOB, "j1", "https://example.com/hook", 1), entry);
        assertTrue(outbox.read("a", 1, 50).isEmpty(), "an entry is handed to one reader once");
    }

    @Test
    void onlyTheHolderSchedulesARetryWhichComesBackWhenDueWithTheNextAttempt() throws Exception {
        outbox.ensureGroup();
        outbox.enqueue(Outbox.Kind.BATCH, "b1", "https://example.com/b");
        Outbox.Entry entry = readOne("a");

        assertFalse(outbox.retryLater("b", entry, 0), "b does not hold the entry");
        assertEquals(new Outbox.Backlog(1, 0, 0), outbox.backlog());
        assertEquals(1, pendingFor("a"));

        assertTrue(outbox.retryLater("a", entry, 300));
        assertEquals(new Outbox.Backlog(0, 1, 0), outbox.backlog());
        assertEquals(0, outbox.moveDueRetries(), "not due yet");
        Thread.sleep(350);
        assertEquals(1, outbox.moveDueRetries());
        assertEquals(new Outbox.Backlog(1, 0, 0), outbox.backlog());
        Outbox.Entry retry = readOne("b");
        assertEquals(List.of(Outbox.Kind.BATCH, "b1", "https://example.com/b", 2),
                List.of(retry.kind(), retry.id(), retry.url(), retry.attempt()));
    }

    @Test
    void aSettledEntryLeavesTheOutboxOnceAndDropsAreCounted() {
        outbox.ensureGroup();
        outbox.enqueue(Outbox.Kind.JOB, "j1", "https://example.com/1");
        outbox.enqueue(Outbox.Kind.JOB, "j2", "https://example.com/2");
        Outbox.Entry first = readOne("a");
        Outbox.Entry second = readOne("a");
        assertTrue(outbox.delivered(first.streamId()));
        assertFalse(outbox.delivered(first.streamId()), "settled already");
        assertTrue(outbox.drop(second.streamId()));
        assertFalse(outbox.drop(second.streamId()), "counted once");
        assertEquals(new Outbox.Backlog(0, 0, 1), outbox.backlog());
    }

    @Test
    void staleEntriesAreClaimedOnlyPastTheIdleTime() throws Exception {
        outbox.ensureGroup();
        outbox.enqueue(Outbox.Kind.JOB, "j1", "https://example.com/1");
        Outbox.Entry held = readOne("dead");
        assertTrue(outbox.claimStale("alive", 10_000, 10, "0-0").taken().isEmpty(), "not idle long enough");
        Thread.sleep(250);
        Outbox.Claimed claimed = outbox.claimStale("alive", 200, 10, "0-0");
        assertEquals(List.of(held), claimed.taken().entries());
        assertEquals(0, pendingFor("dead"));
        assertEquals(1, pendingFor("alive"));
    }

    @Test
    void aConsumerLeavesTheGroupOnlyWhenItHoldsNothing() {
        outbox.ensureGroup();
        outbox.enqueue(Outbox.Kind.JOB, "j1", "https://example.com/1");
        Outbox.Entry held = readOne("a");
        assertFalse(outbox.leave("a"), "leaving would lose the entry it holds");
        assertEquals(1, pendingFor("a"));
        outbox.delivered(held.streamId());
        assertTrue(outbox.leave("a"));
        assertTrue(redis.xinfoConsumers2(RedisKeys.outbox(), RedisKeys.OUTBOX_GROUP).isEmpty());
    }

    @Test
    void consumersGoneForGoodAreForgottenButNotThoseHoldingEntries() throws Exception {
        outbox.ensureGroup();
        outbox.enqueue(Outbox.Kind.JOB, "j1", "https://example.com/1");
        readOne("holder");
        assertTrue(outbox.read("idle", 1, 10).isEmpty());
        Thread.sleep(300);
        assertTrue(outbox.read("recent", 1, 10).isEmpty());
        assertEquals(1, outbox.forgetIdleConsumers(200));
        List<String> left = redis.xinfoConsumers2(RedisKeys.outbox(), RedisKeys.OUTBOX_GROUP).stream()
                .map(consumer -> consumer.getName()).sorted().toList();
        assertEquals(List.of("holder", "recent"), left);
    }

    @Test
    void aMalformedEntryIsReportedForDropping() {
        outbox.ensureGroup();
        redis.xadd(RedisKeys.outbox(), StreamEntryID.NEW_ENTRY, Map.of("kind", "nonsense", "id", "x"));
        Outbox.Taken taken = outbox.read("a", 10, 100);
        assertTrue(taken.entries().isEmpty());
        assertEquals(1, taken.malformed().size());
        assertTrue(outbox.drop(taken.malformed().getFirst().streamId()));
        assertEquals(new Outbox.Backlog(0, 0, 1), outbox.backlog());
    }
}
