package io.codeexec.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;

// Asserts the one error shape of the API: {"error": {"code", "message", "field"?}} and nothing else.
final class Envelope {
    private Envelope() {}

    static JsonNode assertError(HttpResponse<String> response, int status, String code, String field) {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
                "JSON content type: " + response.headers());
        JsonNode body = TestApi.json(response);
        assertEquals(1, body.size(), "only the error key: " + body);
        JsonNode error = body.get("error");
        assertEquals(code, error.get("code").asText(), body.toString());
        assertFalse(error.get("message").asText().isBlank(), body.toString());
        assertFalse(error.get("message").asText().contains("Exception"), "no stack trace or class names: " + body);
        if (field == null) {
            assertTrue(error.get("field") == null || error.get("field").isNull(), body.toString());
        } else {
            assertEquals(field, error.get("field").asText(), body.toString());
        }
        return error;
    }
}
