package io.codeexec.cli;

import io.codeexec.cli.grade.GradeCli;
import io.codeexec.cli.grade.ReportCli;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The `codeexec` command: `run` a program, `grade` submissions against test pairs, `report` a batch.
 * Owns the one mapping of failures to exit statuses and one-line messages (no stack traces for users).
 */
@Command(name = "codeexec", mixinStandardHelpOptions = true, version = "codeexec CLI 0.1.0",
        subcommands = {RunCommand.class, GradeCli.class, ReportCli.class, CommandLine.HelpCommand.class},
        description = {"Run and grade programs on a codeexec server.",
                "Server: --url or $CODEEXEC_URL (default http://localhost:8080); key: --key or $CODEEXEC_KEY."})
public final class Codeexec {
    public static void main(String[] args) {
        System.exit(execute(args));
    }

    public static int execute(String... args) {
        CommandLine commandLine = new CommandLine(new Codeexec());
        withExitCodes(commandLine);
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof CliException failure) {
                cmd.getErr().println("codeexec: " + failure.getMessage());
                return failure.exitCode();
            }
            if (e instanceof InterruptedException) {
                return ExitCodes.INTERRUPTED;
            }
            throw e;
        });
        return commandLine.execute(args);
    }

    private static void withExitCodes(CommandLine command) {
        command.getCommandSpec().usageMessage().exitCodeListHeading("%nExit status:%n").exitCodeList(ExitCodes.HELP);
        command.getSubcommands().values().forEach(Codeexec::withExitCodes);
    }
}
