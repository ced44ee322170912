package io.codeexec.e2e;

import com.github.dockerjava.api.DockerClient;
import io.codeexec.worker.sandbox.DockerClients;
import io.codeexec.worker.sandbox.DockerSandbox;
import java.util.List;

/** Counts the runner containers on the engine, to prove none is left behind. */
final class DockerState {
    private static final DockerClient DOCKER = DockerClients.connect(Stack.DOCKER_HOST, 1).control();

    private DockerState() {}

    static int jobContainers() {
        return DOCKER.listContainersCmd().withShowAll(true).withLabelFilter(List.of(DockerSandbox.JOB_LABEL)).exec().size();
    }

    static int runningJobContainers() {
        return DOCKER.listContainersCmd().withLabelFilter(List.of(DockerSandbox.JOB_LABEL)).exec().size();
    }
}
