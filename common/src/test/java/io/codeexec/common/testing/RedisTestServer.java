package io.codeexec.common.testing;

import com.redis.testcontainers.RedisContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * One real Redis per test JVM, started by Testcontainers from the locally built image
 * (codeexec/redis:local, built by `make images`; override with -Dcodeexec.redisImage).
 */
public final class RedisTestServer {
    private static RedisContainer container;

    private RedisTestServer() {}

    public static synchronized String url() {
        if (container == null) {
            String image = System.getProperty("codeexec.redisImage", "codeexec/redis:local");
            container = new RedisContainer(DockerImageName.parse(image).asCompatibleSubstituteFor("redis"));
            container.start();
            // Ryuk cannot run here (its image cannot be pulled), so stop our container ourselves.
            RedisContainer started = container;
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "redis-test-server-stop"));
        }
        return "redis://" + container.getHost() + ":" + container.getFirstMappedPort();
    }

    /** Freezes Redis (docker pause): connections hang as on a network partition, until {@link #unpause}. */
    public static synchronized void pause() {
        url();
        container.getDockerClient().pauseContainerCmd(container.getContainerId()).exec();
    }

    public static synchronized void unpause() {
        container.getDockerClient().unpauseContainerCmd(container.getContainerId()).exec();
    }
}
