package io.codeexec.worker;

import io.codeexec.common.queue.JobQueue;
import io.codeexec.common.queue.JobStore;
import io.codeexec.worker.callback.CallbackDispatcher;
import io.codeexec.common.queue.LanguageRegistry;
import io.codeexec.common.queue.RedisConnector;
import io.codeexec.worker.sandbox.DockerClients;
import io.codeexec.worker.sandbox.DockerSandbox;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Owns a worker process's parts and their lifecycle:
 * 1. start: sweep leftover containers, register (heartbeat, reaper), probe and publish languages,
 *    then start N processors and the cancel listener;
 * 2. stop: stop claiming, let running jobs finish within the grace period, give back anything left,
 *    deregister and close every client.
 */
public final class Launcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Launcher.class);

    private final WorkerConfig config;
    private final RedisClient redis;
    private final DockerClients docker;
    private final JobQueue queue;
    private final DockerSandbox sandbox;
    private final WorkerHealth health = new WorkerHealth();
    private final Heartbeat heartbeat;
    private final OrphanReaper reaper;
    private final CancelListener cancelListener;
    private final CallbackDispatcher callbacks;
    private final List<Processor> processors = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final ScheduledExecutorService duties = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "worker-duties");
        t.setDaemon(true);
        return t;
    });
    private boolean stopped;

    public Launcher(WorkerConfig config) {
        this.config = config;
        RedisConnector connector = new RedisConnector(config.redisUrl());
        this.redis = connector.pooled(config.concurrency() + 2);
        this.docker = DockerClients.connect(config.sandbox().dockerHost(), config.concurrency());
        this.queue = new JobQueue(redis, Long.MAX_VALUE, config.resultTtlSeconds(), Clock.systemUTC());
        this.sandbox = new DockerSandbox(docker, config.sandbox(), config.concurrency());
        this.heartbeat = new Heartbeat(redis, config, health);
        this.reaper = new OrphanReaper(redis, queue, config.workerId(), deadWorker -> {
            try {
                ContainerSweeper.removeWorkerContainers(docker.control(), deadWorker);
            } catch (RuntimeException e) {
                LOG.warn("cannot remove containers of dead worker {}: {}", deadWorker, e.getMessage());
            }
        });
        this.cancelListener = new CancelListener(connector, sandbox);
        this.callbacks = new CallbackDispatcher(config.callbacks());
    }

    public Launcher start() {
        LOG.info("worker {} starting with {} job slots", config.workerId(), config.concurrency());
        try {
            ContainerSweeper.sweep(docker.control(), Duration.ofMinutes(10));
        } catch (RuntimeException e) {
            health.dockerDown(e);
            LOG.warn("cannot sweep leftover containers: {}", e.getMessage());
        }
        // Registered before anything starts a container, so a worker that dies even while probing is
        // found by the reaper, and the containers it labelled are removed.
        periodicDuties();
        duties.scheduleWithFixedDelay(this::periodicDuties, Heartbeat.INTERVAL_SECONDS, Heartbeat.INTERVAL_SECONDS,
                TimeUnit.SECONDS);
        sandbox.warm(LanguageProbe.probeAndPublish(config.catalog().all(), sandbox, new LanguageRegistry(redis)));
        startThread("cancel-listener", cancelListener);
        for (int i = 0; i < config.concurrency(); i++) {
            Processor processor = new Processor(config, queue, new JobStore(redis), sandbox, health, callbacks);
            processors.add(processor);
            threads.add(startThread("processor-" + i, processor));
        }
        return this;
    }

    private Thread startThread(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.start();
        return thread;
    }

    private void periodicDuties() {
        try {
            heartbeat.beat();
            reaper.reap();
        } catch (JedisException e) {
            health.redisDown(e);
            LOG.warn("heartbeat failed: {}", e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("periodic duty failed", e);
        }
    }

    public String workerId() {
        return config.workerId();
    }

    /** Graceful stop: running jobs get SHUTDOWN_GRACE_SECONDS to finish; the rest goes back to the queue. */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        LOG.info("worker {} stopping: no new claims, waiting up to {} s for running jobs",
                config.workerId(), config.shutdownGraceSeconds());
        processors.forEach(Processor::stop);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(config.shutdownGraceSeconds());
        for (Thread thread : threads) {
            try {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        int killed = sandbox.cancelAll();
        if (killed > 0) {
            LOG.warn("grace period over: killed {} running jobs; they go back to the queue", killed);
            for (Thread thread : threads) {
                try {
                    thread.join(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        duties.shutdownNow();
        cancelListener.stop();
        try {
            for (String jobId : queue.processing(config.workerId())) {
                queue.requeue(config.workerId(), jobId);
                LOG.info("job {} given back to the queue", jobId);
            }
            heartbeat.deregister();
        } catch (JedisException e) {
            LOG.warn("cannot give jobs back or deregister ({}); the reaper will", e.getMessage());
        }
        threads.forEach(Thread::interrupt);
        LOG.info("worker {} stopped", config.workerId());
    }

    @Override
    public void close() {
        stop();
        callbacks.close();
        sandbox.close();
        redis.close();
        try {
            docker.close();
        } catch (java.io.IOException e) {
            LOG.warn("closing Docker clients: {}", e.getMessage());
        }
    }
}
