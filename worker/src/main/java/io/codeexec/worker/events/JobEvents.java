package io.codeexec.worker.events;

import io.codeexec.common.events.JobEventStream;
import io.codeexec.common.json.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The live events of one running job, waiting for {@link EventPublisher} to send them:
 * 1. output text is appended to the last pending entry while it is of the same test and stream and
 *    under {@link JobEventStream#CHUNK_BYTES}, so a chatty program costs one entry per flush, not per write;
 * 2. each stream of each test publishes at most the job's output cap in bytes (the result's cap);
 * 3. other events (compile, test) keep their place in the order.
 * Adding never blocks on Redis: the publisher drains the pending entries on its own thread.
 */
public final class JobEvents implements AutoCloseable {
    /** One pending stream entry; output entries grow until drained. */
    private static final class Pending {
        final String event;
        final Object data;
        final Integer test;
        final StringBuilder text;
        int bytes;

        Pending(String event, Object data, Integer test, StringBuilder text) {
            this.event = event;
            this.data = data;
            this.test = test;
            this.text = text;
        }

        Map<String, String> entry() {
            Object json = data;
            if (text != null) {
                Map<String, Object> output = new LinkedHashMap<>();
                output.put("data", text.toString());
                if (test != null) {
                    output.put("test", test);
                }
                json = output;
            }
            return Map.of(JobEventStream.EVENT, event, JobEventStream.DATA, Json.write(json));
        }
    }

    private final String jobId;
    private final long outputCap;
    private final EventPublisher publisher;
    private final List<Pending> pending = new ArrayList<>();
    private final Map<String, Long> bytesPublished = new HashMap<>();
    /** Held while a batch is sent, so two flushes of this job never reorder its entries. */
    final Object sending = new Object();

    JobEvents(String jobId, long outputCap, EventPublisher publisher) {
        this.jobId = jobId;
        this.outputCap = outputCap;
        this.publisher = publisher;
    }

    public String jobId() {
        return jobId;
    }

    /**
     * Output of a run: {@code stream} is {@link JobEventStream#STDOUT} or {@link JobEventStream#STDERR},
     * {@code test} the test's index for a graded job (null for a plain one), {@code bytes} the UTF-8
     * bytes the text came from (counted against the cap).
     */
    public synchronized void output(Integer test, String stream, String text, int bytes) {
        String key = test + ":" + stream;
        long sent = bytesPublished.getOrDefault(key, 0L);
        if (sent >= outputCap || text.isEmpty()) {
            return;
        }
        if (sent + bytes > outputCap) {  // only when the caller's bytes disagree with the launcher's cap
            text = text.substring(0, (int) Math.min(text.length(), outputCap - sent));
            bytes = (int) (outputCap - sent);
        }
        bytesPublished.put(key, sent + bytes);
        Pending last = pending.isEmpty() ? null : pending.getLast();
        if (last != null && last.text != null && last.event.equals(stream) && java.util.Objects.equals(last.test, test)
                && last.bytes + bytes <= JobEventStream.CHUNK_BYTES) {
            last.text.append(text);
            last.bytes += bytes;
            return;
        }
        Pending next = new Pending(stream, null, test, new StringBuilder(text));
        next.bytes = bytes;
        pending.add(next);
    }

    /** Any other event; {@code data} is serialised as its JSON. */
    public synchronized void event(String event, Object data) {
        pending.add(new Pending(event, data, null, null));
    }

    /** Takes what is pending, as stream entries in order. */
    synchronized List<Map<String, String>> drain() {
        List<Map<String, String>> entries = pending.stream().map(Pending::entry).toList();
        pending.clear();
        return entries;
    }

    /** Sends what is left now and stops publishing for this job. */
    @Override
    public void close() {
        publisher.closed(this);
    }
}
