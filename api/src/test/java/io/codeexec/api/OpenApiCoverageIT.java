package io.codeexec.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.codeexec.api.docs.OpenApiDocument;
import io.codeexec.common.json.Json;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The description and the running API agree: every route the Javalin router serves is described (paths and
 * methods), and every described route is served, both ways, with the difference listed on failure. Also:
 * /openapi.json serves the description and /docs the explorer, offline from the webjar.
 */
class OpenApiCoverageIT extends ApiTestBase {
    /**
     * Routes described in openapi.yaml that other branches of issues 11 and 13 add (keys, events, compat,
     * playground). The lead empties this list at merge: the test fails when one of them is served, so that
     * a route never stays here once it exists.
     */
    static final Set<String> ADDED_BY_OTHER_BRANCHES = Set.of();

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    /** "METHOD /path" of every operation in the description. */
    static Set<String> described(JsonNode openapi) {
        Set<String> routes = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = openapi.get("paths").properties().iterator(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            path.getValue().fieldNames().forEachRemaining(method -> {
                if (METHODS.contains(method)) {
                    routes.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
                }
            });
        }
        return routes;
    }

    @Test
    void everyServedRouteIsDescribedAndEveryDescribedRouteIsServed() {
        Set<String> described = described(OpenApiDocument.load().tree());
        Set<String> served = new TreeSet<>(api.server.endpoints());

        Set<String> undocumented = new TreeSet<>(served);
        undocumented.removeAll(described);
        Set<String> missing = new TreeSet<>(described);
        missing.removeAll(served);
        missing.removeAll(ADDED_BY_OTHER_BRANCHES);
        Set<String> nowServed = new TreeSet<>(ADDED_BY_OTHER_BRANCHES);
        nowServed.retainAll(served);
        Set<String> listedButNotDescribed = new TreeSet<>(ADDED_BY_OTHER_BRANCHES);
        listedButNotDescribed.removeAll(described);

        assertTrue(undocumented.isEmpty(), "served but not in openapi.yaml: " + undocumented);
        assertTrue(missing.isEmpty(), "in openapi.yaml but not served: " + missing);
        assertTrue(nowServed.isEmpty(), "served now: remove from ADDED_BY_OTHER_BRANCHES: " + nowServed);
        assertTrue(listedButNotDescribed.isEmpty(), "in ADDED_BY_OTHER_BRANCHES but not described: " + listedButNotDescribed);
    }

    @Test
    void theDescriptionIsServedAsOpenApi31Json() {
        HttpResponse<String> response = api.get("/openapi.json");
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonNode served = TestHttp.json(response);
        assertEquals(Json.read(Json.write(OpenApiDocument.load().tree()), JsonNode.class), served, "the served JSON is the YAML's");
        assertTrue(served.get("openapi").asText().startsWith("3.1."), served.get("openapi").asText());
        assertTrue(served.at("/components/securitySchemes/bearer").isObject());
        assertTrue(served.at("/webhooks/jobFinished/post").isObject());
    }

    @Test
    void theDocsPageLoadsSwaggerUiFromTheWebjarNotACdn() {
        HttpResponse<String> page = api.get("/docs");
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        String html = page.body();
        assertTrue(html.contains("url: \"/openapi.json\""), html);
        assertTrue(!html.contains("http://") && !html.contains("https://"), "no external resource: " + html);
        for (String asset : new String[] {"swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "swagger-ui.css"}) {
            assertTrue(html.contains("/docs/" + asset), asset);
            HttpResponse<String> file = api.get("/docs/" + asset);
            assertEquals(200, file.statusCode(), asset);
            assertTrue(file.body().length() > 10_000, asset + " is the real file");
        }
        assertTrue(api.get("/docs/swagger-ui-bundle.js").body().contains("SwaggerUIBundle"));
        assertTrue(api.get("/docs/swagger-ui-bundle.js").headers().firstValue("Content-Type").orElse("")
                .startsWith("text/javascript"));
    }

    /**
     * The page really renders the description in a browser, offline: headless Chromium (installed for
     * `make test` by scripts/ensure-chromium.sh) loads /docs and its DOM shows our operations.
     */
    @Test
    void aRealBrowserRendersTheDocsPage() throws Exception {
        Path chromium = Path.of("/usr/bin/chromium");
        Assumptions.assumeTrue(Files.isExecutable(chromium), "no chromium (scripts/ensure-chromium.sh installs it)");
        Path profile = Files.createTempDirectory("docs-chromium");
        Process browser = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--user-data-dir=" + profile, "--virtual-time-budget=15000", "--dump-dom",
                api.uri("/docs").toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String dom = new String(browser.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(browser.waitFor(90, java.util.concurrent.TimeUnit.SECONDS), "chromium finished");
        assertTrue(dom.contains("swagger-ui"), dom.length() > 2000 ? dom.substring(0, 2000) : dom);
        for (String shown : new String[] {"Submit a job", "/jobs/{id}/events", "Read a batch", "jobFinished"}) {
            assertTrue(dom.contains(shown), "the rendered page shows " + shown);
        }
    }

    @Test
    void anUnknownDocsFileIsAJson404() {
        for (String path : new String[] {"/docs/index.html", "/docs/..%2Fopenapi.yaml", "/docs/swagger-initializer.js"}) {
            HttpResponse<String> response = api.get(path);
            assertEquals(404, response.statusCode(), path);
            assertEquals("not_found", TestHttp.json(response).at("/error/code").asText(), path);
        }
    }
}
