package io.codeexec.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codeexec.common.job.InvalidSubmissionException;
import io.codeexec.common.job.JobRequest;
import io.codeexec.common.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

// Every way a submission body can be wrong, and what a good one becomes (LimitPolicy.standard()).
class SubmissionValidatorTest {
    private final ApiConfig config = ApiConfig.defaults();
    private final SubmissionValidator validator =
            new SubmissionValidator(config, () -> List.of("python", "javascript", "ruby"));

    private JobRequest validate(String json) {
        return validator.validate(json.getBytes(StandardCharsets.UTF_8));
    }

    private InvalidSubmissionException rejected(String json) {
        return assertThrows(InvalidSubmissionException.class, () -> validate(json));
    }

    private static String body(Map<String, Object> fields) {
        return Json.write(fields);
    }

    private static void assertError(InvalidSubmissionException e, int status, String code, String field) {
        assertEquals(status, e.status(), e.getMessage());
        assertEquals(code, e.code(), e.getMessage());
        assertEquals(field, e.field(), e.getMessage());
    }

    @Test
    void minimalSubmissionGetsDefaultLimits() {
        JobRequest request = validate("{\"language\":\"python\",\"code\":\"print(1)\"}");
        assertEquals("python", request.language());
        assertEquals("", request.stdin());
        assertEquals(List.of(), request.args());
        assertEquals(config.limits().defaults(), request.limits());
    }

    @Test
    void fullSubmissionKeepsEveryField() {
        JobRequest request = validate("""
                {"language":"ruby","code":"puts 1","stdin":"in","args":["a","b"],
                 "limits":{"timeMs":1000,"memoryMb":64,"outputBytes":2048,"processes":16,"fileBytes":0}}""");
        assertEquals("in", request.stdin());
        assertEquals(List.of("a", "b"), request.args());
        assertEquals(1000, request.limits().timeMs());
        assertEquals(3000, request.limits().wallTimeMs(), "wall defaults to 2 × time + 1 s");
        assertEquals(64, request.limits().memoryMb());
        assertEquals(0L, request.limits().fileBytes());
    }

    @Test
    void callbackUrlMustBeAnAbsoluteHttpUrl() {
        assertEquals("https://grader.example/hook",
                validate("{\"language\":\"python\",\"code\":\"1\",\"callbackUrl\":\"https://grader.example/hook\"}").callbackUrl());
        assertEquals(null, validate("{\"language\":\"python\",\"code\":\"1\"}").callbackUrl());
        for (String bad : List.of("ftp://x/y", "/relative", "http://", "not a url", "file:///etc/passwd")) {
            assertError(rejected("{\"language\":\"python\",\"code\":\"1\",\"callbackUrl\":\"" + bad + "\"}"),
                    400, "invalid_value", "callbackUrl");
        }
        assertError(rejected("{\"language\":\"python\",\"code\":\"1\",\"callbackUrl\":7}"), 400, "invalid_type", "callbackUrl");
        assertError(rejected("{\"language\":\"python\",\"code\":\"1\",\"callbackUrl\":\"http://h/" + "a".repeat(3000) + "\"}"),
                413, "payload_too_large", "callbackUrl");
    }

    @Test
    void malformedJson() {
        assertError(rejected("{\"language\": \"python\", "), 400, "malformed_json", null);
        assertError(rejected(""), 400, "malformed_json", null);
        assertError(rejected("{\"code\":\"a\"} trailing"), 400, "malformed_json", null);
        assertError(rejected("{\"code\":\"a\",\"code\":\"b\",\"language\":\"python\"}"), 400, "malformed_json", null);
    }

    @Test
    void bodyMustBeAnObject() {
        assertError(rejected("[1,2]"), 400, "invalid_type", null);
        assertError(rejected("\"print(1)\""), 400, "invalid_type", null);
    }

    @Test
    void missingLanguageOrCode() {
        assertError(rejected("{\"code\":\"print(1)\"}"), 400, "missing_field", "language");
        assertError(rejected("{\"language\":\"python\"}"), 400, "missing_field", "code");
        assertError(rejected("{\"language\":\"python\",\"code\":null}"), 400, "missing_field", "code");
        assertError(rejected("{\"language\":\"python\",\"code\":\"  \\n\"}"), 400, "empty_code", "code");
    }

