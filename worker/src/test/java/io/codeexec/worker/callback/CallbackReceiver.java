package io.codeexec.worker.callback;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A grader's endpoint for tests: records every callback; fails the first {@code failures} with 500, or
 * (see {@link #trickling}) answers the first ones with 200 headers and then a body that never ends.
 */
public final class CallbackReceiver implements AutoCloseable {
    public record Delivery(String body, String signature, String attempt) {}

    private static final long TRICKLE_INTERVAL_MS = 100;

    private final HttpServer server;
    private final ExecutorService handlers = Executors.newCachedThreadPool();
    private final BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
    private final BlockingQueue<Long> cutAfterMs = new LinkedBlockingQueue<>();
    private final AtomicInteger failuresLeft;
    private final AtomicInteger tricklesLeft;
    private final long answerAfterMs;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger mostInFlight = new AtomicInteger();

    public CallbackReceiver(int failures) throws IOException {
        this(failures, 0, 0);
    }

    private CallbackReceiver(int failures, int trickles, long answerAfterMs) throws IOException {
        this.failuresLeft = new AtomicInteger(failures);
        this.tricklesLeft = new AtomicInteger(trickles);
        this.answerAfterMs = answerAfterMs;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(handlers);
        server.createContext("/hook", exchange -> {
            mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                handle(exchange);
            } finally {
                inFlight.decrementAndGet();
            }
        });
        server.start();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        deliveries.add(new Delivery(body, exchange.getRequestHeaders().getFirst(CallbackSigner.SIGNATURE_HEADER),
                exchange.getRequestHeaders().getFirst("X-Codeexec-Delivery-Attempt")));
        if (tricklesLeft.getAndDecrement() > 0) {
            trickle(exchange);
            return;
        }
        pause(answerAfterMs);
        int status = failuresLeft.getAndDecrement() > 0 ? 500 : 204;
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Answers the first {@code trickles} requests with 200 and a body of one byte every 100 ms, forever. */
    public static CallbackReceiver trickling(int trickles) throws IOException {
        return new CallbackReceiver(0, trickles, 0);
    }

    /** Answers every request with 204, each after {@code ms}. */
    public static CallbackReceiver slow(long ms) throws IOException {
        return new CallbackReceiver(0, 0, ms);
    }

    /** The most requests this receiver was answering at once. */
    public int mostInFlight() {
        return mostInFlight.get();
    }

    /** Sends a byte at a time until the client hangs up, then records how long that took. */
    private void trickle(HttpExchange exchange) {
        long start = System.nanoTime();
        try (exchange) {
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            while (true) {
                out.write('.');
                out.flush();
                Thread.sleep(TRICKLE_INTERVAL_MS);
            }
        } catch (IOException | InterruptedException e) {
            cutAfterMs.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    /** The next delivery, or null after {@code seconds}. */
    public Delivery next(int seconds) throws InterruptedException {
        return deliveries.poll(seconds, TimeUnit.SECONDS);
    }

    /** How long the next trickled answer ran before the client hung up, or null after {@code seconds}. */
    public Long nextCut(int seconds) throws InterruptedException {
        return cutAfterMs.poll(seconds, TimeUnit.SECONDS);
    }

    public List<Delivery> received() {
        return List.copyOf(deliveries);
    }

    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
    }
}
