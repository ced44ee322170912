package io.codeexec.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.codeexec.common.job.LanguageInfo;
import io.codeexec.common.queue.JobQueue;
import io.codeexec.common.queue.LanguageRegistry;
import io.codeexec.common.queue.RedisConnector;
import io.codeexec.common.testing.RedisTestServer;
import io.codeexec.common.config.Env;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import redis.clients.jedis.RedisClient;

// An API started in-process on a random port against a freshly flushed test Redis, with the three
// standard languages published (TestHttp calls it).
final class TestApi extends TestHttp implements AutoCloseable {
    final RedisClient redis;
    final ApiServer server;
    final JobQueue queue;

    private TestApi(RedisClient redis, ApiServer server, ApiConfig config) {
        super(server.port());
        this.redis = redis;
        this.server = server;
        this.queue = new JobQueue(redis, config.maxQueueLength(), config.resultTtlSeconds(), Clock.systemUTC());
    }

    static TestApi start() {
        return start(UnaryOperator.identity());
    }

    static TestApi start(UnaryOperator<ApiConfig> tweak) {
        return start(tweak, null, 8, DoneSubscriber.Timing.STANDARD);
    }

    /**
     * An API whose completion subscriber reaches Redis at {@code subscriberUrl} (a TcpProxy; null: directly)
     * and whose command pool serves {@code poolThreads} concurrent users; the subscriber checks its
     * connection at the pace {@code timing} says.
     */
    static TestApi start(UnaryOperator<ApiConfig> tweak, String subscriberUrl, int poolThreads, DoneSubscriber.Timing timing) {
        ApiConfig config = tweak.apply(ApiConfig.defaults().withPort(0).withRedisUrl(RedisTestServer.url()));
        RedisConnector connector = new RedisConnector(subscriberUrl == null ? config.redisUrl() : subscriberUrl);
        RedisClient redis = new RedisConnector(config.redisUrl()).pooled(poolThreads);
        redis.flushAll();  // the tests share one Redis per JVM
        LanguageRegistry languages = new LanguageRegistry(redis);
        languages.publish(new LanguageInfo("ruby", "Ruby", "3.4.4"));
        languages.publish(new LanguageInfo("python", "Python", "3.13.5"));
        languages.publish(new LanguageInfo("javascript", "JavaScript (Node.js)", "22.17.0"));
        return new TestApi(redis, ApiServer.start(config, redis, connector, timing), config);
    }

    /** An API configured from these environment variables, on a free port and the test Redis. */
    static TestApi startWithEnv(Map<String, String> env) {
        return start(base -> {
            Map<String, String> all = new HashMap<>(env);
            all.put("PORT", "0");
            all.put("REDIS_URL", base.redisUrl());
            return ApiConfig.fromEnv(new Env(all));
        });
    }

    /** Submits a python job through POST /jobs and returns its id. */
    String submitPython(String code) {
        JsonNode accepted = json(post("/jobs", "{\"language\":\"python\",\"code\":\"" + code + "\"}"));
        return accepted.get("id").asText();
    }

    @Override
    public void close() {
        server.stop();
        redis.close();
    }
}