    @Test
    void wrongTypeOfEachField() {
        assertError(rejected("{\"language\":1,\"code\":\"x\"}"), 400, "invalid_type", "language");
        assertError(rejected("{\"language\":\"python\",\"code\":[\"x\"]}"), 400, "invalid_type", "code");
        assertError(rejected("{\"language\":\"python\",\"code\":\"x\",\"stdin\":5}"), 400, "invalid_type", "stdin");
        assertError(rejected("{\"language\":\"python\",\"code\":\"x\",\"args\":\"a b\"}"), 400, "invalid_type", "args");
        assertError(rejected("{\"language\":\"python\",\"code\":\"x\",\"args\":[\"a\",1]}"), 400, "invalid_type", "args");
        assertError(rejected("{\"language\":\"python\",\"code\":\"x\",\"limits\":3000}"), 400, "invalid_type", "limits");
        for (String bad : List.of("\"3000\"", "3000.5", "true", "{}")) {
            InvalidSubmissionException e = rejected("{\"language\":\"python\",\"code\":\"x\",\"limits\":{\"timeMs\":" + bad + "}}");
            assertError(e, 400, "invalid_type", "limits.timeMs");
            assertEquals("limits.timeMs must be an integer", e.getMessage());
        }
    }

    @Test
    void unknownFieldsAreNamed() {
        assertError(rejected("{\"language\":\"python\",\"code\":\"x\",\"input\":\"\"}"), 400, "unknown_field", "input");
        assertError(rejected("{\"language\":\"python\",\"code\":\"x\",\"limits\":{\"cpus\":2}}"), 400, "unknown_field", "limits.cpus");
    }

    @Test
    void unsupportedLanguageListsTheInstalledOnes() {
        InvalidSubmissionException e = rejected("{\"language\":\"cobol\",\"code\":\"x\"}");
        assertError(e, 400, "unsupported_language", "language");
        assertEquals("Language not supported. The languages supported are: python, javascript, ruby", e.getMessage());
    }

    @Test
    void limitAboveMaximumNamesFieldAndMaximum() {
        InvalidSubmissionException e = rejected("{\"language\":\"python\",\"code\":\"x\",\"limits\":{\"memoryMb\":4096}}");
        assertError(e, 400, "limit_too_high", "limits.memoryMb");
        assertTrue(e.getMessage().contains("1024"), e.getMessage());
        InvalidSubmissionException huge = rejected("{\"language\":\"python\",\"code\":\"x\",\"limits\":{\"timeMs\":99999999999999}}");
        assertError(huge, 400, "limit_too_high", "limits.timeMs");
        assertTrue(huge.getMessage().contains("15000"), huge.getMessage());
    }

    @Test
    void codeOverMaximumIs413MeasuredInUtf8Bytes() {
        String fits = "é".repeat(32 * 1024);  // 65,536 bytes exactly
        validate(body(Map.of("language", "python", "code", fits)));
        InvalidSubmissionException e = rejected(body(Map.of("language", "python", "code", fits + "x")));
        assertError(e, 413, "payload_too_large", "code");
        assertTrue(e.getMessage().contains("65536"), e.getMessage());
    }

    @Test
    void stdinOverMaximumIs413() {
        String stdin = "x".repeat(1024 * 1024 + 1);
        InvalidSubmissionException e = rejected(body(Map.of("language", "python", "code", "x", "stdin", stdin)));
        assertError(e, 413, "payload_too_large", "stdin");
        assertTrue(e.getMessage().contains("1048576"), e.getMessage());
    }

    @Test
    void tooManyOrTooLongArgs() {
        List<String> many = java.util.Collections.nCopies(33, "a");
        assertError(rejected(body(Map.of("language", "python", "code", "x", "args", many))), 400, "too_many_args", "args");
        validate(body(Map.of("language", "python", "code", "x", "args", java.util.Collections.nCopies(32, "a"))));
        assertError(rejected(body(Map.of("language", "python", "code", "x", "args", List.of("a".repeat(4097))))),
                413, "payload_too_large", "args");
        assertError(rejected(body(Map.of("language", "python", "code", "x", "args", List.of("a\0b")))),
                400, "invalid_value", "args");
    }
}
