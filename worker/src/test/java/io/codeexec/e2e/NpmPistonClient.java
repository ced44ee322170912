package io.codeexec.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.codeexec.common.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Piston client, unchanged: the npm package piston-client (1.0.2, api/src/test/node/piston-client)
 * run with node (check.mjs) against a live Piston v2 API; what it got comes back as JSON. It is installed
 * with `npm ci` into target/ (kept between runs); node and npm come from scripts/ensure-node.sh, and their
 * absence fails the test with a message saying so, never skips it.
 */
final class NpmPistonClient {
    private static final Path PROJECT = Path.of("../api/src/test/node/piston-client");
    private static final Path WORK = Path.of("target/piston-client");
    private static final long NPM_TIMEOUT_SECONDS = 180;
    private static final long CHECK_TIMEOUT_SECONDS = 120;

    private NpmPistonClient() {}

    /** Installs the client if needed and runs check.mjs against baseUrl; its JSON output. */
    static JsonNode check(String baseUrl) throws IOException, InterruptedException {
        Files.createDirectories(WORK);
        requireTool("node");
        requireTool("npm");
        install();
        return Json.MAPPER.readTree(run(List.of("node", "check.mjs", baseUrl), CHECK_TIMEOUT_SECONDS));
    }

    private static void requireTool(String tool) throws InterruptedException {
        try {
            run(List.of(tool, "--version"), 30);
        } catch (IOException | AssertionError e) {
            throw new AssertionError(tool + " is missing: run `bash scripts/ensure-node.sh` (make test does) — " + e.getMessage());
        }
    }

    /** Copies the client project into target/ and runs `npm ci` when its lock file changed (or on first use). */
    private static void install() throws IOException, InterruptedException {
        Files.createDirectories(WORK);
        for (String file : List.of("package.json", "package-lock.json", "check.mjs")) {
            Files.copy(PROJECT.resolve(file), WORK.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        Path installedLock = WORK.resolve("node_modules/.package-lock.json");
        Path stamp = WORK.resolve("node_modules/.codeexec-lock");
        String lock = Files.readString(WORK.resolve("package-lock.json"));
        if (Files.exists(installedLock) && Files.exists(stamp) && Files.readString(stamp).equals(lock)) {
            return;
        }
        run(List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"), NPM_TIMEOUT_SECONDS);
        Files.writeString(stamp, lock);
    }

    /** Runs a command in WORK; its stdout, or AssertionError with its output when it fails or hangs. */
    private static String run(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(WORK.toFile()).redirectErrorStream(false).start();
        var stdout = process.getInputStream();
        var stderr = process.getErrorStream();
        var out = new java.io.ByteArrayOutputStream();
        var err = new java.io.ByteArrayOutputStream();
        Thread outReader = Thread.ofVirtual().start(() -> copy(stdout, out));
        Thread errReader = Thread.ofVirtual().start(() -> copy(stderr, err));
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s");
        }
        outReader.join();
        errReader.join();
        if (process.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " exited " + process.exitValue() + ": "
                    + err.toString(StandardCharsets.UTF_8) + out.toString(StandardCharsets.UTF_8));
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void copy(java.io.InputStream in, java.io.OutputStream out) {
        try {
            in.transferTo(out);
        } catch (IOException e) {
            // The process ended; what was read is enough for the message.
        }
    }
}
