package io.codeexec.cli.grade;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.codeexec.cli.CliException;
import io.codeexec.cli.CtrlC;
import io.codeexec.cli.ExitCodes;
import io.codeexec.cli.ProgramSource;
import io.codeexec.cli.api.ApiClient;
import io.codeexec.common.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * `codeexec grade`: one job per submission (all test pairs as its tests), submitted as ONE batch under an
 * Idempotency-Key (a retried submission never makes a second batch), followed to the end with a
 * progress display, then written out as report.csv/json/html. Ctrl-C writes the partial report and
 * leaves the batch running.
 */
public final class GradeCommand {
    /** Largest metadata (names of submissions and tests) the batch carries for `codeexec report`; the server takes 16 KiB. */
    static final int MAX_METADATA_CHARS = 15_000;
    /** The metadata field under which the CLI keeps its names. */
    public static final String METADATA_FIELD = "codeexecCli";

    /** What to grade and how, from the command line. */
    public record Plan(String language, List<TestPair> tests, List<Path> submissions, JsonNode compare,
                       boolean stopOnFirstFailure, ObjectNode jobTemplate) {}

    private final ApiClient client;
    private final Progress.Mode progressMode;
    private final Path out;

    public GradeCommand(ApiClient client, Progress.Mode progressMode, Path out) {
        this.client = client;
        this.progressMode = progressMode;
        this.out = out;
    }

    public int run(Plan plan) throws InterruptedException {
        List<String> names = names(plan.submissions());
        ObjectNode body = batchBody(plan, names);
        String key = UUID.randomUUID().toString();
        String batchId;
        try (CtrlC ctrlC = CtrlC.install()) {
            ctrlC.interruptible(true);
            try {
                batchId = client.post("/batches", body, Optional.of(key)).body().path("id").asText();
            } catch (InterruptedException e) {
                ctrlC.interruptible(false);
                System.err.println("codeexec: interrupted while submitting; the batch may have been created "
                        + "(Idempotency-Key " + key + "). Nothing was cancelled.");
                return ExitCodes.INTERRUPTED;
            }
            System.err.println("codeexec: batch " + batchId + " accepted: " + names.size() + " submissions × "
                    + plan.tests().size() + " tests");
            BatchFollower follower = new BatchFollower(client, batchId);
            boolean interrupted = false;
            try (Progress progress = Progress.open(progressMode, names.size(), System.err)) {
                follower.follow(progress);
            } catch (InterruptedException e) {
                interrupted = true;
            }
            ctrlC.interruptible(false);
            interrupted |= ctrlC.fired();
            ReportView.write(out, batchId, plan.language(), names, follower, plan.tests());
            if (interrupted) {
                System.err.printf("codeexec: interrupted: wrote a partial report (%d of %d finished) to %s.%n"
                        + "The batch keeps running; nothing was cancelled. Fetch the full report later with:%n"
                        + "  codeexec report %s --tests <tests folder> --out %s%n",
                        follower.finished().size(), names.size(), out, batchId, out);
                return ExitCodes.INTERRUPTED;
            }
            return ExitCodes.OK;
        }
    }

    private static ObjectNode batchBody(Plan plan, List<String> names) {
        ArrayNode tests = Json.MAPPER.createArrayNode();
        for (TestPair pair : plan.tests()) {
            tests.addObject().put("name", pair.name()).put("stdin", pair.input()).put("expectedOutput", pair.expected());
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode jobs = body.putArray("jobs");
        for (Path submission : plan.submissions()) {
            ObjectNode job = plan.jobTemplate().deepCopy();
            job.put("language", plan.language());
            ProgramSource program = Files.isDirectory(submission) ? ProgramSource.ofFolder(submission, plan.language())
                    : ProgramSource.ofFiles(List.of(submission));
            program.writeInto(job);
            job.set("tests", tests);
            if (plan.compare() != null) {
                job.set("compare", plan.compare());
            }
            if (plan.stopOnFirstFailure()) {
                job.put("stopOnFirstFailure", true);
            }
            jobs.add(job);
        }
        ObjectNode cli = Json.MAPPER.createObjectNode();
        cli.set("submissions", Json.MAPPER.valueToTree(names));
        cli.set("tests", Json.MAPPER.valueToTree(plan.tests().stream().map(TestPair::name).toList()));
        if (Json.write(cli).length() > MAX_METADATA_CHARS) {
            cli = Json.MAPPER.createObjectNode();  // too many names to keep: `report` falls back to numbers
        }
        body.putObject("metadata").set(METADATA_FIELD, cli);
        return body;
    }

    /** Each submission's name: its file or folder name, or the path as given when two share a name. */
    static List<String> names(List<Path> submissions) {
        Set<String> seen = new HashSet<>();
        Set<String> repeated = new HashSet<>();
        for (Path path : submissions) {
            if (!Files.exists(path)) {
                throw CliException.usage("submission " + path + " does not exist");
            }
            if (!seen.add(simpleName(path))) {
                repeated.add(simpleName(path));
            }
        }
        List<String> names = new ArrayList<>();
        for (Path path : submissions) {
            names.add(repeated.contains(simpleName(path)) ? path.normalize().toString() : simpleName(path));
        }
        return names;
    }

    private static String simpleName(Path path) {
        Path name = path.toAbsolutePath().normalize().getFileName();
        return name == null ? path.toString() : name.toString();
    }
}
