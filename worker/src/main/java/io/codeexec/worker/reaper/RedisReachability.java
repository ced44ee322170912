package io.codeexec.worker.reaper;

import java.util.List;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.UnifiedJedis;

/**
 * How long this process has reached Redis without a break, measured with Redis's own clock (TIME).
 * Keys expire by Redis's clock while clients are cut off, so right after an outage every peer looks
 * dead; a lapse (heartbeat gone, lease past its end) means something only when Redis was reachable for
 * longer than that TTL. The window restarts on a failed sample, on a gap between two successful samples
 * longer than {@code maxGapMs} (a pause the client did not notice), and when Redis's clock goes back
 * (a restarted or failed-over server). Each restart starts a new generation, so confirmations gathered
 * before it are forgotten.
 */
public final class RedisReachability {
    private final long maxGapMs;
    private long windowStartMs = -1;
    private long lastSampleMs = -1;
    private long generation;

    /** {@code maxGapMs}: the longest normal time between two samples (a couple of reaper intervals). */
    public RedisReachability(long maxGapMs) {
        this.maxGapMs = maxGapMs;
    }

    /** Reads Redis's clock and records a successful sample; returns Redis's time in ms. */
    public long sample(UnifiedJedis redis) {
        return observe(redisTimeMs(redis));
    }

    /** Records a successful sample at {@code redisNowMs}; returns it. */
    public synchronized long observe(long redisNowMs) {
        if (lastSampleMs < 0 || redisNowMs - lastSampleMs > maxGapMs || redisNowMs < lastSampleMs) {
            windowStartMs = redisNowMs;
            generation++;
        }
        lastSampleMs = redisNowMs;
        return redisNowMs;
    }

    /** Redis could not be reached: the window starts again with the next successful sample. */
    public synchronized void lost() {
        lastSampleMs = -1;
        windowStartMs = -1;
    }

    /** How long Redis has been reachable without a break, up to the last sample; 0 when unknown. */
    public synchronized long reachableMs() {
        return windowStartMs < 0 ? 0 : lastSampleMs - windowStartMs;
    }

    /** True when Redis has been reachable for longer than {@code ttlMs}: a lapse of that TTL is real. */
    public boolean covers(long ttlMs) {
        return reachableMs() > ttlMs;
    }

    /** Changes every time the window restarts. */
    public synchronized long generation() {
        return generation;
    }

    /** Redis's clock (TIME) in ms since the epoch. */
    public static long redisTimeMs(UnifiedJedis redis) {
        List<?> time = (List<?>) redis.sendCommand(Protocol.Command.TIME);
        long seconds = Long.parseLong(text(time.get(0)));
        long micros = Long.parseLong(text(time.get(1)));
        return seconds * 1000 + micros / 1000;
    }

    private static String text(Object reply) {
        return reply instanceof byte[] bytes ? new String(bytes, java.nio.charset.StandardCharsets.US_ASCII)
                : String.valueOf(reply);
    }
}
