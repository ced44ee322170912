package io.codeexec.api.events;

import io.codeexec.api.ApiError;
import io.codeexec.api.auth.TenantAccess;
import io.codeexec.common.job.Job;
import io.codeexec.common.job.JobId;
import io.codeexec.common.logging.LogContext;
import io.codeexec.common.queue.JobStore;
import io.codeexec.common.queue.RedisConnector;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;

/**
 * GET /jobs/{id}/events (issue 13): a job's live events as Server-Sent Events. HTTP I/O only:
 * 1. checks the id, the tenant and Last-Event-ID up front, so a bad request gets a JSON error;
 * 2. answers 200 text/event-stream and hands the response to an {@link EventSession} on a virtual
 *    thread (at most {@link #MAX_STREAMS} at once; then 503), reading through the shared {@link StreamHub}.
 * A raw response rather than Javalin's SseHandler: that one answers an empty 200 to a client without
 * `Accept: text/event-stream` (curl) and runs on Javalin's platform-thread pool.
 */
public final class EventsController implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventsController.class);
    /** SSE streams one API process serves at once; each is a parked virtual thread and a queue. */
    static final int MAX_STREAMS = 10_000;
    private static final int RETRY_FULL_SECONDS = 2;
    private static final Pattern ENTRY_ID = Pattern.compile("\\d{1,19}-\\d{1,19}");
    /** The job hash's owner field (written at submit; contracts §1). */

    private final JobStore store;
    private final UnifiedJedis redis;
    private final StreamHub hub;
    private final Duration keepAlive;
    private final ExecutorService sessions = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("sse-", 0).factory());
    private final Semaphore open = new Semaphore(MAX_STREAMS);

    EventsController(JobStore store, UnifiedJedis redis, StreamHub hub, Duration keepAlive) {
        this.store = store;
        this.redis = redis;
        this.hub = hub;
        this.keepAlive = keepAlive;
    }

    /** A controller with its own stream reader (one connection from {@code connector}). */
    public static EventsController start(JobStore store, UnifiedJedis redis, RedisConnector connector) {
        return start(store, redis, connector, EventSession.KEEP_ALIVE);
    }

    public static EventsController start(JobStore store, UnifiedJedis redis, RedisConnector connector, Duration keepAlive) {
        return new EventsController(store, redis, new StreamHub(connector).start(), keepAlive);
    }

    public void stream(Context ctx) {
        String id = ctx.pathParam("id");
        StreamEntryID resumeAfter = lastEventId(ctx);
        Job job = JobId.isWellFormed(id) ? store.find(id).orElse(null) : null;
        if (job == null || !TenantAccess.owns(ctx, store.tenant(id))) {
            throw ApiError.notFound("No job " + id + " (it may never have existed, or its result has expired)");
        }
        if (!open.tryAcquire()) {
            throw new ApiError(503, "too_many_streams", "This server streams " + MAX_STREAMS
                    + " jobs' events already; retry shortly or poll GET /jobs/" + id, null, RETRY_FULL_SECONDS);
        }
        ctx.status(200);
        ctx.res().setCharacterEncoding("UTF-8");
        ctx.res().setContentType("text/event-stream");
        ctx.header("Cache-Control", "no-cache");
        ctx.header("X-Accel-Buffering", "no");
        SseOutput out;
        try {
            ctx.res().flushBuffer();
            out = new SseOutput(ctx.res().getOutputStream());
        } catch (IOException e) {
            open.release();
            throw new UncheckedIOException(e);
        }
        EventSession session = new EventSession(id, resumeAfter, store, redis, hub, out, keepAlive);
        ctx.future(() -> CompletableFuture.runAsync(() -> {
            try {
                session.run(job);
            } catch (RuntimeException e) {  // the response is committed: end the stream, the client reconnects
                try (var about = LogContext.job(id)) {
                    LOG.warn("events ended early: {}", e.toString());
                }
            } finally {
                open.release();
            }
        }, sessions));
    }

    /** Last-Event-ID (a stream entry id such as 1732650000000-0), or 0-0 for the start; else a 400. */
    private static StreamEntryID lastEventId(Context ctx) {
        String raw = ctx.header("Last-Event-ID");
        if (raw == null || raw.isBlank()) {
            return new StreamEntryID(0, 0);
        }
        raw = raw.strip();
        if (!ENTRY_ID.matcher(raw).matches()) {
            throw new ApiError(400, "invalid_value", "Last-Event-ID must be an event id such as 1732650000000-0, got '"
                    + raw + "'", "Last-Event-ID");
        }
        try {
            return new StreamEntryID(raw);
        } catch (RuntimeException e) {
            throw new ApiError(400, "invalid_value", "Last-Event-ID is out of range: '" + raw + "'", "Last-Event-ID");
        }
    }

    /** Ends every open stream (shutdown) and stops the reader. */
    @Override
    public void close() {
        sessions.shutdownNow();
        hub.close();
    }
}
