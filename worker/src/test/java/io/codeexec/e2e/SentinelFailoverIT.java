package io.codeexec.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.codeexec.api.ApiConfig;
import io.codeexec.api.ApiServer;
import io.codeexec.common.job.LanguageCatalog;
import io.codeexec.common.json.Json;
import io.codeexec.common.queue.RedisConnector;
import io.codeexec.common.queue.RedisKeys;
import io.codeexec.common.testing.RedisWithArgs;
import io.codeexec.worker.Launcher;
import io.codeexec.worker.WorkerConfig;
import io.codeexec.worker.callback.CallbackConfig;
import io.codeexec.worker.sandbox.SandboxConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;
import redis.clients.jedis.RedisSentinelClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * Sentinel failover under load: a primary, a replica and one Sentinel on a Docker network (the test
 * JVM reaches the containers' own addresses, which is what Sentinel hands out), the API and a real
 * worker connected through redis-sentinel://. Jobs flow while the primary is SIGKILLed; the replica is
 * promoted and every accepted job completes, each run exactly once (codeexec:executions:{id}).
 */
class SentinelFailoverIT {
    private static final String MASTER = "mymaster";
    private static final int JOBS = Integer.getInteger("codeexec.sentinelJobs", 60);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void jobsSurviveTheLossOfThePrimary() throws Exception {
        try (Network network = Network.newNetwork();
             RedisWithArgs primary = RedisWithArgs.builder().network(network, "primary")
                     .args("--appendonly", "yes").start();
             RedisWithArgs replica = RedisWithArgs.builder().network(network, "replica")
                     .args("--appendonly", "yes", "--replicaof", primary.ip(), "6379").start();
             GenericContainer<?> sentinel = sentinel(network, primary.ip())) {
            // Redis 8 starts a replica's first (diskless) sync only after repl-diskless-sync-delay (5 s): killing
            // the primary before the link is up would lose everything, as it would for an operator.
            awaitReplicaLinkUp(replica.ip());
            String sentinelIp = sentinel.getContainerInfo().getNetworkSettings().getNetworks().values().iterator().next().getIpAddress();
            String url = "redis-sentinel://" + sentinelIp + ":26379?master=" + MASTER;
            RedisConnector connector = new RedisConnector(url);
            try (UnifiedJedis redis = connector.client(4)) {
                assertEquals(primary.ip(), ((RedisSentinelClient) redis).getCurrentMaster().getHost());
                ApiServer api = ApiServer.start(ApiConfig.defaults().withPort(0).withRedisUrl(url), redis, connector);
                String workerId = "sentinel-worker-" + System.nanoTime();
                WorkerConfig config = new WorkerConfig(url, workerId, 2, 3600, 3, 10,
                        new LanguageCatalog(LanguageCatalog.DEFAULT_IMAGE_PREFIX,
                                System.getenv().getOrDefault("RUNNER_IMAGE_TAG", LanguageCatalog.DEFAULT_IMAGE_TAG)),
                        SandboxConfig.of(Stack.DOCKER_HOST, "runc", SandboxConfig.Isolation.NESTED, workerId),
                        CallbackConfig.defaults());
                Launcher worker = new Launcher(config).start();
                try {
                    awaitLanguage(api, "python");  // the API caches the installed languages for a few seconds
                    List<String> ids = new ArrayList<>();
                    for (int i = 0; i < JOBS; i++) {
                        if (i == JOBS / 3) {  // mid-stream: some jobs done, some running, some queued
                            awaitFinal(api, ids.get(2));
                            System.out.println("SentinelFailoverIT: killing the primary with "
                                    + redis.hget(RedisKeys.stats(), "completed") + " of " + i + " jobs completed");
                            primary.kill();
                        }
                        ids.add(submit(api, i));
                    }
                    assertNotEquals(primary.ip(), ((RedisSentinelClient) redis).getCurrentMaster().getHost(),
                            "Sentinel promoted the replica");
                    for (int i = 0; i < ids.size(); i++) {
                        JsonNode job = awaitFinal(api, ids.get(i));
                        assertEquals("completed", job.get("status").asText(), job.toString());
                        assertEquals(i + "\n", job.get("result").get("stdout").asText(), job.toString());
                        assertEquals(1, redis.llen(RedisKeys.executions(ids.get(i))), "job " + i + " ran once: " + job);
                    }
                } finally {
                    worker.close();  // close, not stop: stop leaves the callback reader and Sentinel clients running
                    api.stop();
                }
            }
        }
    }

    private static GenericContainer<?> sentinel(Network network, String primaryIp) {
        String conf = "port 26379\\n"
                + "sentinel monitor " + MASTER + " " + primaryIp + " 6379 1\\n"
                + "sentinel down-after-milliseconds " + MASTER + " 1000\\n"
                + "sentinel failover-timeout " + MASTER + " 10000\\n";
        GenericContainer<?> sentinel = new GenericContainer<>(DockerImageName.parse(
                System.getProperty("codeexec.redisImage", "codeexec/redis:local")))
                .withNetwork(network)
                .withCommand("sh", "-c", "printf '" + conf + "' > /tmp/sentinel.conf && exec redis-server /tmp/sentinel.conf --sentinel")
                .waitingFor(Wait.forLogMessage(".*\\+monitor master.*", 1));
        sentinel.start();
        return sentinel;
    }

    /** Submits job number i, retrying while the API answers 503 during the failover. */
    private String submit(ApiServer api, int i) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(api, "/jobs"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Json.write(Map.of("language", "python", "code", "print(" + i + ")"))))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 202) {
                return Json.MAPPER.readTree(response.body()).get("id").asText();
            }
            assertTrue(response.statusCode() >= 500 && System.nanoTime() < deadline, response.statusCode() + " " + response.body());
            Thread.sleep(250);
        }
    }

    private static void awaitReplicaLinkUp(String replicaIp) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        try (redis.clients.jedis.Jedis replica = new redis.clients.jedis.Jedis(replicaIp, 6379)) {
            while (!replica.info("replication").contains("master_link_status:up")) {
                assertTrue(System.nanoTime() < deadline, "the replica never synced: " + replica.info("replication"));
                Thread.sleep(250);
            }
        }
    }

    private void awaitLanguage(ApiServer api, String language) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(api, "/languages"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200 && response.body().contains("\"" + language + "\"")) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, language + " never listed: " + response.body());
            Thread.sleep(250);
        }
    }

    private JsonNode awaitFinal(ApiServer api, String id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (true) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(api, "/jobs/" + id + "?wait=20"))
                    .timeout(Duration.ofSeconds(40)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                JsonNode job = Json.MAPPER.readTree(response.body());
                String status = job.get("status").asText();
                if (!status.equals("queued") && !status.equals("running")) {
                    return job;
                }
            }
            assertTrue(System.nanoTime() < deadline, "job " + id + " not final: " + response.body());
        }
    }

    private static URI uri(ApiServer api, String path) {
        return URI.create("http://localhost:" + api.port() + path);
    }
}
