package io.codeexec.common.queue;

import io.codeexec.common.config.Env;
import io.codeexec.common.config.RedisTls;
import io.codeexec.common.config.RedisUrl;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisSentinelClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The one place codeexec builds Redis clients, from REDIS_URL ({@link RedisUrl}: password/ACL user,
 * database, {@code rediss://} TLS, {@code redis-sentinel://}) with bounded pools and timeouts, so a dead
 * connection can never hang a thread: blocking commands get a socket timeout above their own block time.
 * Its {@link #refusal()} turns a credential refusal into one clear log line.
 */
public final class RedisConnector {
    private static final Logger LOG = LoggerFactory.getLogger(RedisConnector.class);
    private static final int CONNECT_TIMEOUT_MS = 2_000;
    private static final int SOCKET_TIMEOUT_MS = 5_000;
    private static final int BLOCKING_SOCKET_TIMEOUT_MS = 10_000;
    private static final int POOL_WAIT_MS = 5_000;
    private static final Duration REFUSED_RETRY = Duration.ofSeconds(5);

    private final RedisUrl url;
    private final RedisTls tls;
    private final RedisRefusal refusal;

    /** From REDIS_URL, with the TLS files named by REDIS_TLS_* in the environment. */
    public RedisConnector(String url) {
        this(RedisUrl.parse(url), RedisTls.fromEnv(Env.system()));
    }

    public RedisConnector(RedisUrl url, RedisTls tls) {
        this.url = url;
        this.tls = tls;
        this.refusal = new RedisRefusal(url.masked());
        if (url.tls()) {
            tls.socketFactory();  // fail at start, naming the setting, if the files are unusable
        }
    }

    public RedisUrl url() {
        return url;
    }

    public RedisRefusal refusal() {
        return refusal;
    }

    /**
     * A pooled client for commands, sized for {@code threads} concurrent users: the primary named by the
     * Sentinels (followed across failovers) or the one host of the URL.
     */
    public UnifiedJedis client(int threads) {
        if (url.sentinel()) {
            return RedisSentinelClient.builder()
                    .masterName(url.masterName())
                    .sentinels(sentinels())
                    .sentinelClientConfig(sentinelConfig())
                    .clientConfig(config())
                    .poolConfig(pool(threads))
                    .build();
        }
        return pooled(threads);
    }

    /** A pooled client on the URL's one host (redis:// or rediss://); Sentinel URLs need {@link #client}. */
    public RedisClient pooled(int threads) {
        if (url.sentinel()) {
            throw new IllegalStateException("a Sentinel URL needs RedisConnector.client(), not pooled(): " + url);
        }
        return RedisClient.builder()
                .hostAndPort(hostAndPort(url.endpoints().getFirst()))
                .clientConfig(config())
                .poolConfig(pool(threads))
                .build();
    }

    /**
     * A single connection, for a pub/sub subscriber that owns it. With Sentinel: to the primary the
     * Sentinels name now (a subscriber reconnects after a failover and asks again).
     */
    public Jedis single() {
        return new Jedis(url.sentinel() ? currentPrimary() : hostAndPort(url.endpoints().getFirst()), config());
    }

    /**
     * Waits while Redis refuses our credentials, saying why once (a worker must not claim with a client
     * that cannot run its scripts). Returns as soon as PING passes, or fails for another reason (an
     * unreachable Redis is the callers' ordinary retry path) or the thread is interrupted (flag kept).
     */
    public void awaitCredentialsAccepted(UnifiedJedis client) {
        while (true) {
            try {
                client.ping();
                refusal.cleared();
                return;
            } catch (JedisException e) {
                if (!RedisRefusal.isRefusal(e)) {
                    return;
                }
                refusal.report();
                try {
                    Thread.sleep(REFUSED_RETRY.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private HostAndPort currentPrimary() {
        JedisConnectionException last = null;
        for (HostAndPort sentinel : sentinels()) {
            try (Jedis jedis = new Jedis(sentinel, sentinelConfig())) {
                var address = jedis.sentinelGetMasterAddrByName(url.masterName());
                if (address != null && address.size() == 2) {
                    return new HostAndPort(address.get(0), Integer.parseInt(address.get(1)));
                }
            } catch (JedisConnectionException e) {
                last = e;
                LOG.debug("Sentinel {} did not answer: {}", sentinel, e.getMessage());
            }
        }
        throw new JedisConnectionException("no Sentinel of " + url + " names a primary for '" + url.masterName() + "'", last);
    }

    private Set<HostAndPort> sentinels() {
        Set<HostAndPort> all = new LinkedHashSet<>();
        url.endpoints().forEach(endpoint -> all.add(hostAndPort(endpoint)));
        return all;
    }

    private static HostAndPort hostAndPort(RedisUrl.Endpoint endpoint) {
        return new HostAndPort(endpoint.host(), endpoint.port());
    }

    private static GenericObjectPoolConfig<Connection> pool(int threads) {
        GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
        pool.setMaxTotal(threads + 4);
        pool.setMaxIdle(threads + 4);
        pool.setMaxWait(Duration.ofMillis(POOL_WAIT_MS));
        pool.setTestWhileIdle(true);
        return pool;
    }

    /** The data connections: credentials, database and TLS of the URL. */
    private JedisClientConfig config() {
        DefaultJedisClientConfig.Builder builder = timeouts().database(url.database());
        if (url.user() != null) {
            builder.user(url.user());
        }
        if (url.password() != null) {
            builder.password(url.password());
        }
        return builder.build();
    }

    /** The Sentinel connections: no credentials (Sentinels of this setup run without), no database. */
    private JedisClientConfig sentinelConfig() {
        return timeouts().build();
    }

    private DefaultJedisClientConfig.Builder timeouts() {
        DefaultJedisClientConfig.Builder builder = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(CONNECT_TIMEOUT_MS)
                .socketTimeoutMillis(SOCKET_TIMEOUT_MS)
                .blockingSocketTimeoutMillis(BLOCKING_SOCKET_TIMEOUT_MS);
        if (url.tls()) {
            builder.ssl(true).sslSocketFactory(tls.socketFactory()).sslParameters(tls.parameters());
        }
        return builder;
    }
}
