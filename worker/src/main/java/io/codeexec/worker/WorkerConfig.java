package io.codeexec.worker;

import io.codeexec.common.config.Env;
import io.codeexec.common.job.LanguageCatalog;
import io.codeexec.worker.callback.CallbackConfig;
import io.codeexec.worker.sandbox.SandboxConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A worker's settings, read and validated once from the environment at start.
 *
 * @param concurrency jobs (and so containers) this process runs at once
 * @param maxAttempts claims of one job before an infrastructure failure becomes its final result
 */
public record WorkerConfig(
        String redisUrl,
        String workerId,
        int concurrency,
        long resultTtlSeconds,
        int maxAttempts,
        int shutdownGraceSeconds,
        LanguageCatalog catalog,
        SandboxConfig sandbox,
        CallbackConfig callbacks) {

    public WorkerConfig(String redisUrl, String workerId, int concurrency, long resultTtlSeconds, int maxAttempts,
                        int shutdownGraceSeconds, LanguageCatalog catalog, SandboxConfig sandbox) {
        this(redisUrl, workerId, concurrency, resultTtlSeconds, maxAttempts, shutdownGraceSeconds, catalog, sandbox,
                CallbackConfig.defaults());
    }

    public static WorkerConfig fromEnv(Env env) {
        String workerId = env.string("WORKER_ID", defaultWorkerId());
        if (!workerId.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw new IllegalArgumentException("WORKER_ID may hold only letters, digits, '.', '_' and '-', got '" + workerId + "'");
        }
        return new WorkerConfig(
                env.string("REDIS_URL", "redis://localhost:6379"),
                workerId,
                env.integer("WORKER_CONCURRENCY", 2, 1, 64),
                env.number("RESULT_TTL_SECONDS", 86_400, 60, 30L * 86_400),
                env.integer("MAX_ATTEMPTS", 3, 1, 20),
                env.integer("SHUTDOWN_GRACE_SECONDS", 30, 0, 600),
                new LanguageCatalog(env.string("RUNNER_IMAGE_PREFIX", LanguageCatalog.DEFAULT_IMAGE_PREFIX),
                        env.string("RUNNER_IMAGE_TAG", LanguageCatalog.DEFAULT_IMAGE_TAG)),
                SandboxConfig.fromEnv(env, workerId),
                CallbackConfig.fromEnv(env));
    }

    private static String defaultWorkerId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9_.-]", "");
        } catch (UnknownHostException e) {
            host = "worker";
        }
        byte[] suffix = new byte[3];
        ThreadLocalRandom.current().nextBytes(suffix);
        return (host.isEmpty() ? "worker" : host) + "-" + HexFormat.of().formatHex(suffix);
    }
}
