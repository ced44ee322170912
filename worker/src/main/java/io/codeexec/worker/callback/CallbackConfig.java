package io.codeexec.worker.callback;

import io.codeexec.common.config.Env;
import java.time.Duration;

/**
 * How finished jobs are delivered to their callbackUrl.
 *
 * @param secret       HMAC-SHA256 key for X-Codeexec-Signature; empty means deliveries are unsigned
 * @param maxAttempts  deliveries tried before giving up (exponential backoff between them)
 * @param allowPrivate whether loopback, link-local and private addresses may be called back
 */
public record CallbackConfig(String secret, int maxAttempts, Duration firstRetry, Duration timeout, boolean allowPrivate) {

    public static CallbackConfig fromEnv(Env env) {
        return new CallbackConfig(
                env.string("CALLBACK_SECRET", ""),
                env.integer("CALLBACK_MAX_ATTEMPTS", 5, 1, 20),
                Duration.ofMillis(env.integer("CALLBACK_FIRST_RETRY_MS", 1000, 10, 60_000)),
                Duration.ofMillis(env.integer("CALLBACK_TIMEOUT_MS", 5000, 100, 60_000)),
                env.flag("CALLBACK_ALLOW_PRIVATE", false));
    }

    public static CallbackConfig defaults() {
        return fromEnv(new Env(java.util.Map.of()));
    }
}
