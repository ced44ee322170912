package io.codeexec.cli.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.codeexec.common.json.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * The codeexec v1 API over HTTP, for the CLI:
 * 1. sends the key as {@code Authorization: Bearer}; JSON in and out;
 * 2. retries 429 after the server's Retry-After, and 503 (after it too) and lost connections of requests
 *    that are safe to repeat (GETs, and POSTs carrying an Idempotency-Key), a bounded number of times;
 * 3. turns error answers into {@link ApiException} with the API's code, message and field;
 * 4. stays interruptible (Ctrl-C) while it waits for an answer.
 */
public final class ApiClient {
    /** Attempts of one request, counting the first, across 429/503 answers and lost connections. */
    static final int MAX_ATTEMPTS = 8;
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Longest wait for one answer: the longest long-poll the CLI asks for, with room to spare. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(90);
    static final int DEFAULT_RETRY_AFTER_SECONDS = 2;
    static final int MAX_RETRY_AFTER_SECONDS = 60;

    /** A successful answer: its status and JSON body. */
    public record Answer(int status, JsonNode body) {}

    private final URI base;
    private final String key;
    private final Consumer<String> notices;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
    private volatile boolean reachedOnce;

    /** notices receives one line per retry ("rate limited; retrying in 3 s"), for stderr. */
    public ApiClient(URI base, String key, Consumer<String> notices) {
        String text = base.toString();
        this.base = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
        this.key = key == null || key.isBlank() ? null : key.strip();
        this.notices = notices;
    }

    public URI base() {
        return base;
    }

    public Answer get(String path) throws InterruptedException {
        return send(request(path).GET(), true);
    }

    public Answer delete(String path) throws InterruptedException {
        return send(request(path).DELETE(), true);
    }

    /** POST with a JSON body; with an idempotency key a lost connection is retried, never duplicating. */
    public Answer post(String path, JsonNode body, Optional<String> idempotencyKey) throws InterruptedException {
        HttpRequest.Builder builder = request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body)));
        idempotencyKey.ifPresent(k -> builder.header("Idempotency-Key", k));
        return send(builder, idempotencyKey.isPresent());
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json").header("User-Agent", "codeexec-cli");
        if (key != null) {
            builder.header("Authorization", "Bearer " + key);
        }
        return builder;
    }

    private Answer send(HttpRequest.Builder builder, boolean safeToRepeat) throws InterruptedException {
        HttpRequest request = builder.build();
        for (int attempt = 1; ; attempt++) {
            HttpResponse<String> response;
            try {
                response = exchange(request);
            } catch (IOException e) {
                boolean refusedAtFirst = e instanceof ConnectException && !reachedOnce;
                if (refusedAtFirst || !safeToRepeat || attempt >= MAX_ATTEMPTS) {
                    throw ApiException.unreachable(unreachable(e));
                }
                notices.accept("lost the connection to " + base + " (" + reason(e) + "); retrying in "
                        + DEFAULT_RETRY_AFTER_SECONDS + " s");
                Thread.sleep(Duration.ofSeconds(DEFAULT_RETRY_AFTER_SECONDS));
                continue;
            }
            reachedOnce = true;
            int status = response.statusCode();
            // 429: refused, nothing happened; 503: maybe stored (redis_unavailable), so only when repeating is safe.
            if ((status == 429 || (status == 503 && safeToRepeat)) && attempt < MAX_ATTEMPTS) {
                int seconds = retryAfter(response);
                ApiException error = error(response);
                notices.accept((status == 429 ? "rate limited" : "server busy") + " (" + error.code() + "); retrying in "
                        + seconds + " s");
                Thread.sleep(Duration.ofSeconds(seconds));
                continue;
            }
            if (status >= 400) {
                throw error(response);
            }
            return new Answer(status, parse(response));
        }
    }

    private HttpResponse<String> exchange(HttpRequest request) throws IOException, InterruptedException {
        CompletableFuture<HttpResponse<String>> future = http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
        try {
            return future.get();
        } catch (InterruptedException e) {
            future.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause());
        }
    }

    private String unreachable(IOException e) {
        String what = e instanceof ConnectException ? "connection refused or unreachable"
                : e instanceof HttpTimeoutException ? "timed out" : reason(e);
        return "cannot reach the codeexec server at " + base + " (" + what + "); is it running? "
                + "Point the CLI at it with --url or CODEEXEC_URL";
    }

    private static String reason(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    static int retryAfter(HttpResponse<?> response) {
        Optional<String> header = response.headers().firstValue("Retry-After");
        try {
            int seconds = header.map(String::strip).map(Integer::parseInt).orElse(DEFAULT_RETRY_AFTER_SECONDS);
            return Math.clamp(seconds, 1, MAX_RETRY_AFTER_SECONDS);
        } catch (NumberFormatException e) {
            return DEFAULT_RETRY_AFTER_SECONDS;  // an HTTP date: not worth parsing for a CLI
        }
    }

    private static ApiException error(HttpResponse<String> response) {
        JsonNode body = parse(response);
        JsonNode error = body.path("error");
        String code = error.path("code").asText("http_" + response.statusCode());
        String message = error.path("message").asText(
                body.path("message").asText(response.body().isBlank() ? "(no body)" : response.body()));
        String field = error.hasNonNull("field") ? error.get("field").asText() : null;
        return new ApiException(response.statusCode(), code, message, field);
    }

    private static JsonNode parse(HttpResponse<String> response) {
        try {
            return response.body().isBlank() ? NullNode.getInstance() : Json.MAPPER.readTree(response.body());
        } catch (IOException e) {
            return NullNode.getInstance();
        }
    }
}
