package io.codeexec.e2e;

import static io.codeexec.e2e.Stack.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Multi-file programs through the live API on a real worker: POST /jobs (plain and graded),
 * POST /batches and POST /run/{language} run them, and path attacks are answered 400 naming the file.
 */
class MultiFileEndToEndIT {
    private static final List<Map<String, String>> PYTHON_PACKAGE = List.of(
            Map.of("name", "main.py", "content", "from pkg.calc import answer\nprint(answer())\n"),
            Map.of("name", "pkg/calc.py", "content", "from .base import BASE\ndef answer():\n    return BASE * 2\n"),
            Map.of("name", "pkg/base.py", "content", "BASE = 21\n"));
    private static Stack stack;

    @BeforeAll
    static void start() {
        stack = Stack.start(1, 2);
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    private static Map<String, Object> job(String language, Object files) {
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("language", language);
        job.put("files", files);
        return job;
    }

    /** Submits through POST /jobs and waits (on a busy machine, more than one ?wait) for the result. */
    private static JsonNode run(Map<String, Object> job) {
        HttpResponse<String> accepted = stack.post("/jobs", job);
        assertEquals(202, accepted.statusCode(), accepted.body());
        return awaitResult(json(accepted).get("id").asText());
    }

    private static JsonNode awaitResult(String id) {
        JsonNode job = json(stack.get("/jobs/" + id + "?wait=30"));
        for (int i = 0; i < 3 && !job.get("status").asText().equals("completed"); i++) {
            job = json(stack.get("/jobs/" + id + "?wait=30"));
        }
        assertEquals("completed", job.get("status").asText(), job.toString());
        return job.get("result");
    }

    private static void assertRejected(HttpResponse<String> response, String field) {
        assertEquals(400, response.statusCode(), response.body());
        JsonNode error = json(response).get("error");
        assertEquals("invalid_request", error.get("code").asText(), response.body());
        assertEquals(field, error.get("field").asText(), response.body());
    }

    @Test
    void aPythonPackageRunsThroughPostJobs() {
        JsonNode result = run(job("python", PYTHON_PACKAGE));
        assertEquals("ok", result.get("verdict").asText(), result.toString());
        assertEquals("42\n", result.get("stdout").asText());
    }

    @Test
    void aGradedMultiFileJobIsJudged() {
        Map<String, Object> job = job("java", List.of(
                Map.of("name", "util/Adder.java", "content", "package util;\npublic class Adder {\n"
                        + "  public static long add(long a, long b) { return a + b; } }\n"),
                Map.of("name", "Main.java", "content", "import util.Adder; import java.util.Scanner;\n"
                        + "public class Main { public static void main(String[] x) { Scanner in = new Scanner(System.in);\n"
                        + "  System.out.println(Adder.add(in.nextLong(), in.nextLong())); } }\n")));
        job.put("entrypoint", "Main.java");
        job.put("tests", List.of(Map.of("stdin", "1 2", "expectedOutput", "3"),
                Map.of("stdin", "40 2", "expectedOutput", "42")));
        JsonNode result = run(job);
        assertEquals("accepted", result.get("verdict").asText(), result.toString());
        assertEquals(2, result.get("passed").asInt());
    }

    @Test
    void batchesAndTheRunRouteTakeFilesToo() {
        HttpResponse<String> run = stack.post("/run/python", Map.of("files", PYTHON_PACKAGE, "input", ""));
        assertEquals(200, run.statusCode(), run.body());
        assertEquals("42\n", json(run).get("stdout").asText());

        HttpResponse<String> accepted = stack.post("/batches", Map.of("jobs", List.of(
                job("python", PYTHON_PACKAGE), Map.of("language", "python", "code", "print(1)"))));
        assertEquals(202, accepted.statusCode(), accepted.body());
        String first = json(accepted).get("jobIds").get(0).asText();
        JsonNode result = awaitResult(first);
        assertEquals("42\n", result.get("stdout").asText(), result.toString());
    }

    @Test
    void pathAttacksAreRejectedNamingTheFile() {
        for (String name : List.of("../escape.py", "/etc/passwd", "lib/CON.py", "a\\b.py", "lib//x.py")) {
            assertRejected(stack.post("/jobs", job("python", List.of(Map.of("name", "main.py", "content", ""),
                    Map.of("name", name, "content", "")))), "files[1].name");
        }
        assertRejected(stack.post("/jobs", job("python", List.of(Map.of("name", "main.py", "content", "%%%",
                "encoding", "base64")))), "files[0].content");
        assertRejected(stack.post("/batches", Map.of("jobs", List.of(Map.of("language", "python", "code", "print(1)"),
                job("python", List.of(Map.of("name", "ok.py", "content", ""), Map.of("name", "ok.py", "content", "")))))),
                "jobs[1].files[1].name");
        HttpResponse<String> legacy = stack.post("/run/python", Map.of("files", List.of(Map.of("name", "../x.py",
                "content", "print(1)"))));
        assertEquals(400, legacy.statusCode(), legacy.body());
        assertTrue(json(legacy).get("message").asText().contains("files[0].name"), legacy.body());
    }
}
