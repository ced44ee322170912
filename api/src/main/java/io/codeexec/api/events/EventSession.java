package io.codeexec.api.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.codeexec.common.events.JobEventStream;
import io.codeexec.common.job.Job;
import io.codeexec.common.job.JobStatus;
import io.codeexec.common.json.Json;
import io.codeexec.common.queue.JobStore;
import io.codeexec.common.queue.RedisKeys;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.resps.StreamEntry;

/**
 * One SSE client of one job (GET /jobs/{id}/events), on its own virtual thread:
 * 1. sends the job's current status (id: the client's resume point, "0-0" from the start);
 * 2. watches the stream through the {@link StreamHub}, then reads the backlog after the resume point
 *    itself; every entry is sent once, in stream order (ids only grow: anything not above the last sent
 *    is a duplicate of the backlog/hub overlap, and skipped);
 * 3. at the final status entry (written with the final state by complete.lua / cancel.lua) it sends
 *    the job document as `result` and ends. A job already final without one (its stream expired) gets
 *    its result after the backlog; each keep-alive tick also re-reads the stream and the status, so a
 *    delivery lost during a Redis outage only delays the end.
 */
final class EventSession {
    static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
    private static final int PAGE = 500;

    private final String jobId;
    private final JobStore store;
    private final UnifiedJedis redis;
    private final StreamHub hub;
    private final SseOutput out;
    private final Duration keepAlive;
    private StreamEntryID sent;

    EventSession(String jobId, StreamEntryID resumeAfter, JobStore store, UnifiedJedis redis, StreamHub hub,
                 SseOutput out, Duration keepAlive) {
        this.jobId = jobId;
        this.sent = resumeAfter;
        this.store = store;
        this.redis = redis;
        this.hub = hub;
        this.out = out;
        this.keepAlive = keepAlive;
    }

    /** Streams until the result was sent, the client left, or the thread is interrupted (shutdown). */
    void run(Job current) {
        out.event(sent.toString(), JobEventStream.STATUS, Json.write(Map.of("status", current.status())));
        try (StreamHub.Watch watch = hub.watch(jobId, sent)) {
            if (catchUp() || finishIfFinal(current.status())) {
                return;
            }
            while (!out.closed()) {
                StreamEntry entry = watch.entries.poll(keepAlive.toMillis(), TimeUnit.MILLISECONDS);
                if (entry == null) {
                    out.comment("keep-alive");
                    if (catchUp() || finishIfFinal(store.status(jobId).orElse(null))) {
                        return;
                    }
                } else if (deliver(entry)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sends every stored entry after the last sent; true when that ended the stream. */
    private boolean catchUp() {
        while (!out.closed()) {
            List<StreamEntry> page = redis.xrange(RedisKeys.jobEvents(jobId), "(" + sent, "+", PAGE);
            for (StreamEntry entry : page) {
                if (deliver(entry)) {
                    return true;
                }
            }
            if (page.size() < PAGE) {
                return false;
            }
        }
        return true;
    }

    /** A job final (or gone) without a final status entry to come: its result ends the stream. */
    private boolean finishIfFinal(JobStatus status) {
        if (status != null && !status.isFinal()) {
            return false;
        }
        sendResult(sent.toString());
        return true;
    }

    /** Sends one entry unless already sent; true when it was the final status (then the result is sent too). */
    private boolean deliver(StreamEntry entry) {
        if (entry.getID().compareTo(sent) <= 0) {
            return false;
        }
        sent = entry.getID();
        Map<String, String> fields = entry.getFields();
        String event = fields.get(JobEventStream.EVENT);
        String data = fields.get(JobEventStream.DATA);
        if (event == null || data == null || !JobEventStream.STORED.contains(event)) {
            return false;
        }
        out.event(sent.toString(), event, data);
        if (event.equals(JobEventStream.STATUS) && isFinal(data)) {
            sendResult(sent.toString());
            return true;
        }
        return false;
    }

    private void sendResult(String id) {
        Optional<Job> job = store.find(jobId);
        job.ifPresent(j -> out.event(id, JobEventStream.RESULT, Json.write(j)));
    }

    private static boolean isFinal(String statusJson) {
        JsonNode status = Json.read(statusJson, JsonNode.class).path("status");
        try {
            return status.isTextual() && JobStatus.fromWire(status.asText()).isFinal();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
