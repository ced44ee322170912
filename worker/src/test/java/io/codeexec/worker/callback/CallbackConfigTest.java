package io.codeexec.worker.callback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.codeexec.common.config.Env;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CallbackConfigTest {
    @Test
    void defaultsAndSettings() {
        CallbackConfig defaults = CallbackConfig.defaults();
        assertEquals(Duration.ofSeconds(10), defaults.timeout());
        assertEquals(8, defaults.concurrency());
        assertEquals(Duration.ofSeconds(30), defaults.secretCache());
        CallbackConfig set = CallbackConfig.fromEnv(new Env(Map.of("CALLBACK_CONCURRENCY", "3",
                "CALLBACK_TIMEOUT_MS", "2000", "CALLBACK_SECRET_CACHE_MS", "5000")));
        assertEquals(3, set.concurrency());
        assertEquals(Duration.ofSeconds(5), set.secretCache());
        assertEquals(Duration.ofSeconds(2), set.timeout());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CallbackConfig.fromEnv(new Env(Map.of("CALLBACK_CONCURRENCY", "0"))));
        assertEquals("CALLBACK_CONCURRENCY must be between 1 and 256, got 0", e.getMessage());
    }

    @Test
    void retriesDoubleFromTheFirstDelay() {
        CallbackConfig config = new CallbackConfig("", 5, Duration.ofMillis(100), Duration.ofSeconds(10), false);
        assertEquals(Duration.ofMillis(100), config.retryDelay(1));
        assertEquals(Duration.ofMillis(200), config.retryDelay(2));
        assertEquals(Duration.ofMillis(800), config.retryDelay(4));
    }

    @Test
    void aLiveDeliveryIsNeverTakenOverAndStoppingWaitsLessThanADeadline() {
        CallbackConfig config = new CallbackConfig("", 5, Duration.ofMillis(100), Duration.ofSeconds(4), false);
        assertEquals(Duration.ofSeconds(12), config.claimIdle());
        assertEquals(Duration.ofSeconds(2), config.shutdownGrace());
        assertEquals(Duration.ofSeconds(5), CallbackConfig.defaults().shutdownGrace());
    }
}
