package io.codeexec.api;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules a file name of a multi-file program must follow, in one place: what the launcher accepts
 * (docs/launcher-protocol.md: relative, segments of [A-Za-z0-9._-], no empty, "." or ".." segment, at
 * most 255 bytes each) plus what keeps a name harmless everywhere it goes: at most {@link #MAX_DEPTH}
 * segments, none starting with '-' (a compiler would read it as an option) and none a device name
 * (con, prn, aux, nul, com0-9, lpt0-9 in any case, with or without an extension).
 */
final class SourcePath {
    static final int MAX_SEGMENT_BYTES = 255;
    static final int MAX_DEPTH = 16;
    private static final Pattern ALPHABET = Pattern.compile("[A-Za-z0-9._/-]*");
    private static final Pattern DEVICE = Pattern.compile("con|prn|aux|nul|com[0-9]|lpt[0-9]");
    private static final Set<String> DOTS = Set.of(".", "..");

    private SourcePath() {}

    /** Why this name cannot be a file of the program, or empty when it can. */
    static Optional<String> problem(String name) {
        if (name.isEmpty()) {
            return Optional.of("is empty");
        }
        if (name.startsWith("/")) {
            return Optional.of("is absolute; file names are relative to the program's directory");
        }
        if (name.indexOf('\\') >= 0) {
            return Optional.of("contains a backslash; separate directories with '/'");
        }
        if (!ALPHABET.matcher(name).matches()) {
            return Optional.of("may hold only letters A-Z and a-z, digits, '.', '_', '-' and '/'");
        }
        String[] segments = name.split("/", -1);
        if (segments.length > MAX_DEPTH) {
            return Optional.of("is " + segments.length + " levels deep; the maximum is " + MAX_DEPTH);
        }
        for (String segment : segments) {
            Optional<String> problem = segmentProblem(segment);
            if (problem.isPresent()) {
                return problem;
            }
        }
        return Optional.empty();
    }

    private static Optional<String> segmentProblem(String segment) {
        if (segment.isEmpty()) {
            return Optional.of("has an empty segment ('//' or a '/' at either end)");
        }
        if (DOTS.contains(segment)) {
            return Optional.of("has a '" + segment + "' segment; name files by their plain relative path");
        }
        if (segment.getBytes(StandardCharsets.US_ASCII).length > MAX_SEGMENT_BYTES) {
            return Optional.of("has a segment of " + segment.length() + " bytes; the maximum is " + MAX_SEGMENT_BYTES);
        }
        if (segment.startsWith("-")) {
            return Optional.of("has a segment starting with '-', which a compiler would read as an option");
        }
        int dot = segment.indexOf('.');
        String stem = (dot < 0 ? segment : segment.substring(0, dot)).toLowerCase(Locale.ROOT);
        if (DEVICE.matcher(stem).matches()) {
            return Optional.of("uses the reserved device name '" + segment + "'");
        }
        return Optional.empty();
    }
}
