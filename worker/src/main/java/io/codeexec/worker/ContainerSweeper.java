package io.codeexec.worker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import io.codeexec.worker.sandbox.DockerSandbox;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes runner containers nobody will remove: those of a worker found dead, and at start any
 * labelled codeexec.job that is older than the longest possible run.
 */
final class ContainerSweeper {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerSweeper.class);

    private ContainerSweeper() {}

    /** Removes every runner container labelled with a (dead) worker's id; returns how many. */
    static int removeWorkerContainers(DockerClient docker, String workerId) {
        int removed = 0;
        for (Container container : docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(java.util.Map.of(DockerSandbox.WORKER_LABEL, workerId)).exec()) {
            try {
                docker.removeContainerCmd(container.getId()).withForce(true).exec();
                removed++;
            } catch (RuntimeException e) {
                LOG.warn("cannot remove container {} of dead worker {}: {}", container.getId(), workerId, e.getMessage());
            }
        }
        if (removed > 0) {
            LOG.info("removed {} containers left by dead worker {}", removed, workerId);
        }
        return removed;
    }

    static int sweep(DockerClient docker, Duration olderThan) {
        long cutoff = Instant.now().minus(olderThan).getEpochSecond();
        List<Container> leftovers = docker.listContainersCmd()
                .withShowAll(true)
                .withLabelFilter(List.of(DockerSandbox.JOB_LABEL))
                .exec();
        int removed = 0;
        for (Container container : leftovers) {
            if (container.getCreated() != null && container.getCreated() < cutoff) {
                try {
                    docker.removeContainerCmd(container.getId()).withForce(true).exec();
                    removed++;
                } catch (RuntimeException e) {
                    LOG.warn("cannot remove leftover container {}: {}", container.getId(), e.getMessage());
                }
            }
        }
        if (removed > 0) {
            LOG.info("removed {} leftover runner containers", removed);
        }
        return removed;
    }
}
