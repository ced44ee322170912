package io.codeexec.worker.callback;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A grader's endpoint for tests: records every callback and fails the first {@code failures} with 500. */
public final class CallbackReceiver implements AutoCloseable {
    public record Delivery(String body, String signature, String attempt) {}

    private final HttpServer server;
    private final BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
    private final AtomicInteger failuresLeft;

    public CallbackReceiver(int failures) throws IOException {
        this.failuresLeft = new AtomicInteger(failures);
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            deliveries.add(new Delivery(body, exchange.getRequestHeaders().getFirst(CallbackDispatcher.SIGNATURE_HEADER),
                    exchange.getRequestHeaders().getFirst("X-Codeexec-Delivery-Attempt")));
            int status = failuresLeft.getAndDecrement() > 0 ? 500 : 204;
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    /** The next delivery, or null after {@code seconds}. */
    public Delivery next(int seconds) throws InterruptedException {
        return deliveries.poll(seconds, TimeUnit.SECONDS);
    }

    public List<Delivery> received() {
        return List.copyOf(deliveries);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
