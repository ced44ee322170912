package io.codeexec.worker.callback;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One callback request (a POST, or a PUT for Judge0) with a deadline on the whole exchange: name resolution (and the SSRF check on the
 * resolved addresses), connect, headers and the body, which is read and discarded. The JDK client's own
 * request timeout stops counting once headers arrive (JDK-8208693), so a server that trickles its body
 * would hold the delivery forever: past the deadline the exchange is cancelled, which aborts it.
 */
final class CallbackPoster implements AutoCloseable {
    /** How one attempt ended: delivered (2xx), failed (worth a retry), or refused (never worth one). */
    record Outcome(boolean delivered, boolean refused, String problem) {
        static final Outcome DELIVERED = new Outcome(true, false, null);

        static Outcome failed(String problem) {
            return new Outcome(false, false, problem);
        }

        static Outcome refused(String reason) {
            return new Outcome(false, true, reason);
        }
    }

    private final CallbackConfig config;
    private final ExecutorService resolver = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient http;

    CallbackPoster(CallbackConfig config) {
        this.config = config;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)  // no h2c upgrade dance with plain-http receivers
                .connectTimeout(config.timeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * Sends {@code body} to {@code url} with {@code method} (POST; PUT for Judge0's callbacks), signed now under
     * {@code secret} ("" sends it unsigned); returns within the configured timeout (plus scheduling noise).
     */
    Outcome send(URI url, String body, String method, int attempt, String secret) throws InterruptedException {
        long deadline = System.nanoTime() + config.timeout().toNanos();
        String refusal;
        try {
            refusal = CallbackTarget.refusal(url, config.allowPrivate(), deadline, resolver);
        } catch (IOException e) {
            return Outcome.failed(e.getMessage());
        }
        if (refusal != null) {
            return Outcome.refused(refusal);
        }
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            return Outcome.failed("no time left after resolving " + url.getHost());
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .timeout(Duration.ofNanos(remaining))
                .header("Content-Type", "application/json")
                .header("User-Agent", "codeexec-callbacks")
                .header("X-Codeexec-Delivery-Attempt", Integer.toString(attempt))
                .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (!secret.isEmpty()) {
            request.header(CallbackSigner.SIGNATURE_HEADER,
                    CallbackSigner.signature(secret, Instant.now().getEpochSecond(), body));
        }
        CompletableFuture<HttpResponse<Void>> exchange = http.sendAsync(request.build(),
                HttpResponse.BodyHandlers.discarding());
        try {
            int status = exchange.get(remaining, TimeUnit.NANOSECONDS).statusCode();
            return status >= 200 && status < 300 ? Outcome.DELIVERED : Outcome.failed("answered " + status);
        } catch (TimeoutException e) {
            exchange.cancel(true);
            return Outcome.failed("no complete answer within " + config.timeout().toMillis() + " ms");
        } catch (ExecutionException e) {
            return Outcome.failed(String.valueOf(e.getCause()));
        } catch (InterruptedException e) {
            exchange.cancel(true);
            throw e;
        }
    }

    @Override
    public void close() {
        resolver.shutdownNow();
        http.shutdownNow();
    }
}
