package io.codeexec.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.codeexec.cli.api.ApiClient;
import io.codeexec.cli.api.ApiException;
import io.codeexec.common.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * `codeexec run FILE…`: submits one job (one file as code, several or a folder as files), waits for it
 * and replays its output: the program's stdout on stdout, its stderr (and a compiler's complaints) on
 * stderr, its exit status as ours. Ctrl-C cancels the job (it is this command's own program).
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run a program on the server and print its output.",
                "One FILE is sent as the program; several FILEs (the first is the entrypoint, names are taken "
                        + "relative to its folder) or one folder as a multi-file program."})
public final class RunCommand implements Callable<Integer> {
    /** Seconds one long-poll asks the server to wait (the server's default maximum is 30). */
    static final int WAIT_SECONDS = 20;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "The program's files (or one folder).")
    List<Path> files = new ArrayList<>();

    @Option(names = {"-l", "--lang"}, paramLabel = "LANG", description = "Language id (default: from the entrypoint's extension).")
    String language;

    @Option(names = "--stdin", paramLabel = "FILE", description = "File given to the program as stdin ('-': our own stdin).")
    String stdin;

    @Option(names = "--arg", paramLabel = "ARG", description = "A program argument (repeatable).")
    List<String> args = new ArrayList<>();

    @Mixin
    LimitOptions limits;

    @Mixin
    Connection connection;

    private int waitSeconds = WAIT_SECONDS;

    @Override
    public Integer call() throws Exception {
        String lang = language != null ? language : guessLanguage();
        ProgramSource program = files.size() == 1 && Files.isDirectory(files.get(0))
                ? ProgramSource.ofFolder(files.get(0), lang) : ProgramSource.ofFiles(files);
        ObjectNode body = Json.MAPPER.createObjectNode().put("language", lang);
        program.writeInto(body);
        if (stdin != null) {
            body.put("stdin", readStdin());
        }
        if (!args.isEmpty()) {
            body.set("args", Json.MAPPER.valueToTree(args));
        }
        limits.writeInto(body);

        ApiClient client = connection.client();
        Optional<String> key = Optional.of(UUID.randomUUID().toString());
        JsonNode job;
        try (CtrlC ctrlC = CtrlC.install()) {
            ctrlC.interruptible(true);
            String id = null;
            try {
                id = submit(client, body, key);
                job = awaitFinal(client, id);
            } catch (InterruptedException e) {
                ctrlC.interruptible(false);
                // Interrupted mid-submission: the same key answers with the job the first try made (or makes it), never a second.
                cancel(client, id != null ? id : submit(client, body, key));
                return ExitCodes.INTERRUPTED;
            }
            ctrlC.interruptible(false);
        }
        replay(job);
        return RunExit.of(job);
    }

    private static String submit(ApiClient client, ObjectNode body, Optional<String> key) throws InterruptedException {
        return client.post("/jobs", body, key).body().path("id").asText();
    }

    private JsonNode awaitFinal(ApiClient client, String id) throws InterruptedException {
        while (true) {
            try {
                JsonNode job = client.get("/jobs/" + id + "?wait=" + waitSeconds).body();
                if (isFinal(job)) {
                    return job;
                }
            } catch (ApiException e) {
                if (!slowerWait(e)) {
                    throw e;
                }
            }
        }
    }

    /** Ctrl-C on `run` abandons the program, like Ctrl-C on a local one: its job is cancelled. */
    private static void cancel(ApiClient client, String id) throws InterruptedException {
        try {
            client.delete("/jobs/" + id);
            System.err.println("codeexec: interrupted; job " + id + " cancelled");
        } catch (ApiException e) {
            System.err.println("codeexec: interrupted; job " + id + " was not cancelled: " + e.getMessage());
        }
    }

    /** A server whose MAX_WAIT_SECONDS is below ours refuses ?wait (400, field "wait"): poll each second instead. */
    private boolean slowerWait(ApiException e) {
        if (!"wait".equals(e.field()) || waitSeconds == 1) {
            return false;
        }
        waitSeconds = 1;
        return true;
    }

    private String guessLanguage() {
        Path entry = files.get(0);
        if (Files.isDirectory(entry)) {
            throw CliException.usage("give --lang for a folder");
        }
        return Languages.ofFile(entry).orElseThrow(() -> CliException.usage(
                "cannot tell the language of " + entry + " from its extension (known: " + Languages.known()
                        + "); give --lang"));
    }

    private String readStdin() throws IOException {
        if (stdin.equals("-")) {
            InputStream in = System.in;
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        return ProgramSource.readText(Path.of(stdin));
    }

    static boolean isFinal(JsonNode job) {
        String status = job.path("status").asText();
        return job.has("result") && (status.equals("completed") || status.equals("cancelled"));
    }

    private static void replay(JsonNode job) {
        JsonNode result = job.path("result");
        PrintStream out = System.out;
        PrintStream err = System.err;
        if (result.hasNonNull("compileOutput") && "compile_error".equals(result.path("verdict").asText())) {
            err.print(result.get("compileOutput").asText());
        }
        out.print(result.path("stdout").asText(""));
        out.flush();
        err.print(result.path("stderr").asText(""));
        String verdict = result.path("verdict").asText("");
        if (!job.path("status").asText().equals("completed")) {
            err.println("codeexec: the job was " + job.path("status").asText());
        } else if (!verdict.equals("ok") && !verdict.equals("runtime_error")) {
            err.println("codeexec: " + verdict + (result.hasNonNull("message") ? ": " + result.get("message").asText() : ""));
        }
        err.flush();
    }
}
