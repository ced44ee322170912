package io.codeexec.cli.report;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.Patch;
import java.util.Arrays;
import java.util.List;

/**
 * A unified diff of a test's expected output against the program's actual output, bounded to
 * {@link #MAX_LINES} lines so a runaway program cannot blow up a report. Empty when they are equal.
 */
public final class OutputDiff {
    static final int MAX_LINES = 200;
    static final int CONTEXT = 3;

    private OutputDiff() {}

    public static String unified(String expected, String actual) {
        List<String> before = lines(expected);
        List<String> after = lines(actual);
        Patch<String> patch = DiffUtils.diff(before, after);
        if (patch.getDeltas().isEmpty()) {
            return "";
        }
        List<String> diff = UnifiedDiffUtils.generateUnifiedDiff("expected", "actual", before, patch, CONTEXT);
        if (diff.size() > MAX_LINES) {
            int cut = diff.size() - MAX_LINES;
            diff = new java.util.ArrayList<>(diff.subList(0, MAX_LINES));
            diff.add("… " + cut + " more diff lines");
        }
        return String.join("\n", diff) + "\n";
    }

    /** Lines without terminators; a missing final newline shows as its own marker so it is not invisible. */
    private static List<String> lines(String text) {
        if (text.isEmpty()) {
            return List.of();
        }
        List<String> lines = new java.util.ArrayList<>(Arrays.asList(text.replace("\r\n", "\n").split("\n", -1)));
        if (lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        } else {
            lines.set(lines.size() - 1, lines.get(lines.size() - 1) + " ⟨no newline at end⟩");
        }
        return lines;
    }
}
