package io.codeexec.api.events;

import io.codeexec.common.queue.RedisConnector;
import io.codeexec.common.queue.RedisKeys;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XReadParams;
import redis.clients.jedis.resps.StreamEntry;

/**
 * The one reader of job event streams in an API process, shared by every SSE client:
 * 1. a client {@link #watch}es a job (before it reads the backlog itself, so nothing slips between);
 * 2. one thread on one connection XREADs every watched stream at once (BLOCK {@link #BLOCK_MS}) and
 *    hands each new entry to every watcher of its job; idle (nothing watched) it sends nothing;
 * 3. a failed connection is reopened with backoff; watchers re-read from Redis on their keep-alive
 *    tick meanwhile, so a lost delivery only delays events.
 * 200 clients cost one connection and one blocked thread here, plus one parked virtual thread each.
 */
public final class StreamHub implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StreamHub.class);
    /** Longest XREAD block: also how late a newly watched job's next event can be. */
    static final long BLOCK_MS = 200;
    private static final int COUNT = 1000;
    private static final long MAX_BACKOFF_MS = 2_000;

    /** One client's subscription to one job: new entries of its stream, in order. */
    public final class Watch implements AutoCloseable {
        private final String key;
        final BlockingQueue<StreamEntry> entries = new LinkedBlockingQueue<>();

        private Watch(String key) {
            this.key = key;
        }

        @Override
        public void close() {
            watched.computeIfPresent(key, (k, job) -> {
                job.watchers.remove(this);
                return job.watchers.isEmpty() ? null : job;
            });
        }
    }

    /** A watched stream: where the hub's reading stands, and who hears about it. */
    private static final class Watched {
        volatile StreamEntryID cursor;
        final Set<Watch> watchers = ConcurrentHashMap.newKeySet();

        Watched(StreamEntryID cursor) {
            this.cursor = cursor;
        }
    }

    private final RedisConnector connector;
    private final Map<String, Watched> watched = new ConcurrentHashMap<>();
    private final Thread reader;
    private final Object idle = new Object();
    private volatile boolean running = true;
    private volatile Jedis connection;

    public StreamHub(RedisConnector connector) {
        this.connector = connector;
        this.reader = Thread.ofPlatform().daemon().name("job-events-reader").unstarted(this::readLoop);
    }

    public StreamHub start() {
        reader.start();
        return this;
    }

    /** New entries of job {@code jobId}'s stream after {@code after} (at least) go to the returned watch. */
    public Watch watch(String jobId, StreamEntryID after) {
        String key = RedisKeys.jobEvents(jobId);
        Watch watch = new Watch(key);
        watched.compute(key, (k, job) -> {
            Watched current = job == null ? new Watched(after) : job;
            current.watchers.add(watch);
            return current;
        });
        synchronized (idle) {
            idle.notifyAll();
        }
        return watch;
    }

    /** Number of streams being read; for tests and diagnostics. */
    int watchedStreams() {
        return watched.size();
    }

    private void readLoop() {
        long backoffMs = 100;
        while (running) {
            try {
                if (watched.isEmpty()) {
                    synchronized (idle) {
                        if (watched.isEmpty()) {
                            idle.wait(1_000);
                        }
                    }
                    continue;
                }
                if (connection == null) {
                    connection = connector.single();
                }
                readOnce(connection);
                backoffMs = 100;
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (running) {
                    LOG.warn("job events: reading streams failed ({}); reconnecting in {} ms", e.getMessage(), backoffMs);
                }
                closeConnection();
                sleep(backoffMs);
                backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
            }
        }
        closeConnection();
    }

    private void readOnce(Jedis jedis) {
        Map<String, StreamEntryID> cursors = new HashMap<>();
        watched.forEach((key, job) -> cursors.put(key, job.cursor));
        Map<String, List<StreamEntry>> read = jedis.xreadAsMap(
                XReadParams.xReadParams().block((int) BLOCK_MS).count(COUNT), cursors);
        if (read == null) {
            return;
        }
        read.forEach((key, entries) -> {
            Watched job = watched.get(key);
            if (job == null || entries.isEmpty()) {
                return;
            }
            for (StreamEntry entry : entries) {
                job.watchers.forEach(w -> w.entries.offer(entry));
            }
            job.cursor = entries.getLast().getID();
        });
    }

    private void closeConnection() {
        Jedis current = connection;
        connection = null;
        if (current != null) {
            try {
                current.close();
            } catch (RuntimeException e) {
                LOG.debug("closing the job events connection", e);
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        reader.interrupt();
        try {
            reader.join(BLOCK_MS * 5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
