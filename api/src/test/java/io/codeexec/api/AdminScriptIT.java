package io.codeexec.api;

import static io.codeexec.api.Tenants.python;
import static io.codeexec.api.Tenants.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.codeexec.common.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

// scripts/codeexec-admin (curl over the admin API) against the live API: create, list, revoke, rotate.
class AdminScriptIT {
    private static final Path SCRIPT = Path.of("..", "scripts", "codeexec-admin").toAbsolutePath().normalize();

    record Run(int exit, String stdout, String stderr) {}

    @Test
    void createListRotateRevoke() throws Exception {
        try (TestApi api = Tenants.keysApi()) {
            Run created = run(api, Tenants.ADMIN_TOKEN, "create", "--name", "alice \"the grader\"", "--tenant", "alice",
                    "--plan", "{\"submissionsPerMinute\": 7}");
            assertEquals(0, created.exit(), created.stdout() + created.stderr());
            JsonNode key = Json.read(created.stdout(), JsonNode.class);
            assertEquals("alice \"the grader\"", key.get("name").asText(), "names are JSON-escaped");
            assertEquals(7, key.get("plan").get("submissionsPerMinute").asInt());
            assertTrue(created.stderr().contains("shown only now"));
            assertEquals(202, send(api, key.get("key").asText(), "POST", "/jobs", python("print(1)")).statusCode());

            Run list = run(api, Tenants.ADMIN_TOKEN, "list");
            assertEquals(0, list.exit(), list.stderr());
            assertTrue(list.stdout().contains(key.get("id").asText()));

            Run rotated = run(api, Tenants.ADMIN_TOKEN, "rotate", key.get("id").asText());
            assertEquals(0, rotated.exit(), rotated.stderr());
            assertTrue(rotated.stdout().contains("callbackSecret"));

            Run revoked = run(api, Tenants.ADMIN_TOKEN, "revoke", key.get("id").asText());
            assertEquals(0, revoked.exit(), revoked.stderr());
            assertEquals(403, send(api, key.get("key").asText(), "POST", "/jobs", python("print(1)")).statusCode());

            Run refused = run(api, "wrong-token-wrong-token", "list");
            assertEquals(1, refused.exit());
            assertTrue(refused.stderr().contains("HTTP 401") && refused.stderr().contains("unauthorized"), refused.stderr());
            Run bad = run(api, Tenants.ADMIN_TOKEN, "create", "--name", "x", "--plan", "{\"maxQueued\": -1}");
            assertEquals(1, bad.exit());
            assertTrue(bad.stderr().contains("plan.maxQueued"), bad.stderr());
        }
    }

    private static Run run(TestApi api, String token, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("bash", SCRIPT.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("CODEEXEC_URL", "http://localhost:" + api.server.port());
        builder.environment().put("ADMIN_TOKEN", token);
        Path out = Files.createTempFile("admin", ".out");
        Path err = Files.createTempFile("admin", ".err");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the script finished");
        Run run = new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return run;
    }
}
