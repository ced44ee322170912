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

// scripts/codeexec-admin (curl over the admin API) against the live API: create, list, revoke, rotate;
// and scripts/env-file.sh, which writes the secrets of make up into .env.
class AdminScriptIT {
    private static final Path SCRIPT = Path.of("..", "scripts", "codeexec-admin").toAbsolutePath().normalize();
    private static final Path ENV_FILE = Path.of("..", "scripts", "env-file.sh").toAbsolutePath().normalize();

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

    @Test
    void envFileGetsEverySecretOnceAndKeepsWhatIsThere() throws Exception {
        Path env = Files.createTempDirectory("envfile").resolve(".env");
        Run created = script(ENV_FILE, env.toString());
        assertEquals(0, created.exit(), created.stderr());
        String first = Files.readString(env);
        assertTrue(first.matches("(?s)ADMIN_TOKEN=[0-9a-f]{64}\nCALLBACK_SECRET=[0-9a-f]{64}\nREDIS_PASSWORD=[0-9a-f]{64}\n"), first);
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(env)));
        assertEquals(0, script(ENV_FILE, env.toString()).exit());
        assertEquals(first, Files.readString(env), "never overwritten");

        Files.writeString(env, "ADMIN_TOKEN=mine-mine-mine-mine\nCALLBACK_SECRET=\nAUTH_MODE=keys\n");
        assertEquals(0, script(ENV_FILE, env.toString()).exit());
        String completed = Files.readString(env);
        assertTrue(completed.startsWith("ADMIN_TOKEN=mine-mine-mine-mine\nAUTH_MODE=keys\n"), completed);
        assertTrue(completed.matches("(?s).*\nCALLBACK_SECRET=[0-9a-f]{64}\nREDIS_PASSWORD=[0-9a-f]{64}\n"), "an empty value is filled in: " + completed);
    }

    private static Run script(Path script, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("bash", script.toString()));
        command.addAll(List.of(args));
        return run(new ProcessBuilder(command));
    }

    private static Run run(TestApi api, String token, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("bash", SCRIPT.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("CODEEXEC_URL", "http://localhost:" + api.server.port());
        builder.environment().put("ADMIN_TOKEN", token);
        return run(builder);
    }

    private static Run run(ProcessBuilder builder) throws IOException, InterruptedException {
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
