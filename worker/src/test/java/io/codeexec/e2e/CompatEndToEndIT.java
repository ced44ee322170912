package io.codeexec.e2e;

import static io.codeexec.e2e.Stack.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.codeexec.common.job.LanguageCatalog;
import io.codeexec.common.json.Json;
import io.codeexec.worker.callback.CallbackConfig;
import java.net.InetSocketAddress;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Piston v2 and Judge0 CE compatible APIs against the real stack (Redis, a real worker, the runner
 * images), with requests written from Piston's docs/api-v2.md and Judge0's docs/api (hello world,
 * stdin, args, compile and runtime errors, time limits, base64, wait, fields, batches, error answers).
 * And a real Piston client: the npm piston-client, run with node ({@link NpmPistonClient}).
 */
class CompatEndToEndIT {
    private static Stack stack;

    @BeforeAll
    static void start() throws InterruptedException {
        stack = Stack.start(0, 2);
        // Judge0 callbacks go to a receiver on this machine: the worker must be allowed private addresses.
        stack.addWorker("compat-" + System.nanoTime(), 2, Stack.DOCKER_HOST, new LanguageCatalog(
                LanguageCatalog.DEFAULT_IMAGE_PREFIX, System.getenv().getOrDefault("RUNNER_IMAGE_TAG",
                LanguageCatalog.DEFAULT_IMAGE_TAG)), new CallbackConfig("", 3, Duration.ofMillis(200), Duration.ofSeconds(5), true));
        awaitLanguages(stack, 8);
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    /** Workers publish languages after probing their images; the adapters only know installed ones. */
    static void awaitLanguages(Stack stack, int count) throws InterruptedException {
        for (int i = 0; i < 1800 && json(stack.get("/languages")).size() < count; i++) {
            Thread.sleep(100);
        }
        assertEquals(count, json(stack.get("/languages")).size(), "every runner image answered its probe");
    }

    private static JsonNode execute(Map<String, Object> body) {
        HttpResponse<String> response = stack.post("/api/v2/execute", body);
        assertEquals(200, response.statusCode(), response.body());
        return json(response);
    }

    private static Map<String, Object> piston(String language, String code, Object... more) {
        Map<String, Object> body = new java.util.LinkedHashMap<>(Map.of("language", language, "version", "*",
                "files", List.of(Map.of("content", code))));
        for (int i = 0; i < more.length; i += 2) {
            body.put((String) more[i], more[i + 1]);
        }
        return body;
    }

    // --- Piston v2

    @Test
    void pistonRuntimesListOurLanguagesWithPistonNamesAndAliases() {
        JsonNode runtimes = json(stack.get("/api/v2/runtimes"));
        JsonNode js = find(runtimes, "javascript");
        assertEquals("node", js.get("runtime").asText());
        assertTrue(js.get("aliases").toString().contains("\"js\""), js.toString());
        assertTrue(js.get("version").asText().matches("\\d+\\.\\d+\\.\\d+"), js.toString());
        assertEquals("gcc", find(runtimes, "c++").get("runtime").asText());
        assertTrue(find(runtimes, "python").get("aliases").toString().contains("py"));
        assertTrue(find(runtimes, "python").get("runtime") == null, "runtime only where Piston shows one");
    }

    private static JsonNode find(JsonNode runtimes, String language) {
        for (JsonNode rt : runtimes) {
            if (rt.get("language").asText().equals(language)) {
                return rt;
            }
        }
        throw new AssertionError("no runtime " + language + " in " + runtimes);
    }

    @Test
    void pistonDocumentationExampleRunsWithArgs() {
        // docs/api-v2.md's example, with our version (theirs is node 15.10.0).
        String version = find(json(stack.get("/api/v2/runtimes")), "javascript").get("version").asText();
        JsonNode answer = execute(Map.of("language", "js", "version", version,
                "files", List.of(Map.of("name", "my_cool_code.js", "content", "console.log(process.argv.slice(2))")),
                "stdin", "", "args", List.of("1", "2", "3"), "compile_timeout", 10000, "run_timeout", 10000,  // doc: 3000; the CI box is shared
                "compile_memory_limit", -1, "run_memory_limit", -1));
        assertEquals("javascript", answer.get("language").asText());
        assertEquals(version, answer.get("version").asText());
        JsonNode run = answer.get("run");
        assertEquals("[ '1', '2', '3' ]\n", run.get("stdout").asText(), run.toString());
        assertEquals(run.get("stdout").asText(), run.get("output").asText());
        assertEquals(0, run.get("code").asInt());
        assertTrue(run.get("signal").isNull());
        assertTrue(run.get("status").isNull());
        assertTrue(run.get("wall_time").asLong() > 0 && run.get("memory").asLong() > 0, run.toString());
        assertTrue(answer.get("compile") == null, "no compile stage for an interpreted language");
    }

    @Test
    void pistonStdinSemverRangesAndRuntimeErrors() {
        JsonNode run = execute(piston("py", "import sys\nprint(input()[::-1])\nsys.stderr.write('e')\nsys.exit(3)",
                "stdin", "olleh")).get("run");
        assertEquals("hello\n", run.get("stdout").asText());
        assertEquals("e", run.get("stderr").asText());
        assertEquals("hello\ne", run.get("output").asText());
        assertEquals(3, run.get("code").asInt());
        assertEquals("RE", run.get("status").asText());
        assertEquals(200, stack.post("/api/v2/execute", piston("python3", "print(1)", "version", ">=3.0.0 <99")).statusCode());
        HttpResponse<String> noMatch = stack.post("/api/v2/execute", piston("python", "print(1)", "version", "2.x"));
        assertEquals(400, noMatch.statusCode());
        assertEquals("python-2.x runtime is unknown", json(noMatch).get("message").asText());
    }

    @Test
    void pistonCompileErrorAnswersTheCompileStageAsRun() {
        JsonNode answer = execute(piston("c++", "int main( { return 0; }"));
        JsonNode compile = answer.get("compile");
        assertNotNull(compile, answer.toString());
        assertNotEquals(0, compile.get("code").asInt());
        assertTrue(compile.get("stderr").asText().contains("error"), compile.toString());
        assertEquals(compile, answer.get("run"), "Piston answers run = compile when compiling failed");

        JsonNode ok = execute(piston("gcc", "#include <stdio.h>\nint main(){puts(\"hi\");return 0;}"));
        assertEquals(0, ok.get("compile").get("code").asInt());
        assertEquals("hi\n", ok.get("run").get("stdout").asText());
        assertEquals("c", ok.get("language").asText());
    }

    @Test
    void pistonTimeLimitIsStatusToWithSigkill() {
        JsonNode run = execute(piston("python", "while True: pass", "run_timeout", 1000, "run_cpu_time", 500)).get("run");
        assertEquals("TO", run.get("status").asText(), run.toString());
        assertEquals("SIGKILL", run.get("signal").asText());
        assertTrue(run.get("code").isNull());
    }

    @Test
    void pistonErrorsAreMessagesWithPistonsStatusCodes() throws Exception {
        assertPistonError(Map.of("language", "python", "files", List.of()), 400, "version is required as a string");
        assertPistonError(Map.of("language", "python", "version", "*"), 400, "files is required as an array");
        assertPistonError(Map.of("language", "python", "version", "*", "files", List.of(Map.of("name", "a"))), 400,
                "files[0].content is required as a string");
        assertPistonError(Map.of("language", "cobol", "version", "*", "files", List.of(Map.of("content", "x"))), 400,
                "cobol-* runtime is unknown");
        assertPistonError(piston("python", "cHJpbnQoMSk=", "files", List.of(Map.of("content", "cHJpbnQoMSk=",
                "encoding", "base64"))), 400, "files must include at least one utf8 encoded file");
        assertPistonError(piston("python", "print(1)", "run_timeout", 10_000_000), 400,
                "run_timeout cannot exceed the configured limit of 30000");
        assertPistonError(piston("python", "print(1)", "run_timeout", "3000"), 400, "If specified, run_timeout must be a number");
        HttpResponse<String> xml = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + stack.api.port() + "/api/v2/execute"))
                .header("Content-Type", "application/xml").POST(HttpRequest.BodyPublishers.ofString("<a/>")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(415, xml.statusCode());
        assertEquals("requests must be of type application/json", json(xml).get("message").asText());
        assertEquals(400, stack.post("/api/v2/execute", "{not json").statusCode());
    }

