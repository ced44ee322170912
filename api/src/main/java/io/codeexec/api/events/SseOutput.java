package io.codeexec.api.events;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Server-Sent Events on a raw response stream: one event is `id:`, `event:` and one `data:` line (our
 * data is single-line JSON), flushed at once; a comment keeps the connection alive. A failed write
 * means the client left: {@link #closed} turns true and nothing more is written.
 */
final class SseOutput {
    private final OutputStream out;
    private volatile boolean closed;

    SseOutput(OutputStream out) {
        this.out = out;
    }

    void event(String id, String event, String json) {
        write("id: " + id + "\nevent: " + event + "\ndata: " + json + "\n\n");
    }

    void comment(String text) {
        write(": " + text + "\n\n");
    }

    boolean closed() {
        return closed;
    }

    private synchronized void write(String text) {
        if (closed) {
            return;
        }
        try {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException | RuntimeException e) {
            closed = true;
        }
    }
}
