package io.codeexec.worker.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The worker's own small HTTP port (METRICS_PORT, default {@link #DEFAULT_PORT}, 0 = off): GET /metrics
 * answers the Prometheus text format, anything else 404. One thread: scrapes are rare and cheap.
 */
public final class MetricsServer implements AutoCloseable {
    public static final int DEFAULT_PORT = 9090;
    private static final int BACKLOG = 8;

    private final HttpServer server;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "metrics-http");
        t.setDaemon(true);
        return t;
    });

    private MetricsServer(HttpServer server) {
        this.server = server;
    }

    /** Listens on {@code port} on every interface (0: a free port, see {@link #port()}). */
    public static MetricsServer start(int port, WorkerMetrics metrics) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(port), BACKLOG);
            MetricsServer self = new MetricsServer(server);
            server.createContext("/", exchange -> self.answer(exchange, metrics));
            server.setExecutor(self.thread);
            server.start();
            return self;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen for metrics on port " + port + " (METRICS_PORT)", e);
        }
    }

    private void answer(HttpExchange exchange, WorkerMetrics metrics) throws IOException {
        try (exchange) {
            boolean found = "/metrics".equals(exchange.getRequestURI().getPath())
                    && "GET".equals(exchange.getRequestMethod());
            byte[] body = (found ? metrics.scrape() : "only GET /metrics here\n").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(found ? 200 : 404, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        thread.shutdownNow();
    }
}