    private static void assertPistonError(Map<String, Object> body, int status, String message) {
        HttpResponse<String> response = stack.post("/api/v2/execute", body);
        assertEquals(status, response.statusCode(), response.body());
        assertEquals(Map.of("message", message), Json.MAPPER.convertValue(json(response), Map.class));
    }

    @Test
    void theNpmPistonClientRunsCodeUnchanged() throws Exception {
        JsonNode got = NpmPistonClient.check("http://localhost:" + stack.api.port());
        String output = got.toString();
        assertTrue(got.get("runtimes").toString().contains("\"language\":\"python\""), output);
        // The client sends args ["1", "2", "3"] unless told otherwise.
        assertEquals("Hello from ['1', '2', '3']\n", got.get("python").get("run").get("stdout").asText(), output);
        assertEquals("python", got.get("python").get("language").asText());
        assertEquals("SHOUT\n", got.get("stdin").get("run").get("stdout").asText(), output);
        assertNotEquals(0, got.get("compileError").get("compile").get("code").asInt(), output);
        assertEquals("cobol-* runtime is unknown", got.get("unknown").get("message").asText(), output);
    }

    /** Needs v1 multi-file programs (the files branch): until then the v1 validator refuses files. */
    @Test
    void pistonMultiFileProgramRunsTheFirstFile() {
        HttpResponse<String> response = stack.post("/api/v2/execute", Map.of("language", "python", "version", "*",
                "files", List.of(Map.of("name", "main.py", "content", "import helper\nprint(helper.greet())"),
                        Map.of("name", "helper.py", "content", "def greet():\n    return 'hi from helper'"),
                        Map.of("name", "data.bin", "content", "AAE=", "encoding", "base64"))));
        Assumptions.assumeFalse(response.statusCode() == 400 && response.body().contains("Unknown field 'files'"),
                "needs v1 multi-file programs (files branch): " + response.body());
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("hi from helper\n", json(response).get("run").get("stdout").asText());
    }

