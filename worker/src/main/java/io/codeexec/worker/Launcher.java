package io.codeexec.worker;

import io.codeexec.common.config.Env;
import io.codeexec.common.config.LimitPolicy;
import io.codeexec.common.job.Limits;
import io.codeexec.common.logging.LogContext;
import io.codeexec.common.queue.JobQueue;
import io.codeexec.worker.callback.OutboxDelivery;
import io.codeexec.worker.metrics.WorkerMetrics;
import io.codeexec.common.queue.LanguageRegistry;
import io.codeexec.common.queue.RedisConnector;
import io.codeexec.worker.sandbox.DockerClients;
import io.codeexec.worker.reaper.Reaper;
import io.codeexec.worker.events.EventPublisher;
import io.codeexec.worker.sandbox.Deployment;
import io.codeexec.worker.sandbox.DockerSandbox;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Owns a worker process's parts and their lifecycle:
 * 1. start: register (heartbeat, on its own thread), start the reaper (its own thread) and the container
 *    sweeper (its own thread, listing containers of possibly dead workers), probe and publish languages,
 *    then start N processors and the cancel listener;
 * 2. stop: stop claiming, let running jobs finish within the grace period, give back anything left,
 *    deregister and close every client.
 */
public final class Launcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Launcher.class);

    private final WorkerConfig config;
    private final RedisConnector connector;
    private final UnifiedJedis redis;
    private final DockerClients docker;
    private final JobQueue queue;
    private final EventPublisher events;
    private final DockerSandbox sandbox;
    private final WorkerMetrics metrics = WorkerMetrics.withJvm();
    private final WorkerHealth health = new WorkerHealth(WorkerHealth.REPROBE, metrics);
    private final Heartbeat heartbeat;
    private final ContainerSweeper sweeper;
    private final Reaper reaper;
    private final CancelListener cancelListener;
    private final LeaseKeeper leaseKeeper;
    private final OutboxDelivery callbackDelivery;
    private final List<Processor> processors = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private boolean stopped;

    public Launcher(WorkerConfig config) {
        this.config = config;
        this.connector = new RedisConnector(config.redisUrl());
        this.redis = connector.client(config.concurrency() + 3);  // + heartbeat, reaper, live events
        this.docker = DockerClients.connect(config.sandbox().dockerHost(), config.concurrency());
        this.queue = new JobQueue(redis, Long.MAX_VALUE, config.resultTtlSeconds(), Clock.systemUTC());
        String deployment = Deployment.of(config.redisUrl());
        this.events = new EventPublisher(redis, config.resultTtlSeconds());
        this.sandbox = new DockerSandbox(docker, config.sandbox().withDeployment(deployment), config.concurrency(), events, metrics);
        this.heartbeat = new Heartbeat(redis, config, health);
        this.sweeper = new ContainerSweeper(docker.control(), deployment);
        this.reaper = Reaper.standard(redis, config.workerId(), sweeper::removeContainersOf, sweeper::labelledWorkers);
        this.cancelListener = new CancelListener(connector, redis, config.workerId(), sandbox);
        this.leaseKeeper = new LeaseKeeper(queue);
        this.callbackDelivery = new OutboxDelivery(connector, config.callbacks(), config.workerId(), metrics);
    }

    public Launcher start() {
        LOG.info("worker {} starting with {} job slots on Redis {}", config.workerId(), config.concurrency(), connector.url());
        connector.awaitCredentialsAccepted(redis);  // claims nothing while Redis refuses us; says why once
        // Registered before anything starts a container, so a worker that dies even while probing is
        // found by the reaper, and the containers it labelled are removed.
        heartbeat.start();
        sweeper.start();
        reaper.start();
        events.start();
        sandbox.warm(LanguageProbe.probeAndPublish(config.catalog().all(), sandbox, new LanguageRegistry(redis)));
        startThread("cancel-listener", cancelListener);
        leaseKeeper.start();
        callbackDelivery.start();
        Limits maxima = LimitPolicy.fromEnv(Env.system()).maxima();
        for (int i = 0; i < config.concurrency(); i++) {
            Processor processor = new Processor(config, queue, sandbox, health, leaseKeeper, maxima, metrics);
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

    /** This worker's meters, served on METRICS_PORT by WorkerMain (issue 12). */
    public WorkerMetrics metrics() {
        return metrics;
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
        heartbeat.close();
        reaper.close();
        sweeper.close();
        leaseKeeper.close();
        cancelListener.stop();
        try {
            // Leased jobs were given back by their slots; what is left was moved here but never claimed.
            for (String jobId : queue.processing(config.workerId())) {
                if (queue.returnUnclaimed(config.workerId(), jobId)) {
                    try (var job = LogContext.job(jobId)) {
                        LOG.info("given back to the queue");
                    }
                }
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
        callbackDelivery.close();
        sandbox.close();
        events.close();
        metrics.close();
        redis.close();
        try {
            docker.close();
        } catch (java.io.IOException e) {
            LOG.warn("closing Docker clients: {}", e.getMessage());
        }
    }
}
