package io.codeexec.worker.reaper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** The outage rule's arithmetic: the window, its restarts, and the second sighting. */
class RedisReachabilityTest {
    private final RedisReachability reachability = new RedisReachability(10_000);

    private void samplesEvery5sUpTo(long fromMs, long toMs) {
        for (long t = fromMs; t <= toMs; t += 5_000) {
            reachability.observe(t);
        }
    }

    @Test
    void theWindowGrowsWithSamplesCloserThanTheGap() {
        assertEquals(0, reachability.reachableMs());
        samplesEvery5sUpTo(1_000_000, 1_015_000);
        assertEquals(15_000, reachability.reachableMs());
        assertFalse(reachability.covers(15_000), "reachable exactly for the TTL is not longer than it");
        reachability.observe(1_020_000);
        assertTrue(reachability.covers(15_000));
    }

    @Test
    void aGapLongerThanAllowedRestartsTheWindow() {
        samplesEvery5sUpTo(1_000_000, 1_040_000);
        long generation = reachability.generation();
        reachability.observe(1_040_000 + 25_000); // Redis was frozen 25 s and the client never noticed
        assertEquals(0, reachability.reachableMs());
        assertNotEquals(generation, reachability.generation());
    }

    @Test
    void aFailedSampleRestartsTheWindow() {
        samplesEvery5sUpTo(1_000_000, 1_040_000);
        reachability.lost();
        assertEquals(0, reachability.reachableMs());
        reachability.observe(1_045_000);
        assertEquals(0, reachability.reachableMs(), "the gap since the last success does not count");
        reachability.observe(1_050_000);
        assertEquals(5_000, reachability.reachableMs());
    }

    @Test
    void redisClockGoingBackRestartsTheWindow() {
        samplesEvery5sUpTo(1_000_000, 1_040_000);
        reachability.observe(990_000); // a failed-over server with another clock
        assertEquals(0, reachability.reachableMs());
    }

    @Test
    void aSightingCountsOnlyWhenThePreviousPassOfTheSameWindowSawItToo() {
        SecondSighting sightings = new SecondSighting();
        assertEquals(Set.of(), sightings.confirm(Set.of("a", "b"), 1));
        assertEquals(Set.of("b"), sightings.confirm(Set.of("b", "c"), 1));
        assertEquals(Set.of(), sightings.confirm(Set.of("c"), 2), "a new window forgets what came before");
        assertEquals(Set.of("c"), sightings.confirm(Set.of("c"), 2));
        sightings.forget();
        assertEquals(Set.of(), sightings.confirm(Set.of("c"), 2));
    }
}
