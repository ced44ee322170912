package io.codeexec.worker.sandbox;

import io.codeexec.common.job.JobRequest;
import io.codeexec.common.job.Language;
import io.codeexec.common.job.SourceFile;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a job's program is in the build directory and which commands build and run it:
 * 1. one-file {@code code} goes to the language's file, except that Java requires the file of a public
 *    class to carry the class's name (`public class X` → X.java); {@code files} go where they are
 *    named, decoded;
 * 2. the language's commands get the entrypoint for {@link Language#ENTRY} and, for Java, the
 *    entrypoint's class qualified by its package line for {@link Language#MAIN_CLASS}.
 * A class whose name cannot be a file name (over 249 characters, or with '$') is refused as a compile error.
 */
final class SourceNaming {
    private static final Pattern PUBLIC_CLASS = Pattern.compile(
            "public\\s+(?:final\\s+|abstract\\s+)*class\\s+([A-Za-z_$][A-Za-z0-9_$]*)");
    private static final String PACKAGE = "package";
    private static final String JAVA_SUFFIX = ".java";
    /** A class name whose X.java and X.class both fit a file name (255 bytes) of the launcher's alphabet. */
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,249}");

    /** The job's program cannot be laid out: the job is a compile error, not our failure. */
    static final class Unnameable extends RuntimeException {
        Unnameable(String message) {
            super(message);
        }
    }

    /** One file of the build directory: a relative path and its bytes. */
    record ProgramFile(String name, byte[] content) {}

    /** The program's files and the language with its commands naming them. */
    record Program(List<ProgramFile> files, Language language) {}

    private SourceNaming() {}

    static Program of(Language language, JobRequest request) {
        List<ProgramFile> files;
        String entry;
        if (request.hasFiles()) {
            files = request.files().stream().map(SourceNaming::decoded).toList();
            entry = request.entrypoint() == null ? files.getFirst().name() : request.entrypoint();
        } else {
            entry = fileForCode(language, request.code());
            files = List.of(new ProgramFile(entry, request.code().getBytes(StandardCharsets.UTF_8)));
        }
        String source = files.stream().filter(f -> f.name().equals(entry)).findFirst()
                .map(f -> new String(f.content(), StandardCharsets.UTF_8))
                .orElseThrow(() -> new Unnameable("The entrypoint " + entry + " is not one of the files"));
        String mainClass = entry.endsWith(JAVA_SUFFIX) ? mainClass(entry, source) : entry;
        Language named = new Language(language.id(), language.name(), language.image(), entry,
                fill(language.compileCommand(), entry, mainClass), fill(language.runCommand(), entry, mainClass),
                language.versionCommand(), language.compilerOptions(), language.entrypointExtensions());
        return new Program(files, named);
    }

    /** Where one-file code goes: the language's file, or for Java the file its public class needs. */
    private static String fileForCode(Language language, String code) {
        if (!language.sourceFile().endsWith(JAVA_SUFFIX)) {
            return language.sourceFile();
        }
        Matcher matcher = PUBLIC_CLASS.matcher(code);
        if (!matcher.find()) {
            return language.sourceFile();
        }
        String name = matcher.group(1);
        if (!FILE_NAME.matcher(name).matches()) {
            throw new Unnameable("The public class " + (name.length() > 40 ? name.substring(0, 40) + "…" : name)
                    + " cannot be compiled here: Java needs a file named after it, and a file name holds at most 255 bytes"
                    + " of letters, digits, '_', '.' and '-'");
        }
        return name + JAVA_SUFFIX;
    }

    /**
     * The entrypoint's class: its file's name, in the package its package line declares (javac -d .
     * puts it there). The package line is the first thing after blanks and comments; one linear scan
     * finds it (no regular expression over untrusted text).
     */
    static String mainClass(String entry, String source) {
        String file = entry.substring(entry.lastIndexOf('/') + 1);
        String simpleName = file.substring(0, file.length() - JAVA_SUFFIX.length());
        int i = skipBlanksAndComments(source, 0);
        int afterKeyword = i + PACKAGE.length();
        if (!source.startsWith(PACKAGE, i) || afterKeyword >= source.length()
                || Character.isJavaIdentifierPart(source.charAt(afterKeyword))) {
            return simpleName;
        }
        StringBuilder name = new StringBuilder();
        for (int j = skipBlanksAndComments(source, afterKeyword); j < source.length(); j = skipBlanksAndComments(source, j + 1)) {
            char c = source.charAt(j);
            if (c == ';') {
                return name.isEmpty() ? simpleName : name + "." + simpleName;
            }
            if (c != '.' && !Character.isJavaIdentifierPart(c)) {
                break;
            }
            name.append(c);
        }
        return simpleName;
    }

    /** The index of the first character at or after i that is neither blank nor inside a comment. */
    private static int skipBlanksAndComments(String source, int i) {
        while (i < source.length()) {
            if (Character.isWhitespace(source.charAt(i))) {
                i++;
            } else if (source.startsWith("//", i)) {
                int end = source.indexOf('\n', i);
                i = end < 0 ? source.length() : end + 1;
            } else if (source.startsWith("/*", i)) {
                int end = source.indexOf("*/", i + 2);
                i = end < 0 ? source.length() : end + 2;
            } else {
                break;
            }
        }
        return i;
    }

    private static ProgramFile decoded(SourceFile file) {
        try {
            return new ProgramFile(file.name(), file.bytes());
        } catch (IllegalArgumentException e) {
            throw new Unnameable("The file " + file.name() + " cannot be decoded: " + e.getMessage());
        }
    }

    private static List<String> fill(List<String> command, String entry, String mainClass) {
        return command.stream()
                .map(word -> word.equals(Language.ENTRY) ? entry : word.equals(Language.MAIN_CLASS) ? mainClass : word)
                .toList();
    }
}
