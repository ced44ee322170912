package io.codeexec.worker;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Redis address that tests can cut: forwards a local TCP port to the real server. {@link #cut} drops
 * every connection and refuses new ones (Redis unreachable); {@link #freezeOpenConnections} keeps them
 * open but forwards nothing more on them (a half-open connection); {@link #restore} accepts again.
 */
final class TcpProxy implements AutoCloseable {
    private final String targetHost;
    private final int targetPort;
    private final int port;
    private final List<Pipe> pipes = new CopyOnWriteArrayList<>();
    private volatile ServerSocket server;

    /** One proxied connection. */
    private static final class Pipe {
        final Socket client;
        final Socket upstream;
        volatile boolean frozen;

        Pipe(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        void close() {
            try {
                client.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            try {
                upstream.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    TcpProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.server = new ServerSocket(0);
        this.port = server.getLocalPort();
        accept(server);
    }

    String redisUrl() {
        return "redis://127.0.0.1:" + port;
    }

    private void accept(ServerSocket listening) {
        Thread.ofPlatform().daemon().start(() -> {
            while (!listening.isClosed()) {
                try {
                    Socket client = listening.accept();
                    Pipe pipe = new Pipe(client, new Socket(targetHost, targetPort));
                    pipes.add(pipe);
                    pump(pipe, pipe.client, pipe.upstream);
                    pump(pipe, pipe.upstream, pipe.client);
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    private void pump(Pipe pipe, Socket from, Socket to) {
        Thread.ofPlatform().daemon().start(() -> {
            byte[] buffer = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (!pipe.frozen) {
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                }
            } catch (IOException e) {
                // one side closed
            } finally {
                pipe.close();
                pipes.remove(pipe);
            }
        });
    }

    /** Drops every connection and refuses new ones. */
    void cut() throws IOException {
        server.close();
        pipes.forEach(Pipe::close);
    }

    /** Accepts connections again on the same port. */
    void restore() throws IOException {
        ServerSocket reopened = new ServerSocket();
        reopened.setReuseAddress(true);
        reopened.bind(new InetSocketAddress(port));
        server = reopened;
        accept(reopened);
    }

    /** Open connections stay open but nothing more crosses them; new connections work. */
    void freezeOpenConnections() {
        pipes.forEach(pipe -> pipe.frozen = true);
    }

    @Override
    public void close() throws IOException {
        cut();
    }
}
