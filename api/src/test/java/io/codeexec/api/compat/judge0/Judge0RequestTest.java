package io.codeexec.api.compat.judge0;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import io.codeexec.api.compat.CompatError;
import io.codeexec.common.config.LimitPolicy;
import io.codeexec.common.job.LanguageInfo;
import io.codeexec.common.job.Limits;
import io.codeexec.common.json.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class Judge0RequestTest {
    private static final Judge0Languages LANGUAGES = new Judge0Languages(() -> List.of(
            new LanguageInfo("python", "Python", "3.13.5", false), new LanguageInfo("c", "C", "14.2.0", true)));
    private static final Limits MAXIMA = LimitPolicy.standard().maxima();

    private static Judge0Request.Translation translate(String json, boolean base64) throws Exception {
        return Judge0Request.translate(Json.MAPPER.readTree(json), base64, LANGUAGES, MAXIMA);
    }

    @Test
    void unitsAreConvertedAndExpectedOutputBecomesOneTest() throws Exception {
        JsonNode v1 = translate("""
                {"source_code": "print(input())", "language_id": "71", "stdin": "x", "expected_output": "x",
                 "cpu_time_limit": 1.5, "wall_time_limit": "4", "memory_limit": 128000, "max_file_size": 1024,
                 "max_processes_and_or_threads": 60, "command_line_arguments": " a  b ", "number_of_runs": 3}""",
                false).v1Body();
        assertEquals("python", v1.get("language").asText());
        assertFalse(v1.has("stdin"), "stdin goes into the test");
        JsonNode test = v1.get("tests").get(0);
        assertEquals("x", test.get("stdin").asText());
        assertEquals("x", test.get("expectedOutput").asText());
        assertEquals(List.of("a", "b"), Json.MAPPER.convertValue(test.get("args"), List.class));
        assertEquals("trimmed", v1.get("compare").asText());
        JsonNode limits = v1.get("limits");
        assertEquals(1500, limits.get("timeMs").asInt());
        assertEquals(4000, limits.get("wallTimeMs").asInt());
        assertEquals(125, limits.get("memoryMb").asInt(), "128000 KB rounded up to MB");
        assertEquals(1024 * 1024, limits.get("fileBytes").asLong());
        assertEquals(60, limits.get("processes").asInt());
    }

    @Test
    void base64InputsAreDecoded() throws Exception {
        Judge0Request.Translation t = translate("""
                {"source_code": "cHJpbnQoMSk=\\n", "language_id": 71, "stdin": "aGk="}""", true);
        assertEquals("print(1)", t.v1Body().get("code").asText());
        assertEquals("hi", t.v1Body().get("stdin").asText());
        assertEquals("print(1)", t.attributes().get("source_code").asText(), "kept decoded, encoded again on output");
    }

    @Test
    void everyFailingFieldIsReportedAt422() {
        CompatError e = assertThrows(CompatError.class, () -> translate("""
                {"language_id": 4, "cpu_time_limit": "fast", "memory_limit": 100, "wall_time_limit": 100000,
                 "enable_network": true, "additional_files": "UEsDBA==", "compiler_options": "-O2"}""", false));
        assertEquals(422, e.status());
        Map<?, ?> errors = (Map<?, ?>) e.body();
        assertEquals(List.of("can't be blank"), errors.get("source_code"));
        assertEquals(List.of("language with id 4 doesn't exist"), errors.get("language_id"));
        assertEquals(List.of("is not a number"), errors.get("cpu_time_limit"));
        assertEquals(List.of("must be greater than or equal to 2048"), errors.get("memory_limit"));
        assertEquals(List.of("must be less than or equal to " + MAXIMA.wallTimeMs() / 1000), errors.get("wall_time_limit"));
        assertEquals(List.of("enabling network is not allowed"), errors.get("enable_network"));
        assertEquals(List.of("setting additional files is not allowed"), errors.get("additional_files"));
    }

    @Test
    void compilerOptionsOnlyForCompiledLanguages() {
        CompatError e = assertThrows(CompatError.class, () -> translate(
                "{\"source_code\": \"x\", \"language_id\": 71, \"compiler_options\": \"-O2\"}", false));
        assertEquals(List.of("setting compiler options is only allowed for compiled languages"),
                ((Map<?, ?>) e.body()).get("compiler_options"));
    }
}
