package io.codeexec.api.docs;

import static io.javalin.apibuilder.ApiBuilder.get;

import io.codeexec.api.ApiError;
import io.javalin.http.Context;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Map;

/**
 * The API's own description: GET /openapi.json (the OpenAPI 3.1 document), GET /docs (swagger-ui pointed at
 * it) and GET /docs/{asset} (swagger-ui's scripts and styles from the webjar). No authentication (the keys
 * part's exemption list names these paths).
 */
public final class DocsRoutes {
    static final String PAGE = """
            <!doctype html>
            <html lang="en">
            <head>
              <meta charset="utf-8">
              <meta name="viewport" content="width=device-width, initial-scale=1">
              <title>codeexec API</title>
              <link rel="stylesheet" href="/docs/swagger-ui.css">
              <link rel="icon" type="image/png" href="/docs/favicon-32x32.png">
            </head>
            <body>
              <div id="swagger-ui"></div>
              <script src="/docs/swagger-ui-bundle.js"></script>
              <script src="/docs/swagger-ui-standalone-preset.js"></script>
              <script>
                window.ui = SwaggerUIBundle({
                  url: "/openapi.json",
                  dom_id: "#swagger-ui",
                  deepLinking: true,
                  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
                  layout: "StandaloneLayout"
                });
              </script>
            </body>
            </html>
            """;

    private final OpenApiDocument document;
    private final SwaggerUi swaggerUi = new SwaggerUi();
    private final Map<String, SwaggerUi.Asset> assets = new ConcurrentHashMap<>();

    public DocsRoutes(OpenApiDocument document) {
        this.document = document;
    }

    public DocsRoutes() {
        this(OpenApiDocument.load());
    }

    /** Registers the routes; call inside an ApiBuilder block. */
    public void routes() {
        get("/openapi.json", this::openapi);
        get("/docs", this::page);
        get("/docs/{asset}", this::asset);
    }

    private void openapi(Context ctx) {
        ctx.contentType("application/json").result(document.json());
    }

    private void page(Context ctx) {
        ctx.html(PAGE);
    }

    private void asset(Context ctx) {
        String name = ctx.pathParam("asset");
        SwaggerUi.Asset asset = assets.computeIfAbsent(name, n -> swaggerUi.asset(n).orElse(null));
        if (asset == null) {
            throw ApiError.notFound("No file /docs/" + name);
        }
        ctx.header("Cache-Control", "public, max-age=86400")
                .contentType(asset.contentType())
                .result(asset.bytes());
    }
}
