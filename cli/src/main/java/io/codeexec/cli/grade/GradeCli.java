package io.codeexec.cli.grade;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.codeexec.cli.CliException;
import io.codeexec.cli.Connection;
import io.codeexec.cli.ExitCodes;
import io.codeexec.cli.LimitOptions;
import io.codeexec.common.json.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The command line of `codeexec grade`; {@link GradeCommand} does the work. */
@Command(name = "grade", mixinStandardHelpOptions = true,
        description = {"Grade submissions against the test pairs of a folder, as one batch, and write report.csv, "
                + "report.json and report.html.",
                "Tests: every NAME.in (stdin) with its NAME.out (expected stdout) in --tests, in name order.",
                "A SUBMISSION is a file (a one-file program) or a folder (a multi-file program).",
                "Ctrl-C writes a partial report and leaves the batch running (see `codeexec report`)."})
public final class GradeCli implements Callable<Integer> {
    @Option(names = {"-l", "--lang"}, required = true, paramLabel = "LANG", description = "Language of every submission.")
    String language;

    @Option(names = {"-t", "--tests"}, required = true, paramLabel = "DIR", description = "Folder of NAME.in/NAME.out pairs.")
    Path tests;

    @Parameters(paramLabel = "SUBMISSION", arity = "1..*", description = "Files or folders to grade.")
    List<Path> submissions = new ArrayList<>();

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", defaultValue = "codeexec-report",
            description = "Folder for the reports (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--compare", paramLabel = "HOW", defaultValue = "trimmed",
            description = "exact, trimmed (default: trailing spaces and blank lines ignored), tokens, or float:TOLERANCE.")
    String compare;

    @Option(names = "--stop-on-first-failure", description = "Stop a submission's tests at its first failure.")
    boolean stopOnFirstFailure;

    @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto",
            description = "auto (a bar on a terminal, lines otherwise), bar, plain or none.")
    String progress;

    @Mixin
    LimitOptions limits;

    @Mixin
    Connection connection;

    @Override
    public Integer call() throws Exception {
        List<TestPair> pairs = TestPairs.read(tests);
        ObjectNode template = Json.MAPPER.createObjectNode();
        limits.writeInto(template);
        GradeCommand.Plan plan = new GradeCommand.Plan(language, pairs, submissions, compareJson(compare),
                stopOnFirstFailure, template);
        return new GradeCommand(connection.client(), mode(progress), out).run(plan);
    }

    static JsonNode compareJson(String how) {
        return switch (how) {
            case "exact", "trimmed", "tokens" -> Json.MAPPER.getNodeFactory().textNode(how);
            default -> {
                if (!how.startsWith("float:")) {
                    throw CliException.usage("--compare must be exact, trimmed, tokens or float:TOLERANCE, got " + how);
                }
                try {
                    yield Json.MAPPER.createObjectNode().put("float", Double.parseDouble(how.substring("float:".length())));
                } catch (NumberFormatException e) {
                    throw CliException.usage("--compare float:TOLERANCE needs a number, got " + how);
                }
            }
        };
    }

    static Progress.Mode mode(String value) {
        try {
            return Progress.Mode.valueOf(value.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw CliException.usage("--progress must be auto, bar, plain or none, got " + value);
        }
    }
}
