package io.codeexec.worker.callback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Deliveries to a real HTTP server on loopback: signed, retried with backoff, bounded, SSRF-guarded. */
class CallbackDispatcherIT {
    private static CallbackConfig config(int maxAttempts, boolean allowPrivate) {
        return new CallbackConfig("s3cret", maxAttempts, Duration.ofMillis(50), Duration.ofSeconds(2), allowPrivate);
    }

    @Test
    void deliversTheBodySignedWithTheSecret() throws Exception {
        try (CallbackReceiver receiver = new CallbackReceiver(0);
             CallbackDispatcher dispatcher = new CallbackDispatcher(config(5, true))) {
            dispatcher.deliver("job1", receiver.url(), "{\"id\":\"job1\"}");
            CallbackReceiver.Delivery delivery = receiver.next(5);
            assertEquals("{\"id\":\"job1\"}", delivery.body());
            assertEquals(CallbackDispatcher.signature("s3cret", delivery.body()), delivery.signature());
            assertTrue(delivery.signature().matches("sha256=[0-9a-f]{64}"), delivery.signature());
            assertEquals("1", delivery.attempt());
        }
    }

    @Test
    void retriesAfterA500UntilItSucceeds() throws Exception {
        try (CallbackReceiver receiver = new CallbackReceiver(2);
             CallbackDispatcher dispatcher = new CallbackDispatcher(config(5, true))) {
            dispatcher.deliver("job2", receiver.url(), "{}");
            assertEquals("1", receiver.next(5).attempt());
            assertEquals("2", receiver.next(5).attempt());
            assertEquals("3", receiver.next(5).attempt());
            assertNull(receiver.next(1), "no delivery after the one that succeeded");
        }
    }

    @Test
    void givesUpAfterMaxAttempts() throws Exception {
        try (CallbackReceiver receiver = new CallbackReceiver(100);
             CallbackDispatcher dispatcher = new CallbackDispatcher(config(3, true))) {
            dispatcher.deliver("job3", receiver.url(), "{}");
            for (int i = 1; i <= 3; i++) {
                assertEquals(Integer.toString(i), receiver.next(5).attempt());
            }
            assertNull(receiver.next(2), "three attempts and no more");
        }
    }

    @Test
    void refusesLoopbackUnlessTheOperatorAllowsIt() throws Exception {
        try (CallbackReceiver receiver = new CallbackReceiver(0);
             CallbackDispatcher dispatcher = new CallbackDispatcher(config(5, false))) {
            dispatcher.deliver("job4", receiver.url(), "{}");
            assertNull(receiver.next(2), "a loopback callback is never sent by default");
        }
    }
}
