package io.codeexec.api.playground;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The playground page (issue 13): {@code GET /} answers the page, {@code /playground/…} its scripts,
 * styles and the CodeMirror editor vendored into the jar at build time (api/pom.xml unpacks the webjar).
 * Nothing is fetched from another origin, and the page's Content-Security-Policy says so to the browser.
 */
public final class Playground {
    /** Where the page's assets are served; the auth filter exempts this prefix and {@code /}. */
    public static final String ASSET_PREFIX = "/playground";
    private static final String CLASSPATH_DIR = "/playground";
    private static final String INDEX = CLASSPATH_DIR + "/index.html";
    /** Same origin only; CodeMirror sets element styles, hence inline styles. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; connect-src 'self'; "
            + "style-src 'self' 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'; "
            + "frame-ancestors 'none'";
    private static final Map<String, String> HEADERS = Map.of(
            "Content-Security-Policy", CONTENT_SECURITY_POLICY,
            "X-Content-Type-Options", "nosniff",
            "Referrer-Policy", "no-referrer");

    private final String index;

    private Playground(String index) {
        this.index = index;
    }

    /** Registers {@code GET /} and the static assets under {@link #ASSET_PREFIX}. */
    public static void install(JavalinConfig cfg) {
        Playground playground = new Playground(read(INDEX));
        cfg.staticFiles.add(files -> {
            files.hostedPath = ASSET_PREFIX;
            files.directory = CLASSPATH_DIR;
            files.location = Location.CLASSPATH;
            files.headers = Map.of("X-Content-Type-Options", "nosniff", "Cache-Control", "no-cache");
            files.skipFileFunction = request -> request.getRequestURI().endsWith("/");  // the page lives at / only
        });
        cfg.routes.get("/", playground::page);
    }

    private void page(Context ctx) {
        HEADERS.forEach(ctx::header);
        ctx.header("Cache-Control", "no-cache");
        ctx.html(index);
    }

    private static String read(String resource) {
        try (InputStream in = Playground.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("The playground page " + resource + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
