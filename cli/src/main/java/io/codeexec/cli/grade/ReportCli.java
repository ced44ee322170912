package io.codeexec.cli.grade;

import com.fasterxml.jackson.databind.JsonNode;
import io.codeexec.cli.Connection;
import io.codeexec.cli.ExitCodes;
import io.codeexec.cli.api.ApiClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * `codeexec report BATCH_ID`: (re)writes the reports of a batch `grade` submitted — after a Ctrl-C, or
 * from another machine. Submission names come from the batch's metadata; diffs need the tests folder.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Write report.csv, report.json and report.html for a batch submitted by `codeexec grade`.",
                "Without --wait, jobs still running are listed as such (a partial report)."})
public final class ReportCli implements Callable<Integer> {
    @Parameters(paramLabel = "BATCH_ID", description = "The id `grade` printed.")
    String batchId;

    @Option(names = {"-t", "--tests"}, paramLabel = "DIR", description = "The tests folder, for diffs of failing tests.")
    Path tests;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", defaultValue = "codeexec-report",
            description = "Folder for the reports (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--wait", description = "Follow the batch until every job finished, then write the report.")
    boolean waitForAll;

    @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto", description = "With --wait: auto, bar, plain or none.")
    String progress;

    @Mixin
    Connection connection;

    @Override
    public Integer call() throws Exception {
        ApiClient client = connection.client();
        List<TestPair> pairs = tests == null ? List.of() : TestPairs.read(tests);
        BatchFollower follower = new BatchFollower(client, batchId);
        try (Progress shown = Progress.open(waitForAll ? GradeCli.mode(progress) : Progress.Mode.NONE, 0, System.err)) {
            if (waitForAll) {
                follower.follow(shown);
            } else {
                follower.poll(shown);
            }
        }
        JsonNode cli = follower.lastBatch().path("metadata").path(GradeCommand.METADATA_FIELD);
        List<String> names = new ArrayList<>();
        cli.path("submissions").forEach(n -> names.add(n.asText()));
        String language = follower.finished().values().stream().map(j -> j.path("language").asText())
                .findFirst().orElse("");
        ReportView.write(out, batchId, language, names, follower, pairs);
        return ExitCodes.OK;
    }
}
