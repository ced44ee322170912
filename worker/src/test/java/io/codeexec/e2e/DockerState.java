package io.codeexec.e2e;

import com.github.dockerjava.api.DockerClient;
import io.codeexec.worker.sandbox.DockerClients;
import io.codeexec.worker.sandbox.DockerSandbox;

/** Counts the runner containers (sandbox hosts) on the engine, to prove none is left behind. */
final class DockerState {
    private static final DockerClient DOCKER = DockerClients.connect(Stack.DOCKER_HOST, 1).control();

    private DockerState() {}

    static int containersOfWorker(String workerId) {
        return DOCKER.listContainersCmd().withShowAll(true)
                .withLabelFilter(java.util.Map.of(DockerSandbox.WORKER_LABEL, workerId)).exec().size();
    }

    /** A worker's containers that stopped and were not removed: a live worker keeps only running (warm) hosts. */
    static int stoppedContainersOfWorker(String workerId) {
        return DOCKER.listContainersCmd().withShowAll(true).withStatusFilter(java.util.List.of("exited", "dead"))
                .withLabelFilter(java.util.Map.of(DockerSandbox.WORKER_LABEL, workerId)).exec().size();
    }
}
