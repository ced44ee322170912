package io.codeexec.api.docs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.codeexec.common.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The OpenAPI 3.1 description of every route: written as YAML (resources/openapi.yaml, readable, commented),
 * parsed once and rendered to the JSON that GET /openapi.json serves.
 */
public final class OpenApiDocument {
    static final String RESOURCE = "/openapi.yaml";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final JsonNode tree;
    private final byte[] json;

    private OpenApiDocument(JsonNode tree) {
        this.tree = tree;
        this.json = Json.write(tree).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The description on the classpath; fails at startup, naming the file, when it is missing or not YAML. */
    public static OpenApiDocument load() {
        try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            return new OpenApiDocument(YAML.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + RESOURCE, e);
        }
    }

    /** The description as a tree (a copy: callers cannot change what is served). */
    public JsonNode tree() {
        return tree.deepCopy();
    }

    /** The JSON served at /openapi.json. */
    byte[] json() {
        return json.clone();
    }
}
