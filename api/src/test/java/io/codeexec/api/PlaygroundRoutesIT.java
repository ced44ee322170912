package io.codeexec.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

// The playground's HTTP surface: the page at /, every asset it references served from the jar (the
// vendored editor included), a same-origin-only policy, and the API's JSON 404s left untouched.
class PlaygroundRoutesIT extends ApiTestBase {
    private static final Pattern ASSET = Pattern.compile("(?:src|href)=\"(playground/[^\"]+)\"");

    @Test
    void pageAtRootIsHtmlLimitedToItsOwnOrigin() {
        HttpResponse<String> page = api.get("/");
        assertEquals(200, page.statusCode());
        assertTrue(header(page, "Content-Type").startsWith("text/html"), page.headers().toString());
        String policy = header(page, "Content-Security-Policy");
        assertTrue(policy.contains("default-src 'self'") && policy.contains("connect-src 'self'"), policy);
        assertTrue(page.body().contains("<title>codeexec playground</title>"), page.body());
        assertTrue(!page.body().contains("http://") && !page.body().contains("https://") && !page.body().contains("//cdn"),
                "no absolute URL to another origin in the page");
    }

    @Test
    void everyAssetThePageReferencesIsServedWithItsType() {
        Matcher assets = ASSET.matcher(api.get("/").body());
        int count = 0;
        while (assets.find()) {
            String path = "/" + assets.group(1);
            HttpResponse<String> asset = api.get(path);
            assertEquals(200, asset.statusCode(), path);
            String type = header(asset, "Content-Type");
            if (path.endsWith(".js")) {
                assertTrue(type.contains("javascript"), path + ": " + type);
            } else if (path.endsWith(".css")) {
                assertTrue(type.startsWith("text/css"), path + ": " + type);
            }
            assertTrue(asset.body().length() > 100, path + " has content");
            count++;
        }
        assertTrue(count >= 15, "the editor, its modes and the page's own files: " + count);
        assertTrue(api.get("/playground/vendor/codemirror/lib/codemirror.js").body().contains("CodeMirror"));
    }

    @Test
    void unknownPathsStillAnswerTheJsonNotFound() {
        Envelope.assertError(api.get("/nope"), 404, "not_found", null);
        Envelope.assertError(api.get("/playground/nope.js"), 404, "not_found", null);
        Envelope.assertError(api.get("/playground/"), 404, "not_found", null);
        Envelope.assertError(api.get("/playground/vendor/codemirror/mode/cobol/cobol.js"), 404, "not_found", null);
        Envelope.assertError(api.get("/playground/%2e%2e/io/codeexec/api/ApiServer.class"), 404, "not_found", null);
        Envelope.assertError(api.get("/playground/vendor/codemirror/META-INF/MANIFEST.MF"), 404, "not_found", null);
    }

    @Test
    void rootAcceptsOnlyGet() {
        HttpResponse<String> post = api.send(HttpRequest.newBuilder(api.uri("/")).POST(HttpRequest.BodyPublishers.ofString("{}")));
        Envelope.assertError(post, 405, "method_not_allowed", null);
    }

    private static String header(HttpResponse<String> response, String name) {
        return response.headers().firstValue(name).orElse("");
    }
}
