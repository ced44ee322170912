package io.codeexec.worker.sandbox;

import io.codeexec.common.job.LanguageCatalog;
import com.github.dockerjava.api.model.Container;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A DockerSandbox on the local engine for integration tests, with the clients it owns. The runner
 * images' tag comes from RUNNER_IMAGE_TAG (default "local"), so the suites run against any image set.
 */
record LocalSandbox(DockerClients docker, DockerSandbox sandbox, String workerId) implements AutoCloseable {
    static final String DOCKER_HOST = "unix:///var/run/docker.sock";
    static final LanguageCatalog CATALOG = new LanguageCatalog(LanguageCatalog.DEFAULT_IMAGE_PREFIX,
            System.getenv().getOrDefault("RUNNER_IMAGE_TAG", LanguageCatalog.DEFAULT_IMAGE_TAG));
    /** Job slots of the test sandbox: at most this many warm hosts per language. */
    static final int SLOTS = 2;

    static LocalSandbox connect(String workerId) {
        return connect(workerId, SandboxConfig.Isolation.NESTED);
    }

    static LocalSandbox connect(String workerId, SandboxConfig.Isolation isolation) {
        return connect(config(workerId, isolation));
    }

    static LocalSandbox connect(SandboxConfig config) {
        return connect(config, SLOTS);
    }

    static LocalSandbox connect(SandboxConfig config, int slots) {
        DockerClients docker = DockerClients.connect(DOCKER_HOST, slots);
        return new LocalSandbox(docker, new DockerSandbox(docker, config, slots), config.workerId());
    }

    /** A config for this process only (worker ids carry the pid, so hosts are counted per test run). */
    static SandboxConfig config(String workerId, SandboxConfig.Isolation isolation) {
        return SandboxConfig.of(DOCKER_HOST, "runc", isolation, workerId + "-" + ProcessHandle.current().pid());
    }

    /** Containers (sandbox hosts) this sandbox has on the engine right now, running or not. */
    int containerCount() {
        return containerIds().size();
    }

    /** Ids of this sandbox's containers on the engine right now. */
    Set<String> containerIds() {
        return docker.control().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(DockerSandbox.WORKER_LABEL, workerId)).exec().stream()
                .map(Container::getId).collect(Collectors.toSet());
    }

    /** Removes the idle hosts, checks nothing of this sandbox is left on the engine, closes the clients. */
    @Override
    public void close() throws Exception {
        sandbox.close();
        int left = containerCount();
        for (int i = 0; i < 50 && left > 0; i++) {  // a removal the engine reported "in progress" completes
            Thread.sleep(100);
            left = containerCount();
        }
        docker.close();
        if (left != 0) {
            throw new AssertionError(left + " sandbox hosts of " + workerId + " left on the engine after close");
        }
    }
}
