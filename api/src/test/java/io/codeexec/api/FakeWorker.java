package io.codeexec.api;

import io.codeexec.common.job.JobResult;
import io.codeexec.common.job.Verdict;
import io.codeexec.common.queue.ClaimedJob;
import io.codeexec.common.queue.JobQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

// Stands in for a worker process: claims the next job through JobQueue and completes it, after a delay.
// The only place API tests claim or complete jobs.
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
    static CompletableFuture<ClaimedJob> completeNext(JobQueue queue, long delayMs, Function<ClaimedJob, JobResult> run) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                Thread.sleep(delayMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ClaimedJob job = queue.claim(ID, 5).orElseThrow(() -> new AssertionError("no job to claim"));
            if (!queue.complete(ID, job.id(), run.apply(job))) {
                throw new AssertionError("result was discarded");
            }
            return job;
        });
    }

    /**
     * In the background, on {@code threads} platform threads: claims and completes {@code count} jobs,
     * each thread pausing {@code pauseMs} after each job, so completions spread over time.
     */
    static CompletableFuture<Void> completeMany(JobQueue queue, int count, int threads, long pauseMs,
                                                Function<ClaimedJob, JobResult> run) {
        AtomicInteger left = new AtomicInteger(count);
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            all.add(done);
            Thread.ofPlatform().daemon().name("fake-worker-" + i).start(() -> {
                try {
                    while (left.getAndDecrement() > 0) {
                        ClaimedJob job = queue.claim(ID, 5).orElseThrow(() -> new AssertionError("no job to claim"));
                        if (!queue.complete(ID, job.id(), run.apply(job))) {
                            throw new AssertionError("result was discarded");
                        }
                        Thread.sleep(pauseMs);
                    }
                    done.complete(null);
                } catch (Throwable e) {
                    done.completeExceptionally(e);
                }
            });
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
    }
}
