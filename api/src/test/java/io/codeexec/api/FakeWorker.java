package io.codeexec.api;

import io.codeexec.common.job.JobResult;
import io.codeexec.common.job.Verdict;
import io.codeexec.common.queue.Lease;
import io.codeexec.common.queue.JobQueue;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

// Stands in for a worker process: claims the next job through JobQueue and completes it, after a delay.
// The only place API tests claim and complete jobs (completeMany goes through completeNext).
final class FakeWorker {
    static final String ID = "fake-worker";

    private FakeWorker() {}

    static JobResult ok(String stdout, String stderr) {
        return new JobResult(Verdict.OK, 0, null, stdout, stderr, false, false, 12L, 10L, 8_000L, null);
    }

    static JobResult timeLimitExceeded() {
        return new JobResult(Verdict.TIME_LIMIT_EXCEEDED, null, "SIGKILL", "", "", false, false, 3_100L, 3_000L, 8_000L, null);
    }

    /** In the background: waits {@code delayMs}, claims one job and completes it with what {@code run} returns. */
    static CompletableFuture<Lease> completeNext(JobQueue queue, long delayMs, Function<Lease, JobResult> run) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                Thread.sleep(delayMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Lease job = queue.claim(ID, 5).orElseThrow(() -> new AssertionError("no job to claim"));
            if (!queue.complete(job, run.apply(job))) {
                throw new AssertionError("result was discarded");
            }
            return job;
        });
    }

    /**
     * In the background: claims and completes {@code count} jobs, {@code chains} at a time, each chain
     * pausing {@code pauseMs} before each of its jobs, with the result {@code run} gives for the job's id.
     */
    static CompletableFuture<Void> completeMany(JobQueue queue, int count, int chains, long pauseMs,
                                                Function<String, JobResult> run) {
        java.util.concurrent.atomic.AtomicInteger left = new java.util.concurrent.atomic.AtomicInteger(count);
        CompletableFuture<?>[] all = new CompletableFuture<?>[chains];
        for (int i = 0; i < chains; i++) {
            all[i] = CompletableFuture.runAsync(() -> {
                while (left.getAndDecrement() > 0) {
                    completeNext(queue, pauseMs, job -> run.apply(job.id())).join();
                }
            }, runnable -> Thread.ofPlatform().daemon().name("fake-worker-chain").start(runnable));
        }
        return CompletableFuture.allOf(all);
    }
}
