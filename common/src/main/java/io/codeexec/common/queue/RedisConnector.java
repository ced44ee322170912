package io.codeexec.common.queue;

import java.net.URI;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClient;

/**
 * Builds Redis clients from REDIS_URL with bounded pools and timeouts, so a dead connection can never
 * hang a thread: blocking commands get a socket timeout above their own block time.
 */
public final class RedisConnector {
    private static final int CONNECT_TIMEOUT_MS = 2_000;
    private static final int SOCKET_TIMEOUT_MS = 5_000;
    private static final int BLOCKING_SOCKET_TIMEOUT_MS = 10_000;
    private static final int POOL_WAIT_MS = 5_000;

    private final URI uri;

    public RedisConnector(String url) {
        this.uri = URI.create(url);
        if (!"redis".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("REDIS_URL must look like redis://host:6379, got '" + url + "'");
        }
    }

    /** A pooled client for commands, sized for {@code threads} concurrent users. */
    public RedisClient pooled(int threads) {
        GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
        pool.setMaxTotal(threads + 4);
        pool.setMaxIdle(threads + 4);
        pool.setMaxWait(java.time.Duration.ofMillis(POOL_WAIT_MS));
        pool.setTestWhileIdle(true);
        return RedisClient.builder()
                .hostAndPort(hostAndPort())
                .clientConfig(config())
                .poolConfig(pool)
                .build();
    }

    /** A single connection, for a pub/sub subscriber that owns it. */
    public Jedis single() {
        return new Jedis(hostAndPort(), config());
    }

    private HostAndPort hostAndPort() {
        return new HostAndPort(uri.getHost(), uri.getPort() == -1 ? 6379 : uri.getPort());
    }

    private DefaultJedisClientConfig config() {
        DefaultJedisClientConfig.Builder builder = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(CONNECT_TIMEOUT_MS)
                .socketTimeoutMillis(SOCKET_TIMEOUT_MS)
                .blockingSocketTimeoutMillis(BLOCKING_SOCKET_TIMEOUT_MS);
        String userInfo = uri.getUserInfo();
        if (userInfo != null && !userInfo.isEmpty()) {
            int colon = userInfo.indexOf(':');
            if (colon >= 0) {
                if (colon > 0) {
                    builder.user(userInfo.substring(0, colon));
                }
                builder.password(userInfo.substring(colon + 1));
            } else {
                builder.password(userInfo);
            }
        }
        return builder.build();
    }
}
