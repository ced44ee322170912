package io.codeexec.api;

import io.codeexec.api.auth.AuthSettings;
import io.codeexec.api.auth.PlanBounds;
import io.codeexec.common.config.Env;
import io.codeexec.common.config.LimitPolicy;

/**
 * Every setting of the API process, read from the environment and validated up front: a bad value
 * stops the process with a message naming the setting. Immutable once read.
 */
public record ApiConfig(
        int port,
        String redisUrl,
        long maxQueueLength,
        long resultTtlSeconds,
        int maxCodeBytes,
        int maxStdinBytes,
        int maxWaitSeconds,
        int maxArgs,
        int maxArgBytes,
        int maxTests,
        int maxTestsBytes,
        LimitPolicy limits,
        int maxFiles,
        AuthSettings auth) {

    public static final int SERVER_MAX_CODE_BYTES = LimitPolicy.MIB;
    public static final int SERVER_MAX_STDIN_BYTES = 8 * LimitPolicy.MIB;
    public static final int SERVER_MAX_TESTS = 1000;
    public static final int SERVER_MAX_TESTS_BYTES = 64 * LimitPolicy.MIB;
    /** Files of one program: the launcher takes at most 64 (docs/launcher-protocol.md). */
    public static final int SERVER_MAX_FILES = 64;
    /** JSON a file costs beyond its content: its keys and a name of at most 16 segments of 255 bytes. */
    private static final int FILE_OVERHEAD_BYTES = 4096 + 64;
    /** JSON a test costs beyond its budgeted bytes: its keys, a name of 128 escaped chars, a few bytes per arg. */
    private static final int TEST_OVERHEAD_BYTES = 1024;
    private static final int ARG_OVERHEAD_BYTES = 8;

    public static ApiConfig fromEnv(Env env) {
        ApiConfig base = new ApiConfig(
                env.integer("PORT", 8080, 0, 65_535),
                env.string("REDIS_URL", "redis://localhost:6379"),
                env.number("MAX_QUEUE_LENGTH", 10_000, 1, 10_000_000),
                env.number("RESULT_TTL_SECONDS", 86_400, 60, 30L * 86_400),
                env.integer("MAX_CODE_BYTES", 65_536, 1, SERVER_MAX_CODE_BYTES),
                env.integer("MAX_STDIN_BYTES", LimitPolicy.MIB, 0, SERVER_MAX_STDIN_BYTES),
                env.integer("MAX_WAIT_SECONDS", 30, 1, 300),
                env.integer("MAX_ARGS", 32, 0, 1024),
                env.integer("MAX_ARG_BYTES", 4096, 1, 65_536),
                env.integer("MAX_TESTS", 200, 1, SERVER_MAX_TESTS),
                env.integer("MAX_TESTS_BYTES", 16 * LimitPolicy.MIB, 0, SERVER_MAX_TESTS_BYTES),
                LimitPolicy.fromEnv(env),
                env.integer("MAX_FILES", SERVER_MAX_FILES, 1, SERVER_MAX_FILES), null);
        return base.withAuth(AuthSettings.fromEnv(env, PlanBounds.of(base)));  // plans are bounded by the above
    }

    /** The defaults, as if no variable were set; tests derive their configs from it. */
    public static ApiConfig defaults() {
        return fromEnv(new Env(java.util.Map.of()));
    }

    public ApiConfig withPort(int newPort) {
        return new ApiConfig(newPort, redisUrl, maxQueueLength, resultTtlSeconds, maxCodeBytes, maxStdinBytes,
                maxWaitSeconds, maxArgs, maxArgBytes, maxTests, maxTestsBytes, limits, maxFiles, auth);
    }

    public ApiConfig withRedisUrl(String newRedisUrl) {
        return new ApiConfig(port, newRedisUrl, maxQueueLength, resultTtlSeconds, maxCodeBytes, maxStdinBytes,
                maxWaitSeconds, maxArgs, maxArgBytes, maxTests, maxTestsBytes, limits, maxFiles, auth);
    }

    public ApiConfig withMaxQueueLength(long newMaxQueueLength) {
        return new ApiConfig(port, redisUrl, newMaxQueueLength, resultTtlSeconds, maxCodeBytes, maxStdinBytes,
                maxWaitSeconds, maxArgs, maxArgBytes, maxTests, maxTestsBytes, limits, maxFiles, auth);
    }

    public ApiConfig withAuth(AuthSettings newAuth) {
        return new ApiConfig(port, redisUrl, maxQueueLength, resultTtlSeconds, maxCodeBytes, maxStdinBytes,
                maxWaitSeconds, maxArgs, maxArgBytes, maxTests, maxTestsBytes, limits, maxFiles, newAuth);
    }

    /**
     * The largest request body accepted: room for a maximal legal submission even when JSON escaping
     * inflates it (each byte can take several characters) — code, stdin, arguments and the tests'
     * budget — plus each test's own JSON (keys, name, empty args cost no budget), each file's own
     * JSON (keys, name; its content is within the code budget, base64 adding a third) and some slack.
     */
    public long maxRequestBytes() {
        long payload = maxCodeBytes + maxStdinBytes + (long) maxArgs * maxArgBytes + maxTestsBytes;
        long perTest = TEST_OVERHEAD_BYTES + (long) maxArgs * ARG_OVERHEAD_BYTES;
        return 4L * payload + maxTests * perTest + (long) maxFiles * FILE_OVERHEAD_BYTES + 64 * 1024;
    }
}
