package io.codeexec.api.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import io.codeexec.common.json.Json;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The description itself: valid OpenAPI 3.1 as swagger-parser reads it, every internal $ref resolves, and
 * every example it shows (responses, and requests meant to succeed) matches the schema beside it.
 */
class OpenApiDocumentTest {
    private final OpenApiDocument document = OpenApiDocument.load();
    private final JsonNode openapi = document.tree();

    @Test
    void isValidOpenApi31() {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIV3Parser()
                .readContents(new String(document.json(), StandardCharsets.UTF_8), null, options);
        assertEquals(List.of(), result.getMessages(), "swagger-parser's complaints");
        assertEquals(SpecVersion.V31, result.getOpenAPI().getSpecVersion());
        assertTrue(result.getOpenAPI().getPaths().size() >= 25, "paths: " + result.getOpenAPI().getPaths().size());
        assertTrue(result.getOpenAPI().getWebhooks().containsKey("jobFinished"));
    }

    @Test
    void everyReferenceResolves() {
        List<String> broken = new ArrayList<>();
        walk(openapi, "", (node, where) -> {
            JsonNode ref = node.get("$ref");
            if (ref != null && (!ref.asText().startsWith("#/") || openapi.at(ref.asText().substring(1)).isMissingNode())) {
                broken.add(where + " -> " + ref.asText());
            }
        });
        assertEquals(List.of(), broken);
    }

    @Test
    void everyShownExampleMatchesItsSchema() {
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi31());
        List<String> problems = new ArrayList<>();
        int[] checked = {0};
        walk(openapi, "", (node, where) -> {
            if (!node.has("schema") || !where.matches(".*/content/[^/]+/[^/]+$")) {
                return;
            }
            boolean request = where.contains("/requestBody/");
            List<Map.Entry<String, JsonNode>> examples = new ArrayList<>();
            if (node.has("example")) {
                examples.add(Map.entry("example", node.get("example")));
            }
            node.path("examples").properties().forEach(examples::add);
            for (Map.Entry<String, JsonNode> example : examples) {
                JsonNode shown = example.getKey().equals("example") ? example.getValue() : resolve(example.getValue());
                if (request && shown.path("x-live").path("status").asInt(200) >= 400) {
                    continue;  // an example of a rejected request: invalid on purpose
                }
                JsonNode value = example.getKey().equals("example") ? shown : shown.get("value");
                if (!where.contains("json")) {
                    continue;  // text/event-stream, text/html: strings
                }
                ObjectNode schema = node.get("schema").deepCopy();
                schema.set("components", openapi.get("components"));
                var errors = registry.getSchema(Json.write(schema), InputFormat.JSON).validate(Json.write(value), InputFormat.JSON);
                checked[0]++;
                if (!errors.isEmpty()) {
                    problems.add(where + " " + example.getKey() + ": " + errors);
                }
            }
        });
        assertEquals(List.of(), problems);
        assertTrue(checked[0] >= 15, "checked " + checked[0] + " examples");
    }

    private JsonNode resolve(JsonNode node) {
        JsonNode ref = node.get("$ref");
        return ref == null ? node : openapi.at(ref.asText().substring(1));
    }

    private interface Visitor {
        void visit(JsonNode node, String where);
    }

    private static void walk(JsonNode node, String where, Visitor visitor) {
        if (node.isObject()) {
            visitor.visit(node, where);
            for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> child = it.next();
                walk(child.getValue(), where + "/" + child.getKey(), visitor);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), where + "/" + i, visitor);
            }
        }
    }
}
