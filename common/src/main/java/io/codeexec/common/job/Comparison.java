package io.codeexec.common.job;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How a test's stdout is compared with its expected output. JSON: "exact", "trimmed" (default),
 * "tokens", or {"float": tolerance}.
 * - exact: byte for byte (as text);
 * - trimmed: trailing whitespace of each line and trailing blank lines ignored; CRLF equals LF;
 * - tokens: the whitespace-separated tokens are equal;
 * - float: tokens equal, except that two numbers match when within the tolerance, absolute or relative.
 */
public record Comparison(Mode mode, double tolerance) {
    public enum Mode { EXACT, TRIMMED, TOKENS, FLOAT }

    public static final Comparison TRIMMED = new Comparison(Mode.TRIMMED, 0);

    @JsonCreator
    public static Comparison fromJson(Object value) {
        if (value instanceof String name) {
            return switch (name) {
                case "exact" -> new Comparison(Mode.EXACT, 0);
                case "trimmed" -> TRIMMED;
                case "tokens" -> new Comparison(Mode.TOKENS, 0);
                default -> throw new IllegalArgumentException("compare must be exact, trimmed, tokens or {\"float\": tolerance}");
            };
        }
        if (value instanceof Map<?, ?> map && map.size() == 1 && map.get("float") instanceof Number tolerance
                && tolerance.doubleValue() >= 0 && Double.isFinite(tolerance.doubleValue())) {
            return new Comparison(Mode.FLOAT, tolerance.doubleValue());
        }
        throw new IllegalArgumentException("compare must be exact, trimmed, tokens or {\"float\": tolerance}");
    }

    @JsonValue
    public Object toJson() {
        return mode == Mode.FLOAT ? Map.of("float", tolerance) : mode.name().toLowerCase(Locale.ROOT);
    }

    public boolean matches(String expected, String actual) {
        return switch (mode) {
            case EXACT -> expected.equals(actual);
            case TRIMMED -> trimmedLines(expected).equals(trimmedLines(actual));
            case TOKENS -> tokens(expected).equals(tokens(actual));
            case FLOAT -> floatTokensMatch(tokens(expected), tokens(actual));
        };
    }

    private static List<String> trimmedLines(String text) {
        List<String> lines = new ArrayList<>();
        for (String line : text.replace("\r\n", "\n").split("\n", -1)) {
            lines.add(line.stripTrailing());
        }
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }

    private static List<String> tokens(String text) {
        String trimmed = text.strip();
        return trimmed.isEmpty() ? List.of() : List.of(trimmed.split("\\s+"));
    }

    private boolean floatTokensMatch(List<String> expected, List<String> actual) {
        if (expected.size() != actual.size()) {
            return false;
        }
        for (int i = 0; i < expected.size(); i++) {
            String e = expected.get(i);
            String a = actual.get(i);
            if (e.equals(a)) {
                continue;
            }
            Double x = number(e);
            Double y = number(a);
            if (x == null || y == null) {
                return false;
            }
            double difference = Math.abs(x - y);
            if (!(difference <= tolerance || difference <= tolerance * Math.abs(x))) {
                return false;
            }
        }
        return true;
    }

    private static Double number(String token) {
        try {
            double value = Double.parseDouble(token);
            return Double.isFinite(value) ? value : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
