package io.codeexec.api;

import io.codeexec.common.queue.RedisConnector;
import io.codeexec.common.queue.RedisKeys;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/**
 * The one connection of an API process SUBSCRIBEd to the done channel, kept alive:
 * 1. a subscriber thread subscribes, hands every published id to its {@link Listener}, and reconnects
 *    with backoff when the connection fails; {@link Listener#subscribed} runs after each (re)subscription;
 * 2. a watchdog thread PINGs the subscribed connection every {@code pingEvery}; no PONG (or no subscription
 *    while connecting) within {@code deadAfter} means the connection is dead or half-open: it is closed,
 *    which makes the subscriber reconnect;
 * 3. it logs once when the connection is lost and once when it is back, never while idle.
 */
final class DoneSubscriber implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DoneSubscriber.class);

    /** What the subscriber reports; both run on the subscriber thread and must not block. */
    interface Listener {
        void subscribed();

        void done(String key);
    }

    /** How often the connection is checked, when it counts as dead, and the longest reconnect backoff. */
    record Timing(Duration pingEvery, Duration deadAfter, Duration maxBackoff) {
        static final Timing STANDARD = new Timing(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(5));
    }

    private static final long FIRST_BACKOFF_MS = 100;

    private final RedisConnector connector;
    private final Listener listener;
    private final Timing timing;
    private final Thread loop;
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("completion-watchdog").factory());
    private volatile boolean running;
    private volatile boolean subscribed;
    /** Set when a loss was logged, cleared (and logged) on the next subscription: one line each way. */
    private volatile boolean outage;
    private volatile Jedis connection;
    private volatile JedisPubSub pubSub;
    /** When the current connection last proved alive (subscribed, or answered a PING), System.nanoTime(). */
    private volatile long lastAliveNanos;

    DoneSubscriber(RedisConnector connector, Listener listener, Timing timing) {
        this.connector = connector;
        this.listener = listener;
        this.timing = timing;
        this.loop = Thread.ofPlatform().daemon().name("completion-subscriber").unstarted(this::subscribeLoop);
    }

    void start() {
        running = true;
        loop.start();
        long every = timing.pingEvery().toMillis();
        watchdog.scheduleWithFixedDelay(this::check, every, every, TimeUnit.MILLISECONDS);
    }

    boolean isSubscribed() {
        return subscribed;
    }

    private void subscribeLoop() {
        long backoffMs = FIRST_BACKOFF_MS;
        while (running) {
            try (Jedis jedis = connector.single()) {
                JedisPubSub listening = new Channel();
                lastAliveNanos = System.nanoTime();
                connection = jedis;
                pubSub = listening;
                if (!running) {
                    break;
                }
                jedis.subscribe(listening, RedisKeys.doneChannel());  // returns when unsubscribed
            } catch (RuntimeException e) {
                if (running && !outage) {
                    outage = true;
                    LOG.warn("Completion events: lost Redis ({}); reconnecting", e.getMessage());
                }
            } finally {
                if (subscribed) {
                    backoffMs = FIRST_BACKOFF_MS;  // it was working: try again at once
                }
                subscribed = false;
                connection = null;
            }
            if (running) {
                sleep(backoffMs);
                backoffMs = Math.min(backoffMs * 2, timing.maxBackoff().toMillis());
            }
        }
    }

    /** Watchdog: PING a subscribed connection; close one that stopped answering or never subscribed. */
    private void check() {
        Jedis current = connection;
        if (current == null) {
            return;
        }
        long silentMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastAliveNanos);
        if (silentMs > timing.deadAfter().toMillis()) {
            if (!outage) {
                outage = true;
                LOG.warn("Completion events: Redis did not answer for {} ms (dead or half-open connection); reconnecting",
                        silentMs);
            }
            disconnect(current);
            return;
        }
        JedisPubSub listening = pubSub;
        if (subscribed && listening != null) {
            try {
                listening.ping();
            } catch (RuntimeException e) {
                disconnect(current);
            }
        }
    }

    private final class Channel extends JedisPubSub {
        @Override
        public void onSubscribe(String channel, int subscribedChannels) {
            lastAliveNanos = System.nanoTime();
            subscribed = true;
            if (outage) {
                outage = false;
                LOG.info("Completion events: subscribed again");
            }
            listener.subscribed();
        }

        @Override
        public void onPong(String pattern) {
            lastAliveNanos = System.nanoTime();
        }

        @Override
        public void onMessage(String channel, String key) {
            lastAliveNanos = System.nanoTime();
            listener.done(key);
        }
    }

    private static void disconnect(Jedis jedis) {
        try {
            jedis.disconnect();  // the subscriber's blocked read fails, and it reconnects
        } catch (RuntimeException e) {
            LOG.debug("closing the completion connection failed", e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Unsubscribes and stops both threads. */
    @Override
    public void close() {
        running = false;
        watchdog.shutdownNow();
        JedisPubSub listening = pubSub;
        try {
            if (listening != null && listening.isSubscribed()) {
                listening.unsubscribe();
            }
        } catch (RuntimeException e) {
            LOG.debug("unsubscribe failed while stopping", e);
        }
        loop.interrupt();  // ends a backoff sleep at once; a blocked socket read ignores it
        try {
            loop.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Jedis current = connection;
        if (loop.isAlive() && current != null) {
            disconnect(current);  // unblocks a subscribe stuck on a dead socket
        }
    }
}
