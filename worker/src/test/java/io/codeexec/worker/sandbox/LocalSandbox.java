package io.codeexec.worker.sandbox;

/** A DockerSandbox on the local engine for integration tests, with the clients it owns. */
record LocalSandbox(DockerClients docker, DockerSandbox sandbox) implements AutoCloseable {
    static final String DOCKER_HOST = "unix:///var/run/docker.sock";

    static LocalSandbox connect(String workerId) {
        DockerClients docker = DockerClients.connect(DOCKER_HOST, 2);
        return new LocalSandbox(docker, new DockerSandbox(docker,
                new SandboxConfig(DOCKER_HOST, "runc", "60123:60123", 1_000_000_000L, workerId)));
    }

    @Override
    public void close() throws Exception {
        docker.close();
    }
}
