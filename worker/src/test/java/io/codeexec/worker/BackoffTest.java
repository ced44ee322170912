package io.codeexec.worker;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BackoffTest {
    private static long timedSleepMs(Backoff backoff) {
        long start = System.nanoTime();
        assertTrue(backoff.sleep());
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Test
    void delaysDoubleUpToTheCapAndResetAfterSuccess() {
        Backoff backoff = new Backoff(40, 160);
        long first = timedSleepMs(backoff);
        long second = timedSleepMs(backoff);
        long third = timedSleepMs(backoff);
        long fourth = timedSleepMs(backoff);
        assertTrue(first >= 40, "first " + first);
        assertTrue(second >= 80, "second " + second);
        assertTrue(third >= 160, "third " + third);
        assertTrue(fourth >= 160, "fourth " + fourth);
        assertTrue(fourth < 300, "capped at 160 ms, not 320: " + fourth);
        backoff.reset();
        long afterReset = timedSleepMs(backoff);
        assertTrue(afterReset >= 40 && afterReset < 120, "back to the initial delay: " + afterReset);
    }

    @Test
    void interruptionStopsTheSleepAndKeepsTheFlag() {
        Backoff backoff = new Backoff(10_000, 10_000);
        Thread.currentThread().interrupt();
        long start = System.nanoTime();
        assertFalse(backoff.sleep());
        assertTrue(Thread.interrupted(), "the interrupt flag is restored for the caller");
        assertTrue(System.nanoTime() - start < 1_000_000_000L, "did not sleep the full delay");
    }
}
