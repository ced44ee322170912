package io.codeexec.e2e;

import static io.codeexec.e2e.Stack.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.codeexec.common.config.LimitPolicy;
import io.codeexec.common.job.JobRequest;
import io.codeexec.common.queue.JobQueue;
import io.codeexec.common.tenant.Tenant;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Fairness with real workers: tenant A queues a batch and a run of single jobs, all slow; tenant B's one
 * job, submitted while A's work runs, starts within a few of A's job-durations, long before A's backlog
 * is through (first come, first served would have it wait behind all of A's jobs).
 */
class TenantFairnessEndToEndIT {
    private static final int A_SINGLES = 10;
    private static final int A_BATCH = 10;
    private static final String SLOW = "import time\ntime.sleep(1)\nprint('a')";

    /**
     * The job document once final (polled in the store for up to two minutes: these jobs belong to tenants
     * the anonymous HTTP caller may not read — another tenant's job is a 404 through the API).
     */
    private static JsonNode finished(Stack stack, String id) throws InterruptedException {
        io.codeexec.common.queue.JobStore store = new io.codeexec.common.queue.JobStore(stack.redis);
        long deadline = System.currentTimeMillis() + 120_000;
        java.util.Optional<io.codeexec.common.job.Job> job = store.find(id);
        while ((job.isEmpty() || !job.get().status().isFinal()) && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
            job = store.find(id);
        }
        return io.codeexec.common.json.Json.MAPPER.valueToTree(job.orElseThrow());
    }

    @Test
    void anotherTenantsJobDoesNotWaitBehindABigBacklog() throws Exception {
        try (Stack stack = Stack.start(1, 2)) {
            JobQueue queue = new JobQueue(stack.redis, 10_000, 3600, Clock.systemUTC());
            JobRequest slow = new JobRequest("python", SLOW, "", List.of(), LimitPolicy.standard().defaults());
            Tenant a = new Tenant("tenant-a", "A", null);
            Tenant b = new Tenant("tenant-b", "B", null);
            List<String> aJobs = new ArrayList<>(queue.submitBatch(a, Collections.nCopies(A_BATCH, slow), "{}", null, 0)
                    .jobIds());
            for (int i = 0; i < A_SINGLES; i++) {
                aJobs.add(queue.submit(a, slow, 0));
            }
            JsonNode firstOfA = finished(stack, aJobs.get(A_BATCH));
            assertEquals("completed", firstOfA.get("status").asText(), firstOfA.toString());

            String bJob = queue.submit(b, new JobRequest("python", "print('b')", "", List.of(),
                    LimitPolicy.standard().defaults()), 0);
            JsonNode bDone = finished(stack, bJob);
            assertEquals("completed", bDone.get("status").asText(), bDone.toString());
            assertEquals("tenant-b", bDone.get("tenant").asText());
            long bQueuedMs = bDone.get("timings").get("queuedMs").asLong();
            Instant bStarted = Instant.parse(bDone.get("startedAt").asText());

            long longestA = 0;
            int aStartedAfterB = 0;
            for (String id : aJobs) {
                JsonNode job = finished(stack, id);
                assertEquals("completed", job.get("status").asText(), job.toString());
                assertEquals("tenant-a", job.get("tenant").asText());
                assertEquals("ok", job.get("result").get("verdict").asText(), job.toString());
                long runMs = java.time.Duration.between(Instant.parse(job.get("startedAt").asText()),
                        Instant.parse(job.get("finishedAt").asText())).toMillis();
                longestA = Math.max(longestA, runMs);
                if (Instant.parse(job.get("startedAt").asText()).isAfter(bStarted)) {
                    aStartedAfterB++;
                }
            }
            System.out.printf("TenantFairnessEndToEndIT: B queued %d ms; A's longest job %d ms; %d of A's %d jobs"
                    + " started after B's%n", bQueuedMs, longestA, aStartedAfterB, aJobs.size());
            assertTrue(bQueuedMs <= 3 * longestA,
                    "B waited " + bQueuedMs + " ms, more than three of A's job-durations (" + longestA + " ms each)");
            assertTrue(aStartedAfterB >= aJobs.size() / 2,
                    "B's job went ahead of A's backlog: only " + aStartedAfterB + " of A's jobs started after it");
        }
    }
}
