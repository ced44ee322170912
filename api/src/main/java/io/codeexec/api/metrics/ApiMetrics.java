package io.codeexec.api.metrics;

import io.codeexec.common.queue.QueueStats;
import java.time.Duration;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import redis.clients.jedis.UnifiedJedis;

/**
 * The API's Prometheus meters (issue 12), served at GET /metrics:
 * 1. http_server_requests by matched route template (never the raw path), method and status, with a
 *    latency histogram, timed by a before/after handler pair;
 * 2. codeexec_jobs_submitted_total by language (a controller marks the request, see {@link #submitted});
 * 3. codeexec_redis_errors_total, the queue gauges of {@link QueueGauges} and the JVM binders.
 */
public final class ApiMetrics {
    /** The request attribute holding a request's start (ns) and, once queued, the submitted job's language. */
    private static final String STARTED = "codeexec.metrics.started";
    private static final String SUBMITTED = "codeexec.metrics.submitted";
    /** The route label of a request no route matched (a 404): one value, whatever the path. */
    static final String UNMATCHED = "unmatched";
    /** The histogram's range: below a millisecond to a long poll's longest wait (MAX_WAIT_SECONDS' maximum). */
    private static final Duration FASTEST = Duration.ofNanos(500_000);
    private static final Duration SLOWEST = Duration.ofSeconds(300);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counter redisErrors;
    private final AutoCloseable gcListener;

    public ApiMetrics(UnifiedJedis redis) {
        this.gcListener = JvmMeters.bind(registry);
        new QueueGauges(new QueueStats(redis), new QueueDepth(redis)).bind(registry);
        this.redisErrors = Counter.builder("codeexec.redis.errors")
                .description("Requests that failed because Redis was unreachable").register(registry);
    }

    /** Marks this request as having queued a job of {@code language}; counted once it is answered. */
    public static void submitted(Context ctx, String language) {
        ctx.attribute(SUBMITTED, language);
    }

    /** The timing handlers and GET /metrics (exempt from auth: TenantFilter lists it). */
    public void install(JavalinConfig cfg) {
        cfg.routes.before(ctx -> ctx.attribute(STARTED, System.nanoTime()));
        cfg.routes.after(this::record);
        cfg.events.serverStopped(this::close);
        cfg.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                .result(registry.scrape()));
    }

    /** A Redis outage answered as 503 redis_unavailable. */
    public void redisError() {
        redisErrors.increment();
    }

    /** Stops listening to GC notifications (tests start many servers in one JVM). */
    private void close() {
        try {
            gcListener.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        registry.close();
    }

    private void record(Context ctx) {
        Long started = ctx.attribute(STARTED);
        if (started == null) {
            return;
        }
        Endpoint matched = ctx.endpoints().matchedHttpEndpoint();
        Timer.builder("http.server.requests")
                .tag("route", matched == null ? UNMATCHED : matched.path)
                .tag("method", ctx.method().name())
                .tag("status", Integer.toString(ctx.statusCode()))
                .publishPercentileHistogram()
                .minimumExpectedValue(FASTEST).maximumExpectedValue(SLOWEST)
                .description("HTTP requests by matched route template, method and status")
                .register(registry)
                .record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
        String language = ctx.attribute(SUBMITTED);
        if (language != null && ctx.statusCode() < 300) {
            Counter.builder("codeexec.jobs.submitted").tag("language", language)
                    .description("Jobs queued through POST /jobs, by language").register(registry).increment();
        }
    }
}
