package io.codeexec.api;

import static io.codeexec.api.TestApi.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.codeexec.common.job.LanguageInfo;
import io.codeexec.common.json.Json;
import io.codeexec.common.queue.LanguageRegistry;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

// Everything around the jobs: languages, health, and the error envelope for each kind of mistake.
class HttpSurfaceIT extends ApiTestBase {
    @Test
    void languagesAreTheInstalledOnesInCatalogOrder() {
        JsonNode languages = json(api.get("/languages"));
        assertEquals(3, languages.size());
        assertEquals("python", languages.get(0).get("id").asText());
        assertEquals("Python", languages.get(0).get("name").asText());
        assertEquals("3.13.5", languages.get(0).get("version").asText());
        assertEquals("javascript", languages.get(1).get("id").asText());
        assertEquals("ruby", languages.get(2).get("id").asText());
    }

    @Test
    void languagesReflectWhatWorkersPublishWithinSeconds() throws InterruptedException {
        new LanguageRegistry(api.redis).publish(new LanguageInfo("ruby", "Ruby", "9.9.9"));
        long deadline = System.nanoTime() + 5_000_000_000L;
        String version = "";
        while (System.nanoTime() < deadline && !version.equals("9.9.9")) {
            version = json(api.get("/languages")).get(2).get("version").asText();
            Thread.sleep(200);
        }
        assertEquals("9.9.9", version);
    }

    @Test
    void healthAndReady() {
        HttpResponse<String> health = api.get("/health");
        assertEquals(200, health.statusCode());
        assertEquals("ok", json(health).get("status").asText());
        HttpResponse<String> ready = api.get("/ready");
        assertEquals(200, ready.statusCode(), ready.body());
        assertEquals("ready", json(ready).get("status").asText());
    }

    @Test
    void unknownRouteIs404AndWrongMethodIs405() {
        Envelope.assertError(api.get("/nope"), 404, "not_found", null);
        HttpResponse<String> put = api.send(HttpRequest.newBuilder(api.uri("/jobs")).PUT(HttpRequest.BodyPublishers.ofString("{}")));
        Envelope.assertError(put, 405, "method_not_allowed", null);
    }

    @Test
    void clientMistakesAnswerTheEnvelopeNamingTheField() {
        Envelope.assertError(api.post("/jobs", "{\"language\":"), 400, "malformed_json", null);
        Envelope.assertError(api.post("/jobs", "{\"code\":\"x\"}"), 400, "missing_field", "language");
        Envelope.assertError(api.post("/jobs", "{\"language\":\"python\",\"code\":1}"), 400, "invalid_type", "code");
        Envelope.assertError(api.post("/jobs", "{\"language\":\"python\",\"code\":\"x\",\"args\":[1]}"), 400, "invalid_type", "args");
        Envelope.assertError(api.post("/jobs", "{\"language\":\"python\",\"code\":\"x\",\"extra\":1}"), 400, "unknown_field", "extra");
        JsonNode tooHigh = Envelope.assertError(
                api.post("/jobs", "{\"language\":\"python\",\"code\":\"x\",\"limits\":{\"timeMs\":600000}}"),
                400, "limit_too_high", "limits.timeMs");
        assertTrue(tooHigh.get("message").asText().contains("15000"), tooHigh.toString());
        assertEquals(0, api.queue.pendingCount(), "nothing was queued");
    }

    @Test
    void unsupportedLanguageListsTheInstalledOnes() {
        JsonNode error = Envelope.assertError(api.post("/jobs", "{\"language\":\"cobol\",\"code\":\"x\"}"),
                400, "unsupported_language", "language");
        assertTrue(error.get("message").asText().endsWith("python, javascript, ruby"), error.toString());
    }

    @Test
    void oversizedCodeAndOversizedBodyAre413Json() {
        String code = "x".repeat(64 * 1024 + 1);
        Envelope.assertError(api.post("/jobs", Json.write(Map.of("language", "python", "code", code))),
                413, "payload_too_large", "code");
        // Without a tests budget the body limit is about 5 MiB, so a 6 MiB body is stopped before it is parsed.
        try (TestApi small = TestApi.startWithEnv(Map.of("MAX_TESTS_BYTES", "0"))) {
            String huge = Json.write(Map.of("language", "python", "code", "y".repeat(6 * 1024 * 1024)));
            Envelope.assertError(small.post("/jobs", huge), 413, "payload_too_large", null);
        }
    }

    @Test
    void maximalLegalSubmissionFitsTheBodyLimit() {
        // Control characters travel as six-character escapes: the body is far larger than the code.
        String code = "\u0001".repeat(64 * 1024 - 1) + "x";
        String stdin = "a".repeat(1024 * 1024);
        HttpResponse<String> response = api.post("/jobs", Json.write(Map.of("language", "python", "code", code, "stdin", stdin)));
        assertEquals(202, response.statusCode(), response.body());
    }

    @Test
    void maximalLegalGradedSubmissionFitsTheBodyLimit() {
        // 200 tests with 128-character names sent as escapes, 32 empty args each, and the 16 MiB budget.
        String code = "\u0001".repeat(64 * 1024 - 1) + "x";
        String mib = "a".repeat(1024 * 1024);
        List<Map<String, Object>> tests = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String name = String.format("%03d", i) + "\u0001".repeat(125);
            tests.add(i < 16 ? Map.of("name", name, "stdin", mib, "args", Collections.nCopies(32, ""))
                    : Map.of("name", name, "args", Collections.nCopies(32, "")));
        }
        String body = Json.write(Map.of("language", "python", "code", code, "tests", tests, "compare", Map.of("float", 1e-9),
                "stopOnFirstFailure", true, "limits", Map.of("compileTimeMs", 30_000, "compileMemoryMb", 2048)));
        HttpResponse<String> response = api.post("/jobs", body);
        assertEquals(202, response.statusCode(), response.body());
    }

    @Test
    void gradedSubmissionErrorsNameTheTestAndKey() {
        Envelope.assertError(api.post("/jobs", "{\"language\":\"python\",\"code\":\"x\",\"tests\":[{},{},{\"stdin\":5}]}"),
                400, "invalid_type", "tests[2].stdin");
        Envelope.assertError(api.post("/jobs", "{\"language\":\"python\",\"code\":\"x\",\"compilerOptions\":[\"-O2\"]}"),
                400, "invalid_value", "compilerOptions");
    }

    @Test
    void aJobWhoseOutputCouldPassMaxResultBytesIs400NamingTheField() {
        String sixtyTests = "[" + String.join(",", Collections.nCopies(60, "{}")) + "]";
        String wedging = "{\"language\":\"python\",\"code\":\"x\",\"tests\":" + sixtyTests
                + ",\"limits\":{\"outputBytes\":8388608}}";
        Envelope.assertError(api.post("/jobs", wedging), 400, "result_too_large", "tests");
        Envelope.assertError(api.post("/batches", "{\"jobs\":[{\"language\":\"python\",\"code\":\"x\"}," + wedging + "]}"),
                400, "result_too_large", "jobs[1].tests");
        assertEquals(0, api.queue.pendingCount());
    }
}
