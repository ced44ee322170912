package io.codeexec.cli.grade;

import java.io.Console;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Map;
import java.util.stream.Collectors;

/** Where a grading run shows its progress: a live bar on a terminal, plain lines otherwise. */
public interface Progress extends AutoCloseable {
    /** The kinds a user may ask for with --progress. */
    enum Mode { AUTO, BAR, PLAIN, NONE }

    void update(int done, int total, Map<String, Integer> verdicts);

    @Override
    void close();

    static Progress open(Mode mode, int total, PrintStream out) {
        Mode chosen = mode == Mode.AUTO ? (isTerminal() ? Mode.BAR : Mode.PLAIN) : mode;
        return switch (chosen) {
            case BAR -> new TerminalProgress(total, out);
            case PLAIN -> new PlainProgress(out, Clock.systemUTC());
            default -> new Progress() {
                @Override
                public void update(int done, int total1, Map<String, Integer> verdicts) {}

                @Override
                public void close() {}
            };
        };
    }

    /** "accepted 3 · wrong_answer 1", in name order. */
    static String summary(Map<String, Integer> verdicts) {
        return verdicts.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(" · "));
    }

    /**
     * Whether we talk to a terminal. Before Java 22 System.console() is null unless stdin and stdout are
     * one; from 22 on it always exists and Console.isTerminal() says (looked up by name: we compile for 21).
     */
    static boolean isTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
