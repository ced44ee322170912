package io.codeexec.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, so the fuzzer can send what no well-behaved client would: any method,
 * raw paths, duplicated and malformed headers, bodies that are not UTF-8 or shorter than their
 * Content-Length. One request per connection ({@code Connection: close}); the answer must arrive within
 * the deadline or the request counts as a hang.
 */
final class RawHttp {
    /** What came back: status (0 = the server closed without answering), headers (lower-case names), body. */
    record Answer(int status, Map<String, String> headers, byte[] body, long millis) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** The server did not answer within the deadline. */
    static final class Hang extends AssertionError {
        Hang(String message) {
            super(message);
        }
    }

    private final int port;
    private final int deadlineMs;

    RawHttp(int port, int deadlineMs) {
        this.port = port;
        this.deadlineMs = deadlineMs;
    }

    /**
     * Sends one request. {@code headers} are written as given (duplicates allowed); a Content-Length is
     * added for the body unless the caller wrote one. {@code truncateTo} ≥ 0 sends only that many body
     * bytes and then half-closes the connection (the server sees an early end of the body).
     */
    Answer send(String method, String target, List<String[]> headers, byte[] body, int truncateTo) throws IOException {
        long start = System.nanoTime();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), deadlineMs);
            socket.setSoTimeout(deadlineMs);
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            request.writeBytes((method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nConnection: close\r\n").getBytes(StandardCharsets.ISO_8859_1));
            boolean hasLength = false;
            for (String[] header : headers) {
                hasLength |= header[0].equalsIgnoreCase("content-length") || header[0].equalsIgnoreCase("transfer-encoding");
                request.writeBytes((header[0] + ": " + header[1] + "\r\n").getBytes(StandardCharsets.UTF_8));
            }
            if (body != null && !hasLength) {
                request.writeBytes(("Content-Length: " + body.length + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            }
            request.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                request.write(body, 0, truncateTo >= 0 ? Math.min(truncateTo, body.length) : body.length);
            }
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request.toByteArray());
                out.flush();
                if (truncateTo >= 0) {
                    socket.shutdownOutput();
                }
            } catch (IOException e) {
                // The server may close early (e.g. an oversized body refused before it was read): read its answer.
            }
            return read(socket.getInputStream(), start);
        } catch (SocketTimeoutException e) {
            throw new Hang(method + " " + abbreviate(target) + " got no complete answer within " + deadlineMs + " ms");
        }
    }

    private static Answer read(InputStream in, long start) throws IOException {
        byte[] raw;
        try {
            raw = in.readAllBytes();
        } catch (java.net.SocketException e) {
            raw = new byte[0];  // reset by the server: no answer
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        return parse(raw, millis);
    }

    /** One answer from the raw bytes; interim answers (100 Continue) are skipped. */
    private static Answer parse(byte[] raw, long millis) {
        int headerEnd = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        if (headerEnd < 0) {
            return new Answer(0, Map.of(), raw, millis);
        }
        String[] lines = new String(raw, 0, headerEnd, StandardCharsets.ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        if (status >= 100 && status < 200 && status != 101) {
            return parse(java.util.Arrays.copyOfRange(raw, headerEnd + 4, raw.length), millis);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.merge(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim(), (a, b) -> a + ", " + b);
            }
        }
        byte[] body = java.util.Arrays.copyOfRange(raw, headerEnd + 4, raw.length);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = dechunk(body);
        }
        if ("gzip".equalsIgnoreCase(headers.get("content-encoding"))) {  // asked for with Accept-Encoding
            try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(body))) {
                body = in.readAllBytes();
            } catch (IOException e) {
                throw new AssertionError("a gzip body that does not decompress: " + e.getMessage(), e);
            }
        }
        return new Answer(status, headers, body, millis);
    }

    private static byte[] dechunk(byte[] chunked) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = 0;
        while (at < chunked.length) {
            int lineEnd = indexOf(java.util.Arrays.copyOfRange(chunked, at, chunked.length), new byte[] {'\r', '\n'});
            if (lineEnd < 0) {
                break;
            }
            String sizeText = new String(chunked, at, lineEnd, StandardCharsets.ISO_8859_1).split(";")[0].trim();
            int size = Integer.parseInt(sizeText, 16);
            at += lineEnd + 2;
            if (size == 0) {
                break;
            }
            out.write(chunked, at, Math.min(size, chunked.length - at));
            at += size + 2;
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static String abbreviate(String text) {
        return text.length() <= 120 ? text : text.substring(0, 120) + "…(" + text.length() + " chars)";
    }
}
