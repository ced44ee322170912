package io.codeexec.common.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.codeexec.common.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Server-Sent Events client for tests, over the JDK's HttpClient: a virtual thread parses the
 * response (id/event/data lines, comments counted) into a queue that {@link #next} reads with a timeout.
 */
public final class SseTestClient implements AutoCloseable {
    /** One event as received, with when it arrived (System.nanoTime()). */
    public record Event(String id, String event, String data, long atNanos) {
        public JsonNode json() {
            return Json.read(data, JsonNode.class);
        }
    }

    private static final Event END = new Event(null, null, null, 0);
    private final HttpResponse<InputStream> response;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private volatile int comments;
    private boolean ended;

    private SseTestClient(HttpResponse<InputStream> response) {
        this.response = response;
        if (response.statusCode() == 200) {
            Thread.ofVirtual().name("sse-test-reader").start(this::read);
        }
    }

    /** Opens {@code uri} (with Last-Event-ID when not null); the response status is known on return. */
    public static SseTestClient open(HttpClient http, URI uri, String lastEventId) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").GET();
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        try {
            return new SseTestClient(http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public int status() {
        return response.statusCode();
    }

    public String contentType() {
        return response.headers().firstValue("Content-Type").orElse("");
    }

    /** The whole body of a non-200 answer. */
    public String body() {
        try (InputStream in = response.body()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next event, or null when the stream ended or nothing came within {@code timeout}. */
    public Event next(Duration timeout) throws InterruptedException {
        if (ended) {
            return null;
        }
        Event event = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (event == END) {
            ended = true;
            return null;
        }
        return event;
    }

    /** Every event until the stream ends (fails when it has not ended within {@code timeout}). */
    public List<Event> untilEnd(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Event> all = new ArrayList<>();
        while (!ended) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("the event stream did not end within " + timeout + "; got " + all);
            }
            Event event = next(Duration.ofNanos(left));
            if (event != null) {
                all.add(event);
            }
        }
        return all;
    }

    /** Whether the server ended the stream (seen by {@link #next}). */
    public boolean ended() {
        return ended;
    }

    public int comments() {
        return comments;
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String id = null, event = null;
            StringBuilder data = null;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.isEmpty()) {
                    if (data != null) {
                        events.add(new Event(id, event == null ? "message" : event, data.toString(), System.nanoTime()));
                    }
                    event = null;
                    data = null;
                } else if (line.startsWith(":")) {
                    comments++;
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).strip();
                } else if (line.startsWith("event:")) {
                    event = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    String value = line.substring(5).startsWith(" ") ? line.substring(6) : line.substring(5);
                    data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                }
            }
        } catch (IOException e) {
            // closed by the test or the server
        } finally {
            events.add(END);
        }
    }

    @Override
    public void close() {
        try {
            response.body().close();
        } catch (IOException e) {
            // already closed
        }
    }
}
