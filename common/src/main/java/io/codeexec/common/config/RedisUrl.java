package io.codeexec.common.config;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * REDIS_URL, parsed once and the only place that reads it:
 * <ul>
 *   <li>{@code redis://[user:password@]host[:port][/db]} a plain connection;</li>
 *   <li>{@code rediss://…} the same over TLS (see {@link RedisTls} for the CA and client certificate);</li>
 *   <li>{@code redis-sentinel://[user:password@]host1:port1,host2:port2[/db]?master=name} the primary
 *       that those Sentinels name (the credentials and database are the primary's).</li>
 * </ul>
 * A password without a user ({@code redis://:secret@host}) authenticates as the default user.
 * {@link #toString()} and {@link #masked()} never show the password.
 */
public record RedisUrl(Scheme scheme, String user, String password, List<Endpoint> endpoints, int database,
                       String masterName) {
    public static final int DEFAULT_PORT = 6379;
    public static final int DEFAULT_SENTINEL_PORT = 26379;
    private static final String FORMS = "redis://[user:password@]host:port[/db], rediss://… (TLS) or "
            + "redis-sentinel://[user:password@]host1:port1,host2:port2[/db]?master=name";

    public enum Scheme {
        REDIS("redis"), REDISS("rediss"), SENTINEL("redis-sentinel");

        final String text;

        Scheme(String text) {
            this.text = text;
        }
    }

    public record Endpoint(String host, int port) {
        @Override
        public String toString() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    public RedisUrl {
        endpoints = List.copyOf(endpoints);
    }

    public static RedisUrl parse(String url) {
        if (url == null || url.isBlank()) {
            throw invalid("is empty", "");
        }
        String masked = maskedText(url);
        int schemeEnd = url.indexOf("://");
        if (schemeEnd < 0) {
            throw invalid("has no scheme", masked);
        }
        String schemeText = url.substring(0, schemeEnd).toLowerCase(java.util.Locale.ROOT);
        Scheme scheme = null;
        for (Scheme candidate : Scheme.values()) {
            if (candidate.text.equals(schemeText)) {
                scheme = candidate;
            }
        }
        if (scheme == null) {
            throw invalid("has the unknown scheme '" + schemeText + "'", masked);
        }
        String rest = url.substring(schemeEnd + 3);
        String query = null;
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        String path = "";
        int slash = rest.indexOf('/');
        if (slash >= 0) {
            path = rest.substring(slash + 1);
            rest = rest.substring(0, slash);
        }
        String user = null;
        String password = null;
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            String userInfo = rest.substring(0, at);
            rest = rest.substring(at + 1);
            int colon = userInfo.indexOf(':');
            if (colon < 0) {
                password = decode(userInfo);
            } else {
                user = colon == 0 ? null : decode(userInfo.substring(0, colon));
                password = decode(userInfo.substring(colon + 1));
            }
            if (password != null && password.isEmpty()) {
                password = null;
            }
        }
        int defaultPort = scheme == Scheme.SENTINEL ? DEFAULT_SENTINEL_PORT : DEFAULT_PORT;
        List<Endpoint> endpoints = new ArrayList<>();
        for (String hostPort : rest.split(",", -1)) {
            endpoints.add(endpoint(hostPort.trim(), defaultPort, masked));
        }
        if (scheme != Scheme.SENTINEL && endpoints.size() != 1) {
            throw invalid("names several hosts; only redis-sentinel:// takes a list", masked);
        }
        int database = 0;
        if (!path.isEmpty()) {
            try {
                database = Integer.parseInt(path);
            } catch (NumberFormatException e) {
                database = -1;
            }
            if (database < 0) {
                throw invalid("has the database '" + path + "'; it must be a number from 0", masked);
            }
        }
        String master = null;
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                String name = eq < 0 ? pair : pair.substring(0, eq);
                if (!"master".equals(name) || scheme != Scheme.SENTINEL) {
                    throw invalid("has the unknown parameter '" + name + "'", masked);
                }
                master = decode(pair.substring(eq + 1));
            }
        }
        if (scheme == Scheme.SENTINEL && (master == null || master.isBlank())) {
            throw invalid("needs ?master=<name> (the name the Sentinels monitor)", masked);
        }
        return new RedisUrl(scheme, user, password, endpoints, database, master);
    }

    public boolean tls() {
        return scheme == Scheme.REDISS;
    }

    public boolean sentinel() {
        return scheme == Scheme.SENTINEL;
    }

    /** The URL without its password (the user name stays: it helps to tell which ACL user failed). */
    public String masked() {
        StringBuilder text = new StringBuilder(scheme.text).append("://");
        if (user != null || password != null) {
            text.append(user == null ? "" : user).append(password == null ? "" : ":***").append('@');
        }
        text.append(String.join(",", endpoints.stream().map(Endpoint::toString).toList()));
        if (database != 0) {
            text.append('/').append(database);
        }
        if (masterName != null) {
            text.append("?master=").append(masterName);
        }
        return text.toString();
    }

    @Override
    public String toString() {
        return masked();
    }

    /** Masks a URL that may not even parse: everything between "://" and the last '@' of the authority. */
    public static String maskedText(String url) {
        if (url == null) {
            return "null";
        }
        int start = url.indexOf("://");
        if (start < 0) {
            return url;
        }
        int authorityEnd = url.indexOf('/', start + 3);
        String authority = authorityEnd < 0 ? url.substring(start + 3) : url.substring(start + 3, authorityEnd);
        int at = authority.lastIndexOf('@');
        if (at < 0) {
            return url;
        }
        String userInfo = authority.substring(0, at);
        int colon = userInfo.indexOf(':');
        String shown = colon < 0 ? "***" : userInfo.substring(0, colon) + ":***";
        return url.substring(0, start + 3) + shown + url.substring(start + 3 + at);
    }

    private static Endpoint endpoint(String hostPort, int defaultPort, String masked) {
        String host = hostPort;
        String port = null;
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            if (close < 0) {
                throw invalid("has an unclosed IPv6 address", masked);
            }
            host = hostPort.substring(1, close);
            if (hostPort.length() > close + 1) {
                if (hostPort.charAt(close + 1) != ':') {
                    throw invalid("has a malformed host '" + hostPort + "'", masked);
                }
                port = hostPort.substring(close + 2);
            }
        } else {
            int colon = hostPort.lastIndexOf(':');
            if (colon >= 0) {
                host = hostPort.substring(0, colon);
                port = hostPort.substring(colon + 1);
            }
        }
        if (host.isEmpty()) {
            throw invalid("has no host", masked);
        }
        int number = defaultPort;
        if (port != null) {
            try {
                number = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                number = -1;
            }
            if (number < 1 || number > 65_535) {
                throw invalid("has the port '" + port + "'", masked);
            }
        }
        return new Endpoint(host, number);
    }

    private static String decode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static IllegalArgumentException invalid(String problem, String masked) {
        return new IllegalArgumentException("REDIS_URL " + problem + " ('" + masked + "'); expected " + FORMS);
    }
}
