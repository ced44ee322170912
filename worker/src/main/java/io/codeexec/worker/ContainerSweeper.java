package io.codeexec.worker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import io.codeexec.worker.sandbox.Deployment;
import io.codeexec.worker.sandbox.DockerSandbox;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the Docker side of cleaning up after dead workers, on a thread of its own (neither the
 * heartbeat's nor the reaper's: an engine call can take 30 s):
 * 1. lists which workers our deployment's runner containers on the engine belong to (labels
 *    codeexec.deployment and codeexec.worker; another deployment's containers are never considered), at start,
 *    every minute and after each removal, so the reaper judges those workers too, registered or not
 *    (the start-up sweep);
 * 2. removes every container of a worker the reaper found dead, never any other: a live peer's
 *    long job is safe whatever its age.
 */
public final class ContainerSweeper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerSweeper.class);
    /** How often the labelled containers are listed again. */
    static final long LIST_INTERVAL_SECONDS = 60;

    private final DockerClient docker;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "container-sweeper");
        t.setDaemon(true);
        return t;
    });
    private final Set<String> removalsAsked = ConcurrentHashMap.newKeySet();
    private volatile Set<String> labelledWorkers = Set.of();

    private final String deployment;

    /** Sweeps the containers of {@code deployment} ({@link Deployment}) only: other deployments' are never touched. */
    public ContainerSweeper(DockerClient docker, String deployment) {
        this.docker = docker;
        this.deployment = deployment;
    }

    /** The workers named by runner containers on our engine, as last listed. */
    public Set<String> labelledWorkers() {
        return labelledWorkers;
    }

    /** Lists the labelled containers now and every {@link #LIST_INTERVAL_SECONDS}, on the sweeper's thread. */
    public ContainerSweeper start() {
        thread.scheduleWithFixedDelay(guarded(this::listLabels), 0, LIST_INTERVAL_SECONDS, TimeUnit.SECONDS);
        return this;
    }

    /** Removes a dead worker's containers off the caller's thread; a request already waiting is not repeated. */
    public void removeContainersOf(String deadWorker) {
        if (removalsAsked.add(deadWorker)) {
            submit(() -> {
                try {
                    removeNow(deadWorker);
                } finally {
                    removalsAsked.remove(deadWorker);
                    listLabels();
                }
            });
        }
    }

    private void submit(Runnable task) {
        try {
            thread.execute(guarded(task));
        } catch (RejectedExecutionException e) {
            // Shutting down: nothing more to sweep.
        }
    }

    /** An engine failure is logged and the next request or listing tries again. */
    private static Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("container sweep failed: {}", e.getMessage());
            }
        };
    }

    private void listLabels() {
        Set<String> workers = new HashSet<>();
        for (Container container : docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(Deployment.LABEL, deployment)).exec()) {
            Map<String, String> labels = container.getLabels();
            if (labels != null && labels.get(DockerSandbox.WORKER_LABEL) != null) {
                workers.add(labels.get(DockerSandbox.WORKER_LABEL));
            }
        }
        labelledWorkers = Set.copyOf(workers);
    }

    /** Removes every runner container labelled with the (dead) worker's id, now; returns how many. */
    int removeNow(String deadWorker) {
        int removed = 0;
        for (Container container : docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(DockerSandbox.WORKER_LABEL, deadWorker, Deployment.LABEL, deployment)).exec()) {
            try {
                docker.removeContainerCmd(container.getId()).withForce(true).exec();
                removed++;
            } catch (RuntimeException e) {
                LOG.warn("cannot remove container {} of dead worker {}: {}", container.getId(), deadWorker, e.getMessage());
            }
        }
        if (removed > 0) {
            LOG.info("removed {} containers left by dead worker {}", removed, deadWorker);
        }
        return removed;
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
