package io.codeexec.api.compat.piston;

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

class PistonRequestTest {
    private static final PistonRuntimes RUNTIMES = new PistonRuntimes(() -> List.of(
            new LanguageInfo("python", "Python", "3.13.5", false), new LanguageInfo("cpp", "C++", "14.2.0", true)));
    private static final Limits MAXIMA = LimitPolicy.standard().maxima();

    private static PistonRequest.Translation translate(String json) throws Exception {
        return PistonRequest.translate(Json.MAPPER.readTree(json), RUNTIMES, MAXIMA);
    }

    private static String error(String json) {
        CompatError e = assertThrows(CompatError.class, () -> translate(json));
        assertEquals(400, e.status());
        return ((Map<?, ?>) e.body()).get("message").toString();
    }

    @Test
    void oneFileBecomesCodeWithStdinArgsAndLimits() throws Exception {
        PistonRequest.Translation t = translate("""
                {"language": "py", "version": "3.x", "files": [{"name": "x.py", "content": "print(1)"}],
                 "stdin": "in", "args": ["a"], "run_timeout": 2500, "run_cpu_time": 1000,
                 "run_memory_limit": 100000000, "compile_memory_limit": -1, "compile_timeout": 0}""");
        assertEquals("python", t.runtime().id());
        JsonNode v1 = t.v1Body();
        assertEquals("python", v1.get("language").asText());
        assertEquals("print(1)", v1.get("code").asText());
        assertEquals("in", v1.get("stdin").asText());
        assertEquals("a", v1.get("args").get(0).asText());
        JsonNode limits = v1.get("limits");
        assertEquals(2500, limits.get("wallTimeMs").asInt());
        assertEquals(1000, limits.get("timeMs").asInt());
        assertEquals(96, limits.get("memoryMb").asInt(), "100,000,000 bytes rounded up to MiB");
        assertEquals(MAXIMA.compileMemoryMb(), limits.get("compileMemoryMb").asInt(), "-1 = no limit = our maximum");
        assertFalse(limits.has("compileTimeMs"), "0 is skipped, as Piston skips falsy values");
    }

    @Test
    void severalFilesBecomeFilesWithTheFirstUtf8FileAsEntrypoint() throws Exception {
        JsonNode v1 = translate("""
                {"language": "c++", "version": "*", "files": [
                  {"name": "data.bin", "content": "00ff", "encoding": "hex"},
                  {"name": "main.cpp", "content": "int main(){}"},
                  {"content": "// second"}]}""").v1Body();
        assertFalse(v1.has("code"));
        assertEquals("main.cpp", v1.get("entrypoint").asText());
        JsonNode files = v1.get("files");
        assertEquals("AP8=", files.get(0).get("content").asText(), "hex is re-encoded as base64 for v1");
        assertEquals("base64", files.get(0).get("encoding").asText());
        assertEquals("file2.code", files.get(2).get("name").asText(), "Piston's default name");
    }

    @Test
    void errorsArePistonsMessages() {
        assertEquals("language is required as a string", error("{\"version\": \"*\", \"files\": []}"));
        assertEquals("version is required as a string", error("{\"language\": \"py\", \"files\": []}"));
        assertEquals("files is required as an array", error("{\"language\": \"py\", \"version\": \"*\", \"files\": {}}"));
        assertEquals("files[1].content is required as a string",
                error("{\"language\": \"py\", \"version\": \"*\", \"files\": [{\"content\": \"\"}, {}]}"));
        assertEquals("py-4 runtime is unknown", error("{\"language\": \"py\", \"version\": \"4\", \"files\": []}"));
        assertEquals("ruby-* runtime is unknown", error("{\"language\": \"ruby\", \"version\": \"*\", \"files\": []}"));
        assertEquals("files must include at least one utf8 encoded file", error(
                "{\"language\": \"py\", \"version\": \"*\", \"files\": [{\"content\": \"eA==\", \"encoding\": \"base64\"}]}"));
        String base = "{\"language\": \"py\", \"version\": \"*\", \"files\": [{\"content\": \"x\"}], ";
        assertEquals("If specified, run_cpu_time must be a number", error(base + "\"run_cpu_time\": \"1\"}"));
        assertEquals("run_cpu_time cannot exceed the configured limit of " + MAXIMA.timeMs(),
                error(base + "\"run_cpu_time\": " + (MAXIMA.timeMs() + 1) + "}"));
        assertEquals("run_timeout must be non-negative", error(base + "\"run_timeout\": -5}"));
    }
}
