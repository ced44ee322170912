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
        }
        return "redis://" + container.getHost() + ":" + container.getFirstMappedPort();
    }
}