    // --- Judge0 CE

    @Test
    void judge0LanguagesStatusesAndAbout() {
        JsonNode languages = json(stack.get("/judge0/languages"));
        assertEquals(8, languages.size(), languages.toString());
        String ids = languages.findValuesAsText("id").toString();
        for (String id : List.of("71", "63", "72", "50", "54", "62", "60", "73")) {
            assertTrue(ids.contains(id), ids);
        }
        String python = json(stack.get("/languages")).get(0).get("version").asText();
        JsonNode detail = json(stack.get("/judge0/languages/71"));
        assertTrue(detail.get("name").asText().startsWith("Python (") && detail.get("name").asText().contains(python),
                detail.toString());
        assertEquals("main.py", detail.get("source_file").asText());
        assertTrue(detail.get("compile_cmd").isNull());
        assertTrue(json(stack.get("/judge0/languages/54")).get("compile_cmd").isTextual(), "C++ compiles");
        HttpResponse<String> missing = stack.get("/judge0/languages/1");
        assertEquals(404, missing.statusCode());
        assertTrue(json(missing).has("error"));
        JsonNode statuses = json(stack.get("/judge0/statuses"));
        assertEquals(14, statuses.size());
        assertEquals("Runtime Error (NZEC)", statuses.get(10).get("description").asText());
        assertEquals(11, statuses.get(10).get("id").asInt());
        assertTrue(json(stack.get("/judge0/about")).has("version"));
    }

    private static JsonNode judge0Wait(Map<String, Object> body, String query) {
        HttpResponse<String> response = stack.post("/judge0/submissions?wait=true" + query, body);
        assertEquals(201, response.statusCode(), response.body());
        return json(response);
    }

    @Test
    void judge0DocumentationExampleWithWaitIsAccepted() {
        // docs/api/submissions/create_a_submission.md, "Waiting for submission to finish" (C is 50 here, not 4).
        JsonNode s = judge0Wait(Map.of("source_code",
                "#include <stdio.h>\n\nint main(void) {\n  char name[10];\n  scanf(\"%s\", name);\n  printf(\"hello, %s\\n\", name);\n  return 0;\n}",
                "language_id", "50", "stdin", "Judge0", "expected_output", "hello, Judge0"), "");
        assertEquals(List.of("token", "time", "memory", "stdout", "stderr", "compile_output", "message", "status"),
                iterable(s));
        assertEquals("hello, Judge0\n", s.get("stdout").asText());
        assertTrue(s.get("stderr").isNull() && s.get("message").isNull(), s.toString());
        assertEquals(3, s.get("status").get("id").asInt());
        assertEquals("Accepted", s.get("status").get("description").asText());
        assertTrue(s.get("time").isTextual() && s.get("memory").asLong() > 0, s.toString());
        assertTrue(s.get("token").asText().matches("[0-9a-f]{32}"));
    }

