package io.codeexec.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The codeexec CLI as a user runs it: bin/codeexec with the jar `make cli` builds (cli/target, built
 * before this module's tests), as its own process, optionally on a pseudo-terminal (util-linux
 * `script`), its stdout and stderr captured in files.
 */
final class CliProcess implements AutoCloseable {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path WRAPPER = ROOT.resolve("bin/codeexec");
    static final Path JAR = ROOT.resolve("cli/target/codeexec-cli.jar");
    /** Resets SIGINT to its default: a child inherits "ignored" from a background parent, and a JVM then never sees Ctrl-C. */
    private static final String DEFAULT_SIGINT =
            "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])";

    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private CliProcess(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** Runs `codeexec ARGS` in dir with CODEEXEC_URL set; on a terminal when pty. */
    static CliProcess start(Path dir, String url, boolean pty, List<String> args) throws IOException {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: build the cli module first (make cli)");
        }
        List<String> command = new ArrayList<>(List.of("python3", "-c", DEFAULT_SIGINT, WRAPPER.toString()));
        command.addAll(args);
        if (pty) {
            // script runs the command on a new pseudo-terminal (-q quiet, -f flush, -e its exit status).
            command = List.of("script", "-qfec", String.join(" ", command.stream().map(CliProcess::quote).toList()), "/dev/null");
        }
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        Map<String, String> env = builder.environment();
        env.put("CODEEXEC_URL", url);
        env.put("CODEEXEC_CLI_JAR", JAR.toString());
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("COLUMNS", "160");
        Path out = Files.createTempFile(dir, "cli-", ".out");
        Path err = Files.createTempFile(dir, "cli-", ".err");
        builder.redirectOutput(out.toFile()).redirectError(err.toFile());
        if (!pty) {
            builder.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        }
        return new CliProcess(builder.start(), out, err);
    }

    static CliProcess run(Path dir, String url, String... args) throws Exception {
        CliProcess cli = start(dir, url, false, List.of(args));
        cli.waitFor(180);
        return cli;
    }

    private static String quote(String arg) {
        return "'" + arg.replace("'", "'\\''") + "'";
    }

    int waitFor(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the CLI did not finish in " + seconds + " s; stderr: " + stderr());
        }
        return process.exitValue();
    }

    int exitCode() {
        return process.exitValue();
    }

    /** The java process's pid (the python shim execs the wrapper, which execs java). */
    long pid() {
        return process.pid();
    }

    void interrupt() throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).inheritIO().start().waitFor();
    }

    String stdout() {
        return read(stdout);
    }

    String stderr() {
        return read(stderr);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
