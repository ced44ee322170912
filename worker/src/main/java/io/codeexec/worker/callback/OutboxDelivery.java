package io.codeexec.worker.callback;

import io.codeexec.common.logging.LogContext;
import io.codeexec.common.queue.Outbox;
import io.codeexec.common.queue.RedisConnector;
import io.codeexec.worker.metrics.WorkerMetrics;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * This worker's share of callback delivery: it is one consumer (its worker id) of the outbox's group.
 * 1. A reader thread takes entries only when a delivery slot is free (CALLBACK_CONCURRENCY, virtual threads):
 *    first entries another consumer has held past {@link CallbackConfig#claimIdle()} (it died or stalled),
 *    then new ones, blocking at most a second so a stop is noticed. It also brings due retries back.
 * 2. Each delivery builds its body from Redis, signs it with its tenant's secret and posts it within CALLBACK_TIMEOUT_MS for the
 *    whole exchange. Delivered: the entry leaves the outbox. Failed: it waits in the retries set, doubling
 *    the delay, up to CALLBACK_MAX_ATTEMPTS, then it is dropped, logged and counted; refused targets at once.
 * 3. Stop: no more reads; deliveries in flight get a short grace; whatever is left stays pending in Redis
 *    for another worker (or this one restarted) to claim. Nothing is held only in memory.
 */
public final class OutboxDelivery implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OutboxDelivery.class);
    private static final int READ_BLOCK_MS = 1_000;
    private static final long MAINTENANCE_INTERVAL_MS = 1_000;
    private static final long BACKLOG_LOG_THRESHOLD = 100;
    private static final long FORGET_CONSUMERS_INTERVAL_MS = 60_000;
    private static final long FORGET_CONSUMERS_IDLE_MS = 3_600_000;  // an hour without reading: the worker is gone

    private final CallbackConfig config;
    private final String consumer;
    private final UnifiedJedis redis;
    private final Outbox outbox;
    private final CallbackDocuments documents;
    private final CallbackSecrets secrets;
    private final CallbackPoster poster;
    private final Semaphore slots;
    private final ExecutorService deliveries =
            Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("callback-", 0).factory());
    private final BacklogWatch backlogWatch = new BacklogWatch(BACKLOG_LOG_THRESHOLD);
    private final Thread reader;
    private volatile boolean running = true;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    private String claimCursor = "0-0";
    private long nextMaintenanceNanos = System.nanoTime();
    private long nextForgetNanos = System.nanoTime();

    private final WorkerMetrics metrics;

    public OutboxDelivery(RedisConnector connector, CallbackConfig config, String consumer) {
        this(connector, config, consumer, WorkerMetrics.standalone());
    }

    public OutboxDelivery(RedisConnector connector, CallbackConfig config, String consumer, WorkerMetrics metrics) {
        this.metrics = metrics;
        this.config = config;
        this.consumer = consumer;
        this.redis = connector.client(config.concurrency() + 1);
        this.outbox = new Outbox(redis);
        this.documents = new CallbackDocuments(redis);
        this.secrets = new CallbackSecrets(redis, config.secret(), config.secretCache());
        this.poster = new CallbackPoster(config);
        this.slots = new Semaphore(config.concurrency());
        this.reader = new Thread(this::readLoop, "outbox-reader");
        this.reader.setDaemon(true);
    }

    public OutboxDelivery start() {
        reader.start();
        return this;
    }

    private void readLoop() {
        boolean groupReady = false;
        while (running) {
            int free = 0;
            try {
                if (!groupReady) {
                    outbox.ensureGroup();
                    groupReady = true;
                }
                free = takeFreeSlots();
                if (free > 0) {
                    free -= dispatch(nextEntries(free));
                }
            } catch (InterruptedException e) {
                return;
            } catch (JedisDataException e) {
                groupReady = !String.valueOf(e.getMessage()).startsWith("NOGROUP");  // Redis lost the stream
                LOG.warn("outbox read failed: {}", e.getMessage());
                pause();
            } catch (JedisException e) {
                LOG.warn("cannot read the callback outbox ({}); retrying", e.getMessage());
                pause();
            } catch (RuntimeException e) {
                LOG.error("callback outbox reader failed; carrying on", e);  // the reader must outlive any failure
                pause();
            } finally {
                slots.release(free);
            }
        }
    }

    /** Waits up to a read's block time for a free slot, then takes every free one; returns how many. */
    private int takeFreeSlots() throws InterruptedException {
        if (!slots.tryAcquire(READ_BLOCK_MS, TimeUnit.MILLISECONDS)) {
            return 0;
        }
        return 1 + slots.drainPermits();
    }

    private Outbox.Taken nextEntries(int free) {
        if (System.nanoTime() - nextMaintenanceNanos >= 0) {
            nextMaintenanceNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MAINTENANCE_INTERVAL_MS);
            outbox.moveDueRetries();
            String line = backlogWatch.observe(outbox.backlog());
            if (line != null) {
                LOG.warn(line);
            }
            if (System.nanoTime() - nextForgetNanos >= 0) {
                nextForgetNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FORGET_CONSUMERS_INTERVAL_MS);
                outbox.forgetIdleConsumers(FORGET_CONSUMERS_IDLE_MS);
            }
            Outbox.Claimed claimed = outbox.claimStale(consumer, config.claimIdle().toMillis(), free, claimCursor);
            claimCursor = claimed.next();
            if (!claimed.taken().isEmpty()) {
                LOG.info("took over {} callbacks held past the claim time by a worker that died or stalled",
                        claimed.taken().entries().size());
                return claimed.taken();
            }
        }
        return outbox.read(consumer, free, READ_BLOCK_MS);
    }

    /** Starts a delivery per entry, each holding one slot until it ends; returns how many slots were used. */
    private int dispatch(Outbox.Taken taken) {
        for (Outbox.Malformed malformed : taken.malformed()) {
            LOG.warn("dropping a malformed outbox entry {}: {}", malformed.streamId(), malformed.fields());
            outbox.drop(malformed.streamId());
        }
        int used = 0;
        for (Outbox.Entry entry : taken.entries()) {
            try {
                deliveries.execute(() -> deliverAndFreeSlot(entry));
                used++;
            } catch (RejectedExecutionException e) {
                break;  // stopping: the entry stays pending for another worker
            }
        }
        return used;
    }

    private void deliverAndFreeSlot(Outbox.Entry entry) {
        try (var about = entry.kind() == Outbox.Kind.JOB ? LogContext.job(entry.id()) : LogContext.batch(entry.id())) {
            deliver(entry);
        } catch (InterruptedException e) {
            LOG.info("callback of {} {} cut at shutdown; it stays in the outbox", entry.kind().wire(), entry.id());
        } catch (JedisException e) {
            LOG.warn("callback of {} {} not settled ({}); it stays in the outbox and will be claimed again",
                    entry.kind().wire(), entry.id(), e.getMessage());
        } finally {
            slots.release();
        }
    }

    private void deliver(Outbox.Entry entry) throws InterruptedException {
        String what = "callback of " + entry.kind().wire() + " " + entry.id();
        Optional<CallbackDocuments.Document> document;
        String secret;
        URI url;
        try {
            document = documents.find(entry.kind(), entry.id());
            secret = document.isEmpty() ? "" : secrets.secretFor(document.get().tenant());
            url = URI.create(entry.url());
        } catch (JedisException e) {
            throw e;
        } catch (RuntimeException e) {
            // An unreadable document or URL will not get better: retrying it would only loop.
            drop(entry, what + " dropped: cannot build it (" + e + ")");
            return;
        }
        if (document.isEmpty()) {
            drop(entry, what + " dropped: the " + entry.kind().wire() + " has expired");
            return;
        }
        CallbackPoster.Outcome outcome = poster.send(url, document.get().body(), document.get().method(), entry.attempt(), secret);
        metrics.callback(outcome.delivered() ? "delivered" : outcome.refused() ? "refused" : "failed");
        if (outcome.delivered()) {
            outbox.delivered(entry.streamId());
        } else if (outcome.refused()) {
            drop(entry, what + " refused: " + outcome.problem());
        } else if (entry.attempt() >= config.maxAttempts()) {
            drop(entry, what + " to " + url + " failed " + entry.attempt() + " times; giving up. Last: "
                    + outcome.problem());
        } else {
            long delayMs = config.retryDelay(entry.attempt()).toMillis();
            if (outbox.retryLater(consumer, entry, delayMs)) {
                LOG.info("{} attempt {} {}; retrying in {} ms", what, entry.attempt(), outcome.problem(), delayMs);
            } else {
                LOG.info("{} attempt {} {}; another worker has taken it over", what, entry.attempt(), outcome.problem());
            }
        }
    }

    private void drop(Outbox.Entry entry, String why) {
        if (outbox.drop(entry.streamId())) {
            LOG.warn(why);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(READ_BLOCK_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops reading; deliveries in flight get a short grace, the rest stays in the outbox for others. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        running = false;
        try {
            reader.join(READ_BLOCK_MS * 3L);
            deliveries.shutdown();
            if (!deliveries.awaitTermination(config.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
                int cut = config.concurrency() - slots.availablePermits();
                deliveries.shutdownNow();
                deliveries.awaitTermination(1, TimeUnit.SECONDS);
                LOG.warn("{} callback deliveries cut at shutdown; they stay in the outbox for another worker", cut);
            }
        } catch (InterruptedException e) {
            deliveries.shutdownNow();
            Thread.currentThread().interrupt();
        }
        try {
            outbox.leave(consumer);
        } catch (JedisException e) {
            LOG.debug("cannot leave the outbox group: {}", e.getMessage());
        }
        poster.close();
        redis.close();
    }
}
