package io.codeexec.api;

import io.codeexec.common.job.Job;
import io.codeexec.common.queue.JobStore;
import io.codeexec.common.queue.RedisConnector;
import io.codeexec.common.queue.RedisKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/**
 * Long-poll support without polling Redis:
 * 1. one subscriber thread holds one connection SUBSCRIBEd to the done channel and wakes the waiters
 *    registered under each published id;
 * 2. a waiter registers before it reads the job (so no completion can slip between the two), and
 *    reads again after each wake-up until the job is final or its deadline passes;
 * 3. when the connection drops it reconnects with backoff and, once subscribed again, wakes every
 *    waiter so that none misses a completion published while it was away.
 */
public final class CompletionWaiter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CompletionWaiter.class);
    private static final long MAX_BACKOFF_MS = 5_000;

    private final RedisConnector connector;
    private final JobStore store;
    private final ConcurrentHashMap<String, List<CompletableFuture<Void>>> waiters = new ConcurrentHashMap<>();
    private final ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor();
    private final CountDownLatch firstSubscription = new CountDownLatch(1);
    private final Thread subscriber = Thread.ofPlatform().daemon().name("completion-subscriber").unstarted(this::subscribeLoop);
    private volatile boolean running;
    private volatile boolean subscribed;
    private volatile Jedis connection;
    private volatile JedisPubSub pubSub;

    public CompletionWaiter(RedisConnector connector, JobStore store) {
        this.connector = connector;
        this.store = store;
    }

    /** Starts the subscriber; true when it subscribed within the timeout (else it keeps retrying). */
    public boolean start(Duration timeout) throws InterruptedException {
        running = true;
        subscriber.start();
        return firstSubscription.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean isSubscribed() {
        return subscribed;
    }

    /**
     * The job as read once it is final, or as it stands when the timeout ends; empty if it does not
     * exist. Reads after a wake-up run on virtual threads, never on the subscriber thread.
     */
    public CompletableFuture<Optional<Job>> awaitFinal(String id, Duration timeout) {
        return await(id, timeout, () -> store.find(id), job -> job.isEmpty() || job.get().status().isFinal());
    }

    /**
     * Generic form: reads with {@code read} until {@code done} holds or the timeout ends, re-reading
     * whenever {@code key} is published on the done channel (jobs publish their id, batches "batch:id").
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

    private CompletableFuture<Void> register(String id) {
        CompletableFuture<Void> wake = new CompletableFuture<>();
        waiters.compute(id, (key, list) -> {
            List<CompletableFuture<Void>> updated = list == null ? new ArrayList<>(1) : list;
            updated.add(wake);
            return updated;
        });
        return wake;
    }

    private void unregister(String id, CompletableFuture<Void> wake) {
        waiters.computeIfPresent(id, (key, list) -> {
            list.remove(wake);
            return list.isEmpty() ? null : list;
        });
    }

    private void wake(String id) {
        List<CompletableFuture<Void>> woken = waiters.remove(id);
        if (woken != null) {
            woken.forEach(f -> f.complete(null));
        }
    }

    private void wakeAll() {
        List.copyOf(waiters.keySet()).forEach(this::wake);
    }

    /** Number of registered waiters; for tests and diagnostics. */
    int pendingCount() {
        return waiters.values().stream().mapToInt(List::size).sum();
    }

    private void subscribeLoop() {
        long backoffMs = 100;
        while (running) {
            try (Jedis jedis = connector.single()) {
                connection = jedis;
                JedisPubSub listener = new Listener();
                pubSub = listener;
                if (!running) {
                    break;
                }
                jedis.subscribe(listener, RedisKeys.doneChannel());  // returns when unsubscribed
                backoffMs = 100;
            } catch (RuntimeException e) {
                if (running) {
                    LOG.warn("Completion subscriber lost Redis ({}); retrying in {} ms", e.getMessage(), backoffMs);
                }
            } finally {
                subscribed = false;
                connection = null;
            }
            if (running) {
                sleep(backoffMs);
                backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
            }
        }
    }

    private final class Listener extends JedisPubSub {
        @Override
        public void onSubscribe(String channel, int subscribedChannels) {
            subscribed = true;
            firstSubscription.countDown();
            wakeAll();  // anything published while we were not listening is re-read now
        }

        @Override
        public void onMessage(String channel, String id) {
            wake(id);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the subscriber and wakes every waiter, which then answer with what they read. */
    @Override
    public void close() {
        running = false;
        JedisPubSub listener = pubSub;
        try {
            if (listener != null && listener.isSubscribed()) {
                listener.unsubscribe();
            }
        } catch (RuntimeException e) {
            LOG.debug("unsubscribe failed while stopping", e);
        }
        Jedis jedis = connection;
        if (jedis != null && subscriber.isAlive()) {
            try {
                subscriber.join(1_000);
                if (subscriber.isAlive()) {
                    jedis.disconnect();  // unblocks a subscribe stuck on a dead socket
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.debug("disconnect failed while stopping", e);
            }
        }
        subscriber.interrupt();
        wakeAll();
        readers.shutdown();
    }
}
