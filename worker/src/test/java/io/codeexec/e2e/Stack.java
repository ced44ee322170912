package io.codeexec.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.codeexec.api.ApiConfig;
import io.codeexec.api.ApiServer;
import io.codeexec.common.job.Language;
import io.codeexec.common.job.LanguageCatalog;
import io.codeexec.common.job.LanguageInfo;
import io.codeexec.common.queue.LanguageRegistry;
import io.codeexec.common.json.Json;
import io.codeexec.common.queue.RedisConnector;
import io.codeexec.common.testing.RedisTestServer;
import io.codeexec.worker.Launcher;
import io.codeexec.worker.WorkerConfig;
import io.codeexec.worker.callback.CallbackConfig;
import io.codeexec.worker.sandbox.SandboxConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.RedisClient;

/**
 * The whole system for end-to-end tests: a real Redis (Testcontainers), the API in-process on a
 * random port and real workers running jobs in the real Docker engine with the real runner images.
 */
final class Stack implements AutoCloseable {
    static final String DOCKER_HOST = "unix:///var/run/docker.sock";

    final RedisClient redis;
    final ApiServer api;
    private final List<Launcher> workers = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Stack(RedisClient redis, ApiServer api) {
        this.redis = redis;
        this.api = api;
    }

    static Stack start(int workerCount, int concurrency) {
        String url = RedisTestServer.url();
        RedisConnector connector = new RedisConnector(url);
        RedisClient redis = connector.pooled(8);
        redis.flushAll();
        Stack stack = new Stack(redis, ApiServer.start(ApiConfig.defaults().withPort(0).withRedisUrl(url), redis, connector));
        for (int i = 0; i < workerCount; i++) {
            stack.addWorker("e2e-worker-" + i + "-" + System.nanoTime(), concurrency);
        }
        return stack;
    }

    Launcher addWorker(String id, int concurrency) {
        return addWorker(id, concurrency, DOCKER_HOST, new LanguageCatalog(LanguageCatalog.DEFAULT_IMAGE_PREFIX,
                System.getenv().getOrDefault("RUNNER_IMAGE_TAG", LanguageCatalog.DEFAULT_IMAGE_TAG)));
    }

    /** A worker in this JVM, talking to the given engine address and using the given image names. */
    Launcher addWorker(String id, int concurrency, String dockerHost, LanguageCatalog catalog) {
        return addWorker(id, concurrency, dockerHost, catalog, CallbackConfig.defaults());
    }

    Launcher addWorker(String id, int concurrency, String dockerHost, LanguageCatalog catalog, CallbackConfig callbacks) {
        WorkerConfig config = new WorkerConfig(RedisTestServer.url(), id, concurrency, 3600, 3, 10, catalog,
                SandboxConfig.of(dockerHost, "runc", SandboxConfig.Isolation.NESTED, id), callbacks);
        Launcher launcher = new Launcher(config).start();
        workers.add(launcher);
        return launcher;
    }

    /** Publishes the standard languages, as a worker would after probing, for stacks without one. */
    void publishLanguages() {
        LanguageRegistry registry = new LanguageRegistry(redis);
        for (Language language : LanguageCatalog.standard().all()) {
            registry.publish(new LanguageInfo(language.id(), language.name(), "test"));
        }
    }

    /**
     * Runner containers of this stack's in-process workers that stopped and still exist (warm sandbox
     * hosts keep running between jobs; a killed or used-up one must be removed).
     */
    int leftoverContainers() {
        return workers.stream().mapToInt(w -> DockerState.stoppedContainersOfWorker(w.workerId())).sum();
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    HttpResponse<String> delete(String path) {
        return send(HttpRequest.newBuilder(uri(path)).DELETE());
    }

    HttpResponse<String> post(String path, Object body) {
        String json = body instanceof String s ? s : Json.write(body);
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(90)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + api.port() + path);
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return Json.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    @Override
    public void close() {
        workers.forEach(Launcher::close);
        api.stop();
        redis.close();
    }
}
