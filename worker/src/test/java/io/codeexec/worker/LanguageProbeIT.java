package io.codeexec.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codeexec.common.job.JobRequest;
import io.codeexec.common.job.JobResult;
import io.codeexec.common.job.Language;
import io.codeexec.common.job.LanguageCatalog;
import io.codeexec.common.queue.LanguageRegistry;
import io.codeexec.common.queue.RedisConnector;
import io.codeexec.common.testing.RedisTestServer;
import io.codeexec.worker.sandbox.RunOutcome;
import io.codeexec.worker.sandbox.Sandbox;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

// Found by the chaos test on a loaded machine: a worker whose language probing met a Redis pause threw out
// of Launcher.start and the process died. Publishing now waits for Redis instead.
class LanguageProbeIT {
    @Test
    void aRedisPauseWhilePublishingDelaysTheLanguagesInsteadOfKillingTheWorker() throws Exception {
        try (RedisClient redis = new RedisConnector(RedisTestServer.url()).pooled(2)) {
            redis.flushAll();
            Language python = LanguageCatalog.standard().find("python").orElseThrow();
            RedisTestServer.pause();
            CompletableFuture<List<Language>> probed;
            try {
                probed = CompletableFuture.supplyAsync(() ->
                        LanguageProbe.probeAndPublish(List.of(python), new VersionOnly(), new LanguageRegistry(redis)));
                Thread.sleep(3_000);  // past the client's socket timeout: publishing has failed at least once
                assertTrue(!probed.isDone(), "still waiting for Redis, not failed");
            } finally {
                RedisTestServer.unpause();
            }
            assertEquals(List.of(python), probed.get(60, TimeUnit.SECONDS));
            assertEquals(List.of("python"), new LanguageRegistry(redis).installed().stream().map(l -> l.id()).toList());
        }
    }

    /** Answers the version probe only. */
    private static final class VersionOnly implements Sandbox {
        @Override
        public JobResult run(String jobId, Language language, JobRequest request, BooleanSupplier stillWanted) {
            throw new UnsupportedOperationException();
        }

        @Override
        public RunOutcome runWithOutput(String jobId, Language language, JobRequest request, BooleanSupplier stillWanted) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean cancel(String jobId) {
            return false;
        }

        @Override
        public int cancelAll() {
            return 0;
        }

        @Override
        public String probeVersion(Language language) {
            return "3.13.5";
        }
    }
}
