package io.codeexec.worker.callback;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers finished job documents to their callbackUrl, off the job slots:
 * 1. POSTs the JSON document, signed "X-Codeexec-Signature: sha256=<hex HMAC-SHA256 of the body>";
 * 2. retries errors and non-2xx answers with exponential backoff, up to CALLBACK_MAX_ATTEMPTS;
 * 3. refuses loopback, link-local and private targets unless the operator allows them.
 * Deliveries pending when the worker stops are dropped (logged); the job's result stays readable.
 */
public final class CallbackDispatcher implements AutoCloseable {
    public static final String SIGNATURE_HEADER = "X-Codeexec-Signature";
    private static final Logger LOG = LoggerFactory.getLogger(CallbackDispatcher.class);

    private final CallbackConfig config;
    private final HttpClient http;
    private final ScheduledExecutorService scheduler;

    public CallbackDispatcher(CallbackConfig config) {
        this.config = config;
        this.http = HttpClient.newBuilder()
                .connectTimeout(config.timeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.scheduler = Executors.newScheduledThreadPool(2, r -> {
            Thread thread = new Thread(r, "callbacks");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Queues a delivery of {@code body} to {@code url}; returns at once. */
    public void deliver(String jobId, String url, String body) {
        scheduler.execute(() -> attempt(jobId, URI.create(url), body, 1));
    }

    private void attempt(String jobId, URI url, String body, int attempt) {
        String refusal = CallbackTarget.refusal(url, config.allowPrivate());
        if (refusal != null) {
            LOG.warn("callback of job {} refused: {}", jobId, refusal);
            return;
        }
        String problem;
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(url)
                    .timeout(config.timeout())
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "codeexec-callbacks")
                    .header("X-Codeexec-Delivery-Attempt", Integer.toString(attempt))
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
            if (!config.secret().isEmpty()) {
                request.header(SIGNATURE_HEADER, signature(config.secret(), body));
            }
            int status = http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status >= 200 && status < 300) {
                return;
            }
            problem = "answered " + status;
        } catch (java.io.IOException e) {
            problem = e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (attempt >= config.maxAttempts()) {
            LOG.warn("callback of job {} to {} failed {} times; last: {}", jobId, url, attempt, problem);
            return;
        }
        long delayMs = config.firstRetry().toMillis() << Math.min(attempt - 1, 16);
        LOG.info("callback of job {} attempt {} {}; retrying in {} ms", jobId, attempt, problem, delayMs);
        scheduler.schedule(() -> attempt(jobId, url, body, attempt + 1), delayMs, TimeUnit.MILLISECONDS);
    }

    /** "sha256=" + hex HMAC-SHA256 of the body under the secret: what a receiver recomputes to verify. */
    public static String signature(String secret, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }

    @Override
    public void close() {
        int dropped = scheduler.shutdownNow().size();
        if (dropped > 0) {
            LOG.warn("{} callback deliveries dropped at shutdown", dropped);
        }
    }
}
