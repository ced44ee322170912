package io.codeexec.api.compat.piston;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Piston's version selector (node-semver ranges, the forms clients send): "*", "x", exact "3.13.5",
 * partial or x-ranges "3", "3.13", "3.x", caret "^3.10", tilde "~3.13.0", comparators ">=3.10 <4",
 * and alternatives joined by "||". Pre-release tags are not supported (our runtimes have none).
 */
final class SemverRange {
    private static final Pattern COMPARATOR = Pattern.compile(
            "(\\^|~|>=|<=|>|<|=)?\\s*v?(\\*|[xX]|\\d+)(?:\\.(\\*|[xX]|\\d+))?(?:\\.(\\*|[xX]|\\d+))?");

    /** One bound: version (major, minor, patch) compared with op. */
    private record Bound(String op, long[] version) {
        boolean test(long[] v) {
            int c = compare(v, version);
            return switch (op) {
                case ">=" -> c >= 0;
                case ">" -> c > 0;
                case "<" -> c < 0;
                case "<=" -> c <= 0;
                default -> c == 0;
            };
        }
    }

    private final List<List<Bound>> alternatives;

    private SemverRange(List<List<Bound>> alternatives) {
        this.alternatives = alternatives;
    }

    /** The range, or IllegalArgumentException when it is not one. */
    static SemverRange parse(String range) {
        List<List<Bound>> alternatives = new ArrayList<>();
        for (String set : range.trim().split("\\s*\\|\\|\\s*", -1)) {
            List<Bound> bounds = new ArrayList<>();
            String rest = set.trim();
            while (!rest.isEmpty()) {
                Matcher m = COMPARATOR.matcher(rest);
                if (!m.lookingAt()) {
                    throw new IllegalArgumentException("not a semver range: " + range);
                }
                bounds.addAll(bounds(m.group(1) == null ? "" : m.group(1), m.group(2), m.group(3), m.group(4)));
                rest = rest.substring(m.end()).trim();
            }
            alternatives.add(bounds);  // an empty set (e.g. "") matches everything, as in node-semver
        }
        return new SemverRange(alternatives);
    }

    boolean matches(String version) {
        long[] v = version(version);
        return v != null && alternatives.stream().anyMatch(set -> set.stream().allMatch(b -> b.test(v)));
    }

    /** The first major.minor.patch in text ("go1.24.4" → 1.24.4, "21" → 21.0.0), or null. */
    static long[] version(String text) {
        Matcher m = Pattern.compile("(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?").matcher(text == null ? "" : text);
        if (!m.find()) {
            return null;
        }
        return new long[] {Long.parseLong(m.group(1)), part(m.group(2)), part(m.group(3))};
    }

    /** The version as Piston shows it: "major.minor.patch". */
    static String normalized(String text) {
        long[] v = version(text);
        return v == null ? "0.0.0" : v[0] + "." + v[1] + "." + v[2];
    }

    private static long part(String digits) {
        return digits == null ? 0 : Long.parseLong(digits);
    }

    private static boolean wild(String part) {
        return part == null || part.equals("*") || part.equalsIgnoreCase("x");
    }

    private static List<Bound> bounds(String op, String major, String minor, String patch) {
        if (wild(major)) {
            return op.equals("<") || op.equals(">") ? List.of(new Bound("<", new long[] {0, 0, 0})) : List.of();
        }
        long ma = Long.parseLong(major);
        boolean hasMinor = !wild(minor);
        boolean hasPatch = hasMinor && !wild(patch);
        long mi = hasMinor ? Long.parseLong(minor) : 0;
        long pa = hasPatch ? Long.parseLong(patch) : 0;
        long[] low = {ma, mi, pa};
        long[] nextPartial = !hasMinor ? new long[] {ma + 1, 0, 0} : !hasPatch ? new long[] {ma, mi + 1, 0} : null;
        return switch (op) {
            case "^" -> List.of(new Bound(">=", low), new Bound("<",
                    ma > 0 || !hasMinor ? new long[] {ma + 1, 0, 0}
                            : mi > 0 || !hasPatch ? new long[] {0, mi + 1, 0} : new long[] {0, 0, pa + 1}));
            case "~" -> List.of(new Bound(">=", low), new Bound("<",
                    hasMinor ? new long[] {ma, mi + 1, 0} : new long[] {ma + 1, 0, 0}));
            case ">=" -> List.of(new Bound(">=", low));
            case ">" -> List.of(nextPartial == null ? new Bound(">", low) : new Bound(">=", nextPartial));
            case "<" -> List.of(new Bound("<", low));
            case "<=" -> List.of(nextPartial == null ? new Bound("<=", low) : new Bound("<", nextPartial));
            default -> nextPartial == null ? List.of(new Bound("=", low))
                    : List.of(new Bound(">=", low), new Bound("<", nextPartial));
        };
    }

    private static int compare(long[] a, long[] b) {
        for (int i = 0; i < 3; i++) {
            if (a[i] != b[i]) {
                return Long.compare(a[i], b[i]);
            }
        }
        return 0;
    }
}
