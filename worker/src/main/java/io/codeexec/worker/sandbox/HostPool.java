package io.codeexec.worker.sandbox;

import io.codeexec.worker.metrics.WorkerMetrics;
import io.codeexec.common.job.Language;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The warm sandbox hosts of one worker, per runner image:
 * 1. acquire: a warm host of the job's image, or a new one when none is warm; a host is lent to one
 *    job at a time, so no host ever serves two jobs at once;
 * 2. release: a healthy host within its run count and age goes back; any other (an anomaly, used up,
 *    or single-use in container mode) is removed in the background and a replacement started there,
 *    off the job's critical path;
 * 3. warm: start hosts ahead of demand, at most {@code slots} idle per image (one per job slot).
 */
final class HostPool implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HostPool.class);

    private final DockerClients docker;
    private final SandboxConfig config;
    private final int slots;
    private final Map<String, Deque<SandboxHost>> idle = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> starting = new ConcurrentHashMap<>();
    private final ExecutorService background = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("sandbox-host-", 0).factory());
    private volatile boolean closed;

    private final WorkerMetrics metrics;

    HostPool(DockerClients docker, SandboxConfig config, int slots, WorkerMetrics metrics) {
        this.metrics = metrics;
        this.docker = docker;
        this.config = config;
        this.slots = slots;
    }

    /**
     * The most hosts a pool has at once: one idle per slot and image, plus per slot one lent to a job
     * and one replacement starting while a retired host is still being removed.
     */
    static int maxHosts(int slots, int images) {
        return slots * images + 2 * slots;
    }

    /** A ready host of the language's image, lent to the caller until {@link #release}. */
    SandboxHost acquire(Language language) {
        Deque<SandboxHost> warm = idle(language);
        SandboxHost host;
        while ((host = warm.pollFirst()) != null) {
            if (reusable(host)) {
                return host;
            }
            retire(host);
        }
        return start(language);
    }

    /** Takes a host back after a job; anything but a healthy reusable host is replaced in the background. */
    void release(SandboxHost host) {
        if (!closed && reusable(host) && idle(host.language()).size() < slots) {
            idle(host.language()).offerFirst(host);
            return;
        }
        retire(host);
        replenish(host.language());
    }

    /** Starts hosts ahead of demand until each language has one per slot (in the background). */
    void warm(List<Language> languages) {
        for (Language language : languages) {
            for (int i = 0; i < slots; i++) {
                replenish(language);
            }
        }
    }

    /** Hosts waiting for a job right now, over all images. */
    int idleCount() {
        return idle.values().stream().mapToInt(Deque::size).sum();
    }

    private boolean reusable(SandboxHost host) {
        int maxRuns = config.singleUse() ? 1 : config.hostMaxRuns();
        return host.reusable(maxRuns, config.hostMaxAgeSeconds());
    }

    /** A new host, counted as started or failed. */
    private SandboxHost start(Language language) {
        try {
            SandboxHost host = SandboxHost.start(docker, config, language);
            metrics.hostStarted(language.id());
            return host;
        } catch (RuntimeException e) {
            metrics.hostStartFailed(language.id());
            throw e;
        }
    }

    private void retire(SandboxHost host) {
        metrics.hostRecycled(host.language().id());
        try {
            background.execute(host::remove);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            host.remove();
        }
    }

    private void replenish(Language language) {
        AtomicInteger pending = starting.computeIfAbsent(language.image(), image -> new AtomicInteger());
        if (closed || idle(language).size() + pending.incrementAndGet() > slots) {
            pending.decrementAndGet();
            return;
        }
        try {
            background.execute(() -> {
                try {
                    SandboxHost host = start(language);
                    if (closed) {
                        host.remove();
                    } else {
                        idle(language).offerLast(host);
                    }
                } catch (RuntimeException e) {
                    LOG.warn("cannot warm a sandbox host of {}: {}", language.image(), e.getMessage());
                } finally {
                    pending.decrementAndGet();
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            pending.decrementAndGet();
        }
    }

    private Deque<SandboxHost> idle(Language language) {
        return idle.computeIfAbsent(language.image(), image -> new ConcurrentLinkedDeque<>());
    }

    /** Removes every idle host and waits for background starts and removals. */
    @Override
    public void close() {
        closed = true;
        List<SandboxHost> left = new ArrayList<>();
        idle.values().forEach(deque -> {
            SandboxHost host;
            while ((host = deque.pollFirst()) != null) {
                left.add(host);
            }
        });
        left.forEach(this::retire);
        background.shutdown();
        try {
            if (!background.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("sandbox hosts still starting or being removed after 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // A start that finished after the sweep above put its host back: remove it too.
        idle.values().forEach(deque -> deque.forEach(SandboxHost::remove));
    }
}
