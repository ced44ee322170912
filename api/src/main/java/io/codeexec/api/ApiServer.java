package io.codeexec.api;

import static io.javalin.apibuilder.ApiBuilder.delete;
import static io.javalin.apibuilder.ApiBuilder.get;
import static io.javalin.apibuilder.ApiBuilder.path;
import static io.javalin.apibuilder.ApiBuilder.post;

import io.codeexec.api.auth.Tenancy;
import io.codeexec.api.docs.DocsRoutes;
import io.codeexec.api.logging.RequestLogContext;
import io.codeexec.api.metrics.ApiMetrics;
import io.codeexec.api.playground.Playground;
import io.codeexec.api.compat.CompatError;
import io.codeexec.api.compat.V1Gateway;
import io.codeexec.api.compat.judge0.Judge0Controller;
import io.codeexec.api.compat.piston.PistonController;
import io.codeexec.api.events.EventsController;
import io.codeexec.common.job.InvalidSubmissionException;
import io.codeexec.common.job.LanguageCatalog;
import io.codeexec.common.json.Json;
import io.codeexec.common.queue.BatchStore;
import io.codeexec.common.queue.IdempotencyKeyReusedException;
import io.codeexec.common.queue.JobQueue;
import io.codeexec.common.queue.JobSubmitter;
import io.codeexec.common.queue.JobStore;
import io.codeexec.common.queue.QueueStats;
import io.codeexec.common.queue.LanguageRegistry;
import io.codeexec.common.queue.QueueFullException;
import io.codeexec.common.queue.RedisConnector;
import io.codeexec.common.queue.ScriptPipeline;
import io.codeexec.common.tenant.QuotaExceededException;
import io.codeexec.common.tenant.RateLimitedException;
import io.codeexec.api.auth.SubmissionGate;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The HTTP surface: the route table and the one mapping of every exception to a status and a JSON
 * body. Start it with {@link #start(ApiConfig)} (owns its Redis pool) or, to share a client, with
 * {@link #start(ApiConfig, UnifiedJedis, RedisConnector)}; port 0 picks a free port.
 */
public final class ApiServer {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    private static final int REDIS_POOL_THREADS = 64;
    private static final int HEADER_CACHE_SIZE = 128;
    /** Sender threads of the submission pipeline (each holds one pooled connection while it sends). */
    private static final int PIPELINE_SENDERS = 2;
    private static final Duration SUBSCRIBE_WAIT = Duration.ofSeconds(3);
    private static final int RETRY_REDIS_SECONDS = 5;
    private static final int RETRY_QUEUE_FULL_SECONDS = 2;
    /** Whether the submission was stored is unknown when Redis fails mid-way; a keyed retry settles it. */
    private static final String SAFE_RETRY = " (the job may or may not have been queued: retrying with the same "
            + IdempotencyHeader.NAME + " header is safe and never queues it twice)";

    private final Javalin app;
    private final CompletionWaiter waiter;
    private final ScriptPipeline pipeline;
    private final AutoCloseable ownedRedis;

    private ApiServer(Javalin app, CompletionWaiter waiter, ScriptPipeline pipeline, AutoCloseable ownedRedis) {
        this.app = app;
        this.waiter = waiter;
        this.pipeline = pipeline;
        this.ownedRedis = ownedRedis;
    }

    /** Starts on config.port() with a Redis pool of its own, closed by {@link #stop()}. */
    public static ApiServer start(ApiConfig config) {
        RedisConnector connector = new RedisConnector(config.redisUrl());
        UnifiedJedis redis = connector.client(REDIS_POOL_THREADS);
        return start(config, redis, connector, redis, DoneSubscriber.Timing.STANDARD);
    }

    /** Starts on config.port() with a caller's client (left open on stop); connector serves the subscriber. */
    public static ApiServer start(ApiConfig config, UnifiedJedis redis, RedisConnector connector) {
        return start(config, redis, connector, null, DoneSubscriber.Timing.STANDARD);
    }

    /** As above, checking the completion connection at another pace (tests). */
    static ApiServer start(ApiConfig config, UnifiedJedis redis, RedisConnector connector, DoneSubscriber.Timing timing) {
        return start(config, redis, connector, null, timing);
    }

    private static ApiServer start(ApiConfig config, UnifiedJedis redis, RedisConnector connector, AutoCloseable owned,
                                   DoneSubscriber.Timing timing) {
        JobStore store = new JobStore(redis);
        JobQueue queue = new JobQueue(redis, config.maxQueueLength(), config.resultTtlSeconds(), Clock.systemUTC());
        ScriptPipeline pipeline = new ScriptPipeline(redis, PIPELINE_SENDERS);  // submissions and rate limits
        JobSubmitter submitter = new JobSubmitter(redis, pipeline, config.maxQueueLength(), config.resultTtlSeconds(),
                Clock.systemUTC());
        InstalledLanguages installed = new InstalledLanguages(
                new LanguageRegistry(redis), LanguageCatalog.standard(), InstalledLanguages.DEFAULT_TTL);
        SubmissionValidator validator = new SubmissionValidator(config, installed::ids);
        CompletionWaiter waiter = new CompletionWaiter(connector, store, timing, CompletionWaiter.STANDARD_JITTER);
        try {
            if (!waiter.start(SUBSCRIBE_WAIT)) {
                LOG.warn("Redis is not reachable yet; serving anyway, /ready answers 503 until it is");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        JobController jobs = new JobController(validator, submitter, queue, store, waiter, config.maxWaitSeconds());
        RunController run = new RunController(validator, queue, waiter);
        LanguageController languages = new LanguageController(installed);
        HealthController health = new HealthController(redis, waiter, connector.refusal());
        StatsController stats = new StatsController(new QueueStats(redis));
        BatchController batches = new BatchController(validator, submitter, new BatchStore(redis), waiter,
                BatchController.MAX_JOBS, config.maxWaitSeconds());
        DocsRoutes docs = new DocsRoutes();
        Tenancy tenancy = new Tenancy(config.auth(), redis, pipeline);
        // Piston and Judge0 compatibility (issue 13): thin adapters over the same validation and submission.
        V1Gateway gateway = new V1Gateway(validator, submitter, queue, store, waiter, config.maxWaitSeconds());
        PistonController piston = new PistonController(gateway, installed::list, config.limits().maxima());
        Judge0Controller judge0 = new Judge0Controller(gateway, redis, installed::list, config);
        EventsController events = EventsController.start(store, redis, connector);
        ApiMetrics metrics = new ApiMetrics(redis);  // GET /metrics (issue 12)

        Javalin app = Javalin.create(cfg -> {
            settings(cfg, config);
            tenancy.install(cfg);  // auth before-handler, submission gate, /admin/keys
            Playground.install(cfg);
            metrics.install(cfg);
            cfg.routes.apiBuilder(() -> {
                path("/jobs", () -> {
                    post(jobs::submit);
                    path("/{id}", () -> {
                        get(jobs::get);
                        delete(jobs::cancel);
                        get("/events", events::stream);
                    });
                });
                path("/batches", () -> {
                    post(batches::submit);
                    get("/{id}", batches::get);
                });
                post("/run/{language}", run::run);
                get("/languages", languages::list);
                get("/stats", stats::stats);
                get("/health", health::health);
                get("/ready", health::ready);
                docs.routes();
                piston.routes();
                judge0.routes();
            });
            errors(cfg, config, metrics);
            cfg.events.serverStopping(events::close);
        });
        app.start(config.port());
        LOG.info("codeexec API listening on port {}", app.port());
        return new ApiServer(app, waiter, pipeline, owned);
    }

    private static void settings(JavalinConfig cfg, ApiConfig config) {
        cfg.jsonMapper(new JavalinJackson(Json.MAPPER, false));
        cfg.http.maxRequestSize = config.maxRequestBytes();
        cfg.http.prefer405over404 = true;
        cfg.startup.showJavalinBanner = false;
        cfg.concurrency.useVirtualThreads = true;
        cfg.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
        // Jetty caches each connection's repeated header lines in a trie of HEADER_CACHE_SIZE bytes,
        // ~100 KB of heap per open connection at its default (26 MB at 256 connections, which made the
        // 64 MB heap collect in full several times a second); a small cache keeps the common headers.
        cfg.jetty.modifyHttpConfiguration(http -> http.setHeaderCacheSize(HEADER_CACHE_SIZE));
        cfg.jetty.modifyServletContextHandler(context -> context.setErrorHandler(new JsonErrorHandler()));
    }

    private static void errors(JavalinConfig cfg, ApiConfig config, ApiMetrics metrics) {
        cfg.routes.exception(ApiError.class, (e, ctx) -> respond(ctx, e));
        cfg.routes.exception(CompatError.class, (e, ctx) -> e.writeTo(ctx));
        cfg.routes.exception(InvalidSubmissionException.class, (e, ctx) ->
                respond(ctx, new ApiError(e.status(), e.code(), e.getMessage(), e.field())));
        cfg.routes.exception(QueueFullException.class, (e, ctx) ->
                respond(ctx, new ApiError(503, "queue_full", e.getMessage(), null, RETRY_QUEUE_FULL_SECONDS)));
        cfg.routes.exception(QuotaExceededException.class, (e, ctx) -> respond(ctx, new ApiError(429, "quota_exceeded",
                e.getMessage(), e.quota(), (int) Math.max(1, e.retryAfterSeconds()))));
        cfg.routes.exception(RateLimitedException.class, (e, ctx) -> respond(ctx, SubmissionGate.refused(ctx, e)));
        cfg.routes.exception(IdempotencyKeyReusedException.class, (e, ctx) ->
                respond(ctx, new ApiError(422, "idempotency_key_reused", e.getMessage(), IdempotencyHeader.NAME)));
        cfg.routes.exception(JedisException.class, (e, ctx) -> {
            if (e instanceof JedisDataException) {  // Redis answered, with an error: our bug, not an outage
                internalError(ctx, e);
                return;
            }
            try (var about = RequestLogContext.about(ctx)) {
                LOG.warn("Redis unavailable: {}", e.getMessage());
            }
            metrics.redisError();
            respond(ctx, new ApiError(503, "redis_unavailable", "The job store is unavailable; retry shortly"
                    + (isSubmission(ctx) ? SAFE_RETRY : ""), null, RETRY_REDIS_SECONDS));
        });
        cfg.routes.exception(HttpResponseException.class, (e, ctx) -> respond(ctx, fromJavalin(e, ctx, config)));
        cfg.routes.exception(Exception.class, (e, ctx) -> {
            if (endedEarly(e)) {  // the client closed its side before the whole body arrived
                respond(ctx, new ApiError(400, "incomplete_body", "The request body ended before its Content-Length", null));
                return;
            }
            internalError(ctx, e);
        });
    }

    private static boolean endedEarly(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.io.EOFException) {
                return true;
            }
        }
        return false;
    }

    /** POST /jobs or POST /batches: the requests an Idempotency-Key makes safe to retry. */
    private static boolean isSubmission(Context ctx) {
        return "POST".equals(ctx.method().name()) && (ctx.path().equals("/jobs") || ctx.path().equals("/batches"));
    }

    private static ApiError fromJavalin(HttpResponseException e, Context ctx, ApiConfig config) {
        return switch (e.getStatus()) {
            case 404 -> ApiError.notFound("No route " + ctx.method() + " " + ctx.path());
            case 405 -> {
                ctx.header("Allow", String.join(", ", e.getDetails().values()));
                yield new ApiError(405, "method_not_allowed",
                        "Method " + ctx.method() + " is not allowed on " + ctx.path(), null);
            }
            case 413 -> new ApiError(413, "payload_too_large",
                    "The request body is larger than the maximum of " + config.maxRequestBytes() + " bytes", null);
            default -> new ApiError(e.getStatus(), e.getStatus() < 500 ? "bad_request" : "internal_error", e.getMessage(), null);
        };
    }

    private static void internalError(Context ctx, Exception e) {
        try (var about = RequestLogContext.about(ctx)) {
            LOG.error("Unexpected error on {} {}", ctx.method(), ctx.path(), e);
        }
        respond(ctx, new ApiError(500, "internal_error", "Internal error; it has been logged", null));
    }

    private static void respond(Context ctx, ApiError error) {
        if (error.retryAfterSeconds() != null) {
            ctx.header("Retry-After", error.retryAfterSeconds().toString());
        }
        boolean legacy = Boolean.TRUE.equals(ctx.attribute(RunController.LEGACY_ERRORS));
        ctx.status(error.status()).json(legacy ? error.legacyBody() : error.envelope());
    }

    public int port() {
        return app.port();
    }

    /** Every endpoint the router serves as "METHOD path" (e.g. "GET /jobs/{id}"): the description's coverage test. */
    java.util.List<String> endpoints() {
        return app.unsafe.internalRouter.allHttpHandlers().stream().map(handler -> handler.endpoint)
                .filter(endpoint -> endpoint.method.isHttpMethod())
                .map(endpoint -> endpoint.method.name() + " " + endpoint.path).toList();
    }

    /** The long-poll waiter, for diagnostics and tests. */
    CompletionWaiter waiter() {
        return waiter;
    }

    /** Stops HTTP, then the completion subscriber and the pipeline, then the Redis pool if this server owns it. */
    public void stop() {
        app.stop();
        waiter.close();
        pipeline.close();
        if (ownedRedis != null) {
            try {
                ownedRedis.close();
            } catch (Exception e) {
                LOG.warn("Closing Redis failed", e);
            }
        }
    }
}
