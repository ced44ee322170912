package io.codeexec.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

// A TCP proxy in front of Redis that a test can break the way networks break: drop every connection,
// refuse new ones (Redis unreachable), or go silent on the open ones without closing them (half-open).
final class TcpProxy implements AutoCloseable {
    private final ServerSocket server;
    private final String targetHost;
    private final int targetPort;
    private final List<Link> links = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile boolean refusing;

    /** One client connection and its upstream; {@code silent} drops bytes both ways but keeps both open. */
    private static final class Link {
        final Socket client;
        final Socket upstream;
        volatile boolean silent;

        Link(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        void close() {
            closeQuietly(client);
            closeQuietly(upstream);
        }
    }

    TcpProxy(String redisUrl) throws IOException {
        URI target = URI.create(redisUrl);
        this.targetHost = target.getHost();
        this.targetPort = target.getPort();
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("tcp-proxy-accept").start(this::acceptLoop);
    }

    String url() {
        return "redis://127.0.0.1:" + server.getLocalPort();
    }

    /** Connections accepted so far (refused ones included). */
    int accepted() {
        return accepted.get();
    }

    /** Closes every open connection (the client sees its connection reset). */
    void dropAll() {
        links.forEach(Link::close);
        links.clear();
    }

    /** While true, new connections are closed as soon as they arrive. */
    void refuseNew(boolean refuse) {
        refusing = refuse;
    }

    /** The open connections stop carrying bytes either way, but stay open: a half-open connection. */
    void silenceOpenConnections() {
        links.forEach(link -> link.silent = true);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                accepted.incrementAndGet();
                if (refusing) {
                    closeQuietly(client);
                    continue;
                }
                Link link = new Link(client, new Socket(targetHost, targetPort));
                links.add(link);
                Thread.ofVirtual().start(() -> pump(link, link.client, link.upstream));
                Thread.ofVirtual().start(() -> pump(link, link.upstream, link.client));
            } catch (IOException e) {
                // closed, or the upstream refused: the client's connection simply fails
            }
        }
    }

    private void pump(Link link, Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream()) {
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (!link.silent) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            }
        } catch (IOException e) {
            // either side went away
        }
        if (!link.silent) {
            link.close();
            links.remove(link);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        dropAll();
    }
}
