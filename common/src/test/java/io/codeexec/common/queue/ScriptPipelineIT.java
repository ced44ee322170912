package io.codeexec.common.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codeexec.common.testing.RedisTestServer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

// The submission pipeline against a real Redis: many concurrent callers share round trips yet each gets
// its own script's answer; an error reply fails only its call; a flushed script cache is survived; a
// closed pipeline refuses new calls instead of leaving them waiting.
class ScriptPipelineIT {
    private static final LuaScript INCR = LuaScript.withLibs("test_incr");
    private static RedisClient redis;

    @BeforeAll
    static void connect() {
        redis = new RedisConnector(RedisTestServer.url()).pooled(8);
    }

    @AfterAll
    static void close() {
        redis.close();
    }

    @BeforeEach
    void flush() {
        redis.flushAll();
    }

    @Test
    void concurrentCallersEachGetTheirOwnAnswerAndShareRoundTrips() throws Exception {
        int callers = 32;
        int callsEach = 200;
        long callsBefore = evalshaCalls();
        try (ScriptPipeline pipeline = new ScriptPipeline(redis, 2)) {
            ExecutorService pool = Executors.newFixedThreadPool(callers);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<Long>>> results = new ArrayList<>();
            for (int c = 0; c < callers; c++) {
                String key = "counter:" + c;
                results.add(pool.submit(() -> {
                    start.await();
                    List<Long> seen = new ArrayList<>();
                    for (int i = 0; i < callsEach; i++) {
                        seen.add((Long) pipeline.run(INCR, List.of(key), List.of("1")));
                    }
                    return seen;
                }));
            }
            start.countDown();
            for (int c = 0; c < callers; c++) {
                List<Long> seen = results.get(c).get();
                for (int i = 0; i < callsEach; i++) {
                    assertEquals(i + 1, seen.get(i), "caller " + c + " sees its own counter, in order");
                }
                assertEquals(Integer.toString(callsEach), redis.get("counter:" + c));
            }
            pool.shutdown();
            assertEquals(callers * callsEach, pipeline.calls());
            assertTrue(pipeline.roundTrips() < pipeline.calls() / 2,
                    "concurrent calls shared round trips: " + pipeline.roundTrips() + " for " + pipeline.calls());
        }
        assertEquals(callers * callsEach, evalshaCalls() - callsBefore, "every call ran exactly once");
    }

    @Test
    void anErrorReplyFailsOnlyItsOwnCall() throws Exception {
        redis.set("not-a-number", "x");
        try (ScriptPipeline pipeline = new ScriptPipeline(redis, 1)) {
            ExecutorService pool = Executors.newFixedThreadPool(16);
            List<Future<Object>> good = new ArrayList<>();
            List<Future<Object>> bad = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                good.add(pool.submit(() -> pipeline.run(INCR, List.of("ok"), List.of("1"))));
                bad.add(pool.submit(() -> pipeline.run(INCR, List.of("not-a-number"), List.of("1"))));
            }
            Set<Object> answers = new HashSet<>();
            for (Future<Object> f : good) {
                answers.add(f.get());
            }
            assertEquals(50, answers.size(), "fifty distinct increments");
            for (Future<Object> f : bad) {
                Exception e = assertThrows(Exception.class, f::get);
                assertTrue(e.getCause() instanceof JedisDataException, "a script error reaches its caller: " + e);
            }
            pool.shutdown();
        }
    }

    @Test
    void aFlushedScriptCacheIsLoadedAgain() {
        try (ScriptPipeline pipeline = new ScriptPipeline(redis, 1)) {
            assertEquals(1L, pipeline.run(INCR, List.of("k"), List.of("1")));
            redis.scriptFlush();
            assertEquals(2L, pipeline.run(INCR, List.of("k"), List.of("1")), "NOSCRIPT: loaded and run again, once");
            assertEquals(3L, pipeline.run(INCR, List.of("k"), List.of("1")));
        }
        assertEquals("3", redis.get("k"));
    }

    @Test
    void aClosedPipelineRefusesCalls() {
        ScriptPipeline pipeline = new ScriptPipeline(redis, 2);
        pipeline.close();
        assertThrows(JedisConnectionException.class, () -> pipeline.run(INCR, List.of("k"), List.of("1")));
        assertEquals(null, redis.get("k"));
    }

    @Test
    void aLostConnectionFailsTheCallWithAConnectionError() {
        RedisClient unreachable = new RedisConnector("redis://127.0.0.1:1").pooled(2);
        try (ScriptPipeline pipeline = new ScriptPipeline(unreachable, 1)) {
            assertThrows(JedisConnectionException.class, () -> pipeline.run(INCR, List.of("k"), List.of("1")));
        } finally {
            unreachable.close();
        }
    }

    private static long evalshaCalls() {
        String stats = redis.info("commandstats");
        for (String line : stats.split("\r?\n")) {
            if (line.startsWith("cmdstat_evalsha:")) {
                return Long.parseLong(line.replaceAll("^cmdstat_evalsha:calls=(\\d+),.*", "$1"));
            }
        }
        return 0;
    }
}
