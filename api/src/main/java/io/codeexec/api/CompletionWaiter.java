package io.codeexec.api;

import io.codeexec.common.job.Job;
import io.codeexec.common.job.JobId;
import io.codeexec.common.job.JobStatus;
import io.codeexec.common.queue.JobStore;
import io.codeexec.common.queue.RedisConnector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Long-poll support without polling Redis and without a thread per waiter:
 * 1. a waiter registers under its key (a job id, or "batch:id") before it reads, so no completion can
 *    slip between the two, and reads again only when woken or at its deadline; reads take the job
 *    document's fields, never the request;
 * 2. {@link DoneSubscriber} wakes the waiters of each id published on the done channel;
 * 3. after a resubscription (completions published meanwhile were missed) one pipelined read of the
 *    waiting jobs' statuses finds those that finished: only they are woken, spread over {@code jitter} so
 *    their re-reads do not arrive at once. Other keys (batches) are woken, jittered, to re-read.
 */
public final class CompletionWaiter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CompletionWaiter.class);
    /** Wake-ups after a resubscription are spread over this long. */
    static final Duration STANDARD_JITTER = Duration.ofMillis(500);

    private final JobStore store;
    private final DoneSubscriber subscriber;
    private final Duration jitter;
    private final ConcurrentHashMap<String, List<CompletableFuture<Void>>> waiters = new ConcurrentHashMap<>();
    private final ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor();
    private final CountDownLatch firstSubscription = new CountDownLatch(1);
    private volatile boolean running;

    public CompletionWaiter(RedisConnector connector, JobStore store) {
        this(connector, store, DoneSubscriber.Timing.STANDARD, STANDARD_JITTER);
    }

    CompletionWaiter(RedisConnector connector, JobStore store, DoneSubscriber.Timing timing, Duration jitter) {
        this.store = store;
        this.jitter = jitter;
        this.subscriber = new DoneSubscriber(connector, new DoneSubscriber.Listener() {
            @Override
            public void subscribed() {
                firstSubscription.countDown();
                readers.execute(CompletionWaiter.this::wakeThoseFinishedMeanwhile);
            }

            @Override
            public void done(String key) {
                wake(key);
            }
        }, timing);
    }

    /** Starts the subscriber; true when it subscribed within the timeout (else it keeps retrying). */
    public boolean start(Duration timeout) throws InterruptedException {
        running = true;
        subscriber.start();
        return firstSubscription.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean isSubscribed() {
        return subscriber.isSubscribed();
    }

    /** The job once it is final, or as it stands when the timeout ends; empty if it does not exist. */
    public CompletableFuture<Optional<Job>> awaitFinal(String id, Duration timeout) {
        return await(id, timeout, () -> store.find(id), job -> job.isEmpty() || job.get().status().isFinal());
    }

    /**
     * Generic form: reads with {@code read} until {@code done} holds or the timeout ends, re-reading
     * whenever {@code key} is published on the done channel (jobs publish their id, batches "batch:id").
     * Reads after a wake-up run on virtual threads, never on the subscriber's.
     */
    public <T> CompletableFuture<T> await(String key, Duration timeout, Supplier<T> read, Predicate<T> done) {
        return attempt(key, System.nanoTime() + timeout.toNanos(), read, done);
    }

    private <T> CompletableFuture<T> attempt(String key, long deadline, Supplier<T> read, Predicate<T> done) {
        CompletableFuture<Void> wake = register(key);
        T value;
        try {
            value = read.get();
        } catch (RuntimeException e) {
            unregister(key, wake);
            return CompletableFuture.failedFuture(e);
        }
        long remaining = deadline - System.nanoTime();
        if (done.test(value) || remaining <= 0 || !running) {
            unregister(key, wake);
            return CompletableFuture.completedFuture(value);
        }
        return wake.completeOnTimeout(null, remaining, TimeUnit.NANOSECONDS)
                .thenComposeAsync(ignored -> {
                    unregister(key, wake);
                    return attempt(key, deadline, read, done);
                }, readers);
    }

    private CompletableFuture<Void> register(String key) {
        CompletableFuture<Void> wake = new CompletableFuture<>();
        waiters.compute(key, (k, list) -> {
            List<CompletableFuture<Void>> updated = list == null ? new ArrayList<>(1) : list;
            updated.add(wake);
            return updated;
        });
        return wake;
    }

    private void unregister(String key, CompletableFuture<Void> wake) {
        waiters.computeIfPresent(key, (k, list) -> {
            list.remove(wake);
            return list.isEmpty() ? null : list;
        });
    }

    private void wake(String key) {
        List<CompletableFuture<Void>> woken = waiters.remove(key);
        if (woken != null) {
            woken.forEach(f -> f.complete(null));
        }
    }

    /**
     * After a (re)subscription: the waiting jobs that are final now (or gone) missed their completion
     * message; wake exactly those, and every non-job key, each after a random delay within the jitter.
     */
    private void wakeThoseFinishedMeanwhile() {
        List<String> jobs = new ArrayList<>();
        for (String key : List.copyOf(waiters.keySet())) {
            if (JobId.isWellFormed(key)) {
                jobs.add(key);
            } else {
                wakeLater(key);
            }
        }
        if (jobs.isEmpty()) {
            return;
        }
        try {
            List<Optional<JobStatus>> statuses = store.statuses(jobs);
            for (int i = 0; i < jobs.size(); i++) {
                if (statuses.get(i).map(JobStatus::isFinal).orElse(true)) {
                    wakeLater(jobs.get(i));
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not read the waiting jobs' statuses after resubscribing ({}); waking them all", e.getMessage());
            jobs.forEach(this::wakeLater);
        }
    }

    private void wakeLater(String key) {
        long delayMs = jitter.isZero() ? 0 : ThreadLocalRandom.current().nextLong(jitter.toMillis() + 1);
        CompletableFuture.delayedExecutor(delayMs, TimeUnit.MILLISECONDS, readers).execute(() -> wake(key));
    }

    /** Number of registered waiters; for tests and diagnostics. */
    int pendingCount() {
        return waiters.values().stream().mapToInt(List::size).sum();
    }

    /** Stops the subscriber and wakes every waiter, which then answer with what they read. */
    @Override
    public void close() {
        running = false;
        subscriber.close();
        List.copyOf(waiters.keySet()).forEach(this::wake);
        readers.shutdown();
    }
}
