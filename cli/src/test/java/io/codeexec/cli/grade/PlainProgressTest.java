package io.codeexec.cli.grade;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class PlainProgressTest {
    @Test
    void aLineSaysDoneTotalVerdictsRateAndEta() {
        assertEquals("graded 10/40 (25%) · accepted 8 · wrong_answer 2 · 2.0 jobs/s · ETA 15 s",
                PlainProgress.line(10, 40, new TreeMap<>(Map.of("wrong_answer", 2, "accepted", 8)), Duration.ofSeconds(5)));
        assertEquals("graded 40/40 (100%) · accepted 40 · 4.0 jobs/s",
                PlainProgress.line(40, 40, Map.of("accepted", 40), Duration.ofSeconds(10)));
    }

    @Test
    void linesAreThrottledButTheLastAlwaysComes() {
        MutableClock clock = new MutableClock();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PlainProgress progress = new PlainProgress(new PrintStream(bytes, true), clock);
        progress.update(0, 3, Map.of());
        progress.update(1, 3, Map.of("accepted", 1));  // too soon
        clock.now = clock.now.plusSeconds(3);
        progress.update(1, 3, Map.of("accepted", 1));
        progress.update(1, 3, Map.of("accepted", 1));  // nothing new
        progress.update(3, 3, Map.of("accepted", 3));  // the last
        assertEquals(3, bytes.toString().lines().count(), bytes.toString());
    }

    private static final class MutableClock extends Clock {
        Instant now = Instant.parse("2026-11-26T22:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
