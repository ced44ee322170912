package io.codeexec.common.testing;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import com.redis.testcontainers.RedisContainer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import org.testcontainers.utility.DockerImageName;
import redis.clients.jedis.Jedis;

/**
 * One real Redis per test JVM, started by Testcontainers from the locally built image
 * (codeexec/redis:local, built by `make images`; override with -Dcodeexec.redisImage). Its host port is
 * fixed at start, so a restart ({@link #restart}) keeps the same address, as a real Redis would; it
 * keeps an append-only file, so a restart keeps its data.
 */
public final class RedisTestServer {
    private static RedisContainer container;
    private static int port;

    private RedisTestServer() {}

    public static synchronized String url() {
        if (container == null) {
            String image = System.getProperty("codeexec.redisImage", "codeexec/redis:local");
            port = freePort();
            container = new RedisContainer(DockerImageName.parse(image).asCompatibleSubstituteFor("redis"));
            container.withCreateContainerCmdModifier(cmd -> cmd.getHostConfig()
                    .withPortBindings(new PortBinding(Ports.Binding.bindIpAndPort("127.0.0.1", port), ExposedPort.tcp(6379))));
            container.start();
            // Ryuk cannot run here (its image cannot be pulled), so stop our container ourselves.
            RedisContainer started = container;
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "redis-test-server-stop"));
        }
        return "redis://127.0.0.1:" + port;
    }

    /** Freezes Redis (docker pause): connections hang as on a network partition, until {@link #unpause}. */
    public static synchronized void pause() {
        url();
        container.getDockerClient().pauseContainerCmd(container.getContainerId()).exec();
    }

    public static synchronized void unpause() {
        container.getDockerClient().unpauseContainerCmd(container.getContainerId()).exec();
    }

    /** Restarts the Redis process (docker restart: SIGTERM, AOF flushed, same address) and waits for PING. */
    public static synchronized void restart() throws InterruptedException {
        url();
        container.getDockerClient().restartContainerCmd(container.getContainerId()).withTimeout(10).exec();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            try (Jedis jedis = new Jedis("127.0.0.1", port, 1000)) {
                if ("PONG".equals(jedis.ping())) {
                    return;
                }
            } catch (RuntimeException e) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("Redis did not answer within 30 s of its restart");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
