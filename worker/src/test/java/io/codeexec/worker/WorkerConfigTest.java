package io.codeexec.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codeexec.common.config.Env;
import io.codeexec.worker.sandbox.SandboxConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkerConfigTest {
    private static WorkerConfig config(Map<String, String> env) {
        return WorkerConfig.fromEnv(new Env(env));
    }

    private static void rejected(String variable, Map<String, String> env) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> config(env));
        assertTrue(e.getMessage().startsWith(variable + " "), e.getMessage());
    }

    @Test
    void defaults() {
        WorkerConfig config = config(Map.of());
        assertEquals(2, config.concurrency());
        assertEquals(3, config.maxAttempts());
        assertEquals(86_400, config.resultTtlSeconds());
        assertEquals("redis://localhost:6379", config.redisUrl());
        assertTrue(config.workerId().matches("[A-Za-z0-9_.-]{1,64}"), config.workerId());
        assertEquals(config.workerId(), config.sandbox().workerId());
        assertEquals("runc", config.sandbox().runtime());
        assertEquals(SandboxConfig.Isolation.NESTED, config.sandbox().isolation());
        assertEquals(200, config.sandbox().hostMaxRuns());
        assertEquals(600, config.sandbox().hostMaxAgeSeconds());
    }

    @Test
    void sandboxModeAndRecyclingAreRead() {
        WorkerConfig config = config(Map.of("ISOLATION", "container", "SANDBOX_RUNTIME", "runsc",
                "SANDBOX_HOST_MAX_RUNS", "5", "SANDBOX_HOST_MAX_AGE_SECONDS", "60", "MAX_MEMORY_MB", "2048"));
        assertEquals(SandboxConfig.Isolation.CONTAINER, config.sandbox().isolation());
        assertEquals("runsc", config.sandbox().runtime());
        assertEquals(5, config.sandbox().hostMaxRuns());
        assertEquals(60, config.sandbox().hostMaxAgeSeconds());
        assertEquals(2048, config.sandbox().maxima().memoryMb());
    }

    @Test
    void explicitSettings() {
        WorkerConfig config = config(Map.of("WORKER_ID", "w-1.a_b", "WORKER_CONCURRENCY", "8", "MAX_ATTEMPTS", "5"));
        assertEquals("w-1.a_b", config.workerId());
        assertEquals(8, config.concurrency());
        assertEquals(5, config.maxAttempts());
        assertEquals("w-1.a_b", config.sandbox().workerId());
    }

    @Test
    void defaultWorkerIdsDiffer() {
        assertTrue(!config(Map.of()).workerId().equals(config(Map.of()).workerId()), "two workers on one host differ");
    }

    @Test
    void badWorkerIdIsRejectedNamingTheVariable() {
        rejected("WORKER_ID", Map.of("WORKER_ID", "has space"));
        rejected("WORKER_ID", Map.of("WORKER_ID", "a:b"));
        rejected("WORKER_ID", Map.of("WORKER_ID", "../x"));
        rejected("WORKER_ID", Map.of("WORKER_ID", "x".repeat(65)));
    }

    @Test
    void badConcurrencyIsRejectedNamingTheVariable() {
        rejected("WORKER_CONCURRENCY", Map.of("WORKER_CONCURRENCY", "0"));
        rejected("WORKER_CONCURRENCY", Map.of("WORKER_CONCURRENCY", "65"));
        rejected("WORKER_CONCURRENCY", Map.of("WORKER_CONCURRENCY", "two"));
        rejected("WORKER_CONCURRENCY", Map.of("WORKER_CONCURRENCY", "-1"));
    }

    @Test
    void otherBadSettingsNameTheirVariable() {
        rejected("MAX_ATTEMPTS", Map.of("MAX_ATTEMPTS", "0"));
        rejected("SANDBOX_RUNTIME", Map.of("SANDBOX_RUNTIME", "runc; rm -rf /"));
        rejected("ISOLATION", Map.of("ISOLATION", "vm"));
        rejected("SANDBOX_HOST_MAX_RUNS", Map.of("SANDBOX_HOST_MAX_RUNS", "0"));
        rejected("SANDBOX_HOST_MAX_AGE_SECONDS", Map.of("SANDBOX_HOST_MAX_AGE_SECONDS", "-5"));
        rejected("RESULT_TTL_SECONDS", Map.of("RESULT_TTL_SECONDS", "1"));
    }
}
