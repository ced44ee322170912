package io.codeexec.common.testing;

import java.util.ArrayList;
import java.util.List;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;

/**
 * A Redis of its own for one test, from our image (codeexec/redis:local, or -Dcodeexec.redisImage)
 * started with extra redis-server arguments (a password, ACL users, TLS) and files copied in
 * (certificates, an aclfile). Stop it with {@link #close}.
 */
public final class RedisWithArgs implements AutoCloseable {
    private final GenericContainer<?> container;
    private final int port;

    private RedisWithArgs(GenericContainer<?> container, int port) {
        this.container = container;
        this.port = port;
    }

    public static Builder builder() {
        return new Builder();
    }

    public String host() {
        return container.getHost();
    }

    public int port() {
        return container.getMappedPort(port);
    }

    public GenericContainer<?> container() {
        return container;
    }

    /** The container's own address (on its first network); the host reaches it directly on Linux. */
    public String ip() {
        return container.getContainerInfo().getNetworkSettings().getNetworks().values().iterator().next().getIpAddress();
    }

    /** SIGKILL to redis-server: the process is gone at once, as in a crash. */
    public void kill() {
        container.getDockerClient().killContainerCmd(container.getContainerId()).exec();
    }

    @Override
    public void close() {
        container.stop();
    }

    public static final class Builder {
        private final List<String> args = new ArrayList<>();
        private final List<Object[]> files = new ArrayList<>();
        private int port = 6379;
        private Network network;
        private String alias;

        public Builder args(String... more) {
            args.addAll(List.of(more));
            return this;
        }

        /** Listens on this port (the one exposed), e.g. for --tls-port. */
        public Builder port(int value) {
            port = value;
            return this;
        }

        public Builder file(String path, byte[] content) {
            files.add(new Object[] {path, content});
            return this;
        }

        public Builder network(Network value, String networkAlias) {
            network = value;
            alias = networkAlias;
            return this;
        }

        public RedisWithArgs start() {
            String image = System.getProperty("codeexec.redisImage", "codeexec/redis:local");
            List<String> command = new ArrayList<>(List.of("redis-server", "--bind", "0.0.0.0", "--protected-mode", "no"));
            command.addAll(args);
            GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(image))
                    .withCommand(command.toArray(String[]::new))
                    .withExposedPorts(port)
                    .waitingFor(Wait.forLogMessage(".*Ready to accept connections.*", 1));
            for (Object[] file : files) {
                container.withCopyToContainer(Transferable.of((byte[]) file[1], 0644), (String) file[0]);
            }
            if (network != null) {
                container.withNetwork(network).withNetworkAliases(alias);
            }
            container.start();
            return new RedisWithArgs(container, port);
        }
    }
}
