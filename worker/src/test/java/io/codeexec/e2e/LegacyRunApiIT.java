package io.codeexec.e2e;

import static io.codeexec.e2e.Stack.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The original synchronous API's own behaviours, against the real stack (Redis, API, worker, Docker). */
class LegacyRunApiIT {
    private static Stack stack;

    @BeforeAll
    static void start() {
        stack = Stack.start(1, 2);
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    private static JsonNode run(String language, Map<String, String> body, int expectedStatus) {
        HttpResponse<String> response = stack.post("/run/" + language, body);
        assertEquals(expectedStatus, response.statusCode(), response.body());
        return json(response);
    }

    @Test
    void unknownRouteIs404() {
        assertEquals(404, stack.get("/no/such/route").statusCode());
    }

    @Test
    void pythonHelloWorld() {
        assertEquals("Hello, World!\n", run("python", Map.of("code", "print('Hello, World!')"), 200).get("message").asText());
    }

    @Test
    void pythonEchoesItsInput() {
        JsonNode body = run("python", Map.of("code", "print(input())", "input", "With input!"), 200);
        assertEquals("With input!\n", body.get("message").asText());
    }

    @Test
    void javascriptHelloWorld() {
        assertEquals("Hello, World!\n",
                run("javascript", Map.of("code", "console.log('Hello, World!')"), 200).get("message").asText());
    }

    @Test
    void rubyHelloWorld() {
        assertEquals("Hello, World!\n", run("ruby", Map.of("code", "puts 'Hello, World!'"), 200).get("message").asText());
    }

    @Test
    void unsupportedLanguageNamesTheSupportedOnes() {
        JsonNode body = run("cobol", Map.of("code", "DISPLAY 'HI'."), 400);
        assertEquals("Language not supported. The languages supported are: python, javascript, ruby, c, cpp, java, go, rust",
                body.get("message").asText());
    }

    @Test
    void missingCodeIs400() {
        assertEquals("Code is required", run("python", Map.of("input", "x"), 400).get("message").asText());
    }

    @Test
    void infiniteLoopTimesOutWith408() {
        JsonNode body = run("python", Map.of("code", "while True: pass"), 408);
        assertTrue(body.get("message").asText().contains("Timeout of 3000ms exceeded"), body.toString());
    }
}
