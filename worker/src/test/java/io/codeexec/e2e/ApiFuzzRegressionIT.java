package io.codeexec.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.codeexec.common.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cases ApiFuzzIT found and shrank, kept as plain regression tests against the live API: each was a
 * 500 or a non-JSON 400 before its fix.
 */
class ApiFuzzRegressionIT {
    private static Stack stack;
    private static RawHttp http;

    @BeforeAll
    static void start() {
        stack = Stack.start(0, 1);
        http = new RawHttp(stack.api.port(), ApiFuzzIT.DEADLINE_MS);
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    private static final List<String[]> JSON = List.<String[]>of(new String[] {"Content-Type", "application/json"});

    /** Found: 500 internal_error when the client ended its side before the announced body arrived. */
    @Test
    void bodyShorterThanItsContentLengthIsA400() throws Exception {
        byte[] body = "{\"language\":\"python\",\"code\":\"print(1)\"}".getBytes(StandardCharsets.UTF_8);
        assertError(http.send("POST", "/jobs", JSON, body, 0), 400, "incomplete_body");
        assertError(http.send("POST", "/jobs", JSON, body, 12), 400, "incomplete_body");
    }

    /** Found: Jetty's HTML error page for a NUL or invalid UTF-8 in the path. */
    @Test
    void pathsJettyRefusesAnswerInTheErrorShape() throws Exception {
        assertError(http.send("GET", "/jobs/%00", List.of(), null, -1), 400, "bad_request");
        assertError(http.send("GET", "/jobs/%ff%fe", List.of(), null, -1), 400, "bad_request");
    }

    /** Found: an empty 400 for methods Jetty writes no error page for (DELETE, unknown or lower-case methods). */
    @Test
    void everyMethodGetsAJsonErrorBody() throws Exception {
        for (String method : List.of("DELETE", "PUT", "get", "PROPFIND")) {
            assertError(http.send(method, "/jobs/%ff%fe", List.of(), null, -1), 400, "bad_request");
        }
    }

    /** Found: Jetty's HTML page for a malformed Content-Length, refused while parsing. */
    @Test
    void malformedContentLengthIsAJsonError() throws Exception {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        assertError(http.send("POST", "/jobs", List.<String[]>of(new String[] {"Content-Length", "-1"}), body, -1),
                400, "bad_request");
        assertError(http.send("POST", "/jobs", List.<String[]>of(new String[] {"Content-Length", "1x"}), body, -1),
                400, "bad_request");
    }

    /** Found: an HTML 431 for a header over Jetty's limit. */
    @Test
    void oversizedHeaderIsAJsonError() throws Exception {
        RawHttp.Answer answer = http.send("GET", "/health", List.<String[]>of(new String[] {"X-Big", "v".repeat(20_000)}),
                null, -1);
        assertError(answer, 431, "headers_too_large");
    }

    /** Found: a body that is a JSON string (not an object) is refused as a whole, with no field. */
    @Test
    void nonObjectBodyIsRefusedAsAWhole() throws Exception {
        RawHttp.Answer answer = http.send("POST", "/jobs", JSON, "\"just a string\"".getBytes(StandardCharsets.UTF_8), -1);
        assertError(answer, 400, "invalid_type");
    }

    private static void assertError(RawHttp.Answer answer, int status, String code) throws Exception {
        assertEquals(status, answer.status(), answer.text());
        assertTrue(answer.headers().getOrDefault("content-type", "").startsWith("application/json"), answer.headers().toString());
        JsonNode error = Json.MAPPER.readTree(answer.body()).get("error");
        assertEquals(code, error.get("code").asText(), answer.text());
        assertTrue(error.get("message").asText().length() > 5, answer.text());
    }
}