    private static List<String> iterable(JsonNode object) {
        List<String> names = new java.util.ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void judge0VerdictsMapToStatusIds() {
        assertEquals(4, judge0Wait(Map.of("source_code", "print('no')", "language_id", 71, "expected_output", "yes"), "")
                .get("status").get("id").asInt());
        JsonNode ce = judge0Wait(Map.of("source_code", "int main( {", "language_id", 50), "");
        assertEquals(6, ce.get("status").get("id").asInt(), ce.toString());
        assertTrue(ce.get("compile_output").asText().contains("error"));
        JsonNode nzec = judge0Wait(Map.of("source_code", "import sys\nsys.exit(2)", "language_id", 71),
                "&fields=status_id,exit_code,exit_signal,language_id");
        assertEquals(11, nzec.get("status_id").asInt(), nzec.toString());
        assertEquals(2, nzec.get("exit_code").asInt());
        assertTrue(nzec.get("exit_signal").isNull());
        assertEquals(71, nzec.get("language_id").asInt());
        assertEquals(List.of("status_id", "exit_code", "exit_signal", "language_id"), iterable(nzec));
        JsonNode segv = judge0Wait(Map.of("source_code", "int main(void){ volatile int *p = 0; return *p; }",
                "language_id", 50), "&fields=status,exit_signal");
        assertEquals(7, segv.get("status").get("id").asInt(), segv.toString());
        assertEquals(11, segv.get("exit_signal").asInt());
        JsonNode tle = judge0Wait(Map.of("source_code", "while True: pass", "language_id", 71, "cpu_time_limit", 0.5), "");
        assertEquals(5, tle.get("status").get("id").asInt(), tle.toString());
    }

    @Test
    void judge0Base64BothWaysAndFields() {
        Base64.Encoder b64 = Base64.getEncoder();
        JsonNode s = judge0Wait(Map.of("source_code", b64.encodeToString("print(input() * 2)".getBytes()),
                "language_id", 71, "stdin", b64.encodeToString("ab".getBytes())), "&base64_encoded=true&fields=*");
        assertEquals("abab\n", new String(Base64.getMimeDecoder().decode(s.get("stdout").asText()), StandardCharsets.UTF_8));
        assertEquals("print(input() * 2)", new String(Base64.getMimeDecoder().decode(s.get("source_code").asText())));
        assertEquals(71, s.get("language_id").asInt());
        assertEquals("Python", s.get("language").get("name").asText().substring(0, 6));
        String token = s.get("token").asText();
        JsonNode plain = json(stack.get("/judge0/submissions/" + token + "?fields=stdout,stdin,status_id"));
        assertEquals(Map.of("stdout", "abab\n", "stdin", "ab", "status_id", 3), Json.MAPPER.convertValue(plain, Map.class));
        HttpResponse<String> bad = stack.get("/judge0/submissions/" + token + "?fields=stdout,nope");
        assertEquals(400, bad.statusCode());
        assertEquals("invalid fields: [nope]", json(bad).get("error").asText());
    }

    @Test
    void judge0SubmitThenPollByToken() throws InterruptedException {
        HttpResponse<String> created = stack.post("/judge0/submissions", Map.of("source_code", "puts gets.upcase",
                "language_id", 72, "stdin", "ruby"));
        assertEquals(201, created.statusCode(), created.body());
        assertEquals(1, json(created).size(), "only the token without wait");
        String token = json(created).get("token").asText();
        JsonNode s = null;
        for (int i = 0; i < 300; i++) {
            s = json(stack.get("/judge0/submissions/" + token));
            if (s.get("status").get("id").asInt() > 2) {
                break;
            }
            Thread.sleep(100);
        }
        assertEquals(3, s.get("status").get("id").asInt(), s.toString());
        assertEquals("RUBY\n", s.get("stdout").asText());
        HttpResponse<String> unknown = stack.get("/judge0/submissions/0123456789abcdef0123456789abcdef");
        assertEquals(404, unknown.statusCode());
        assertTrue(json(unknown).has("error"));
    }

    @Test
    void judge0BatchCreateAndRead() throws InterruptedException {
        HttpResponse<String> created = stack.post("/judge0/submissions/batch", Map.of("submissions", List.of(
                Map.of("source_code", "console.log(1+1)", "language_id", 63),
                Map.of("source_code", "x", "language_id", 150000),
                Map.of("source_code", "fn main(){println!(\"rs\");}", "language_id", 73))));
        assertEquals(201, created.statusCode(), created.body());
        JsonNode answer = json(created);
        assertEquals("language with id 150000 doesn't exist", answer.get(1).get("language_id").get(0).asText());
        String tokens = answer.get(0).get("token").asText() + "," + answer.get(2).get("token").asText()
                + ",0123456789abcdef0123456789abcdef";
        JsonNode read = null;
        for (int i = 0; i < 300; i++) {
            read = json(stack.get("/judge0/submissions/batch?tokens=" + tokens + "&fields=stdout,status_id"));
            if (read.get("submissions").get(0).get("status_id").asInt() > 2
                    && read.get("submissions").get(1).get("status_id").asInt() > 2) {
                break;
            }
            Thread.sleep(100);
        }
        JsonNode submissions = read.get("submissions");
        assertEquals("2\n", submissions.get(0).get("stdout").asText(), read.toString());
        assertEquals("rs\n", submissions.get(1).get("stdout").asText(), read.toString());
        assertTrue(submissions.get(2).isNull());
        assertEquals(400, stack.post("/judge0/submissions/batch", Map.of("submissions", List.of())).statusCode());
    }

    @Test
    void judge0ValidationErrorsAre422ByField() {
        HttpResponse<String> response = stack.post("/judge0/submissions", Map.of("source_code", "print(1)",
                "wall_time_limit", 100000, "memory_limit", 100, "enable_network", true));
        assertEquals(422, response.statusCode(), response.body());
        JsonNode errors = json(response);
        assertEquals("can't be blank", errors.get("language_id").get(0).asText());
        assertEquals("must be less than or equal to 30", errors.get("wall_time_limit").get(0).asText());
        assertEquals("must be greater than or equal to 2048", errors.get("memory_limit").get(0).asText());
        assertEquals("enabling network is not allowed", errors.get("enable_network").get(0).asText());
        HttpResponse<String> options = stack.post("/judge0/submissions", Map.of("source_code", "int main(){}",
                "language_id", 50, "compiler_options", "-fplugin=evil.so"));
        assertEquals(422, options.statusCode());
        assertTrue(json(options).get("compiler_options").get(0).asText().contains("not allowed"), options.body());
    }

    @Test
    void judge0CallbackIsAPutOfTheSubmissionBase64Encoded() throws Exception {
        BlockingQueue<String[]> received = new LinkedBlockingQueue<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/judge0-hook", exchange -> {
            received.add(new String[] {exchange.getRequestMethod(), exchange.getRequestHeaders().getFirst("Content-Type"),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)});
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        try {
            String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/judge0-hook";
            HttpResponse<String> created = stack.post("/judge0/submissions", Map.of("source_code", "print('cb')",
                    "language_id", 71, "callback_url", url));
            assertEquals(201, created.statusCode(), created.body());
            String[] delivery = received.poll(60, TimeUnit.SECONDS);
            assertNotNull(delivery, "the callback arrived");
            assertEquals("PUT", delivery[0]);
            assertEquals("application/json", delivery[1]);
            JsonNode body = Json.MAPPER.readTree(delivery[2]);
            assertEquals(Judge0Fields.DEFAULT, iterable(body));
            assertEquals(json(created).get("token").asText(), body.get("token").asText());
            assertEquals(3, body.get("status").get("id").asInt());
            assertEquals("cb\n", new String(Base64.getMimeDecoder().decode(body.get("stdout").asText()), StandardCharsets.UTF_8));
        } finally {
            receiver.stop(0);
        }
        HttpResponse<String> bad = stack.post("/judge0/submissions", Map.of("source_code", "print(1)", "language_id", 71,
                "callback_url", "ftp://example.com/x"));
        assertEquals(422, bad.statusCode(), bad.body());
        assertTrue(json(bad).get("callback_url").get(0).asText().contains("http"), bad.body());
    }

    private static final class Judge0Fields {
        static final List<String> DEFAULT = List.of("token", "time", "memory", "stdout", "stderr", "compile_output",
                "message", "status");
    }
}
