package io.codeexec.worker.sandbox;

import io.codeexec.common.job.Language;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a job's code must be written for its compiler. Java requires the file of a public class to
 * carry the class's name: when the code declares `public class X`, Main.java and the class Main in
 * the commands become X.java and X. Other languages keep their fixed file name. A class whose name
 * cannot be a file name (over 249 characters, or with '$') is refused as a compile error.
 */
final class SourceNaming {
    private static final Pattern PUBLIC_CLASS = Pattern.compile(
            "public\\s+(?:final\\s+|abstract\\s+)*class\\s+([A-Za-z_$][A-Za-z0-9_$]*)");
    private static final String JAVA_DEFAULT = "Main";
    /** A class name whose X.java and X.class both fit a file name (255 bytes) of the launcher's alphabet. */
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,249}");

    /** The code's public class cannot name a file: the job is a compile error, not our failure. */
    static final class Unnameable extends RuntimeException {
        Unnameable(String message) {
            super(message);
        }
    }

    private SourceNaming() {}

    static Language forCode(Language language, String code) {
        if (!language.sourceFile().equals(JAVA_DEFAULT + ".java")) {
            return language;
        }
        Matcher matcher = PUBLIC_CLASS.matcher(code);
        if (!matcher.find() || matcher.group(1).equals(JAVA_DEFAULT)) {
            return language;
        }
        String name = matcher.group(1);
        if (!FILE_NAME.matcher(name).matches()) {
            throw new Unnameable("The public class " + (name.length() > 40 ? name.substring(0, 40) + "…" : name)
                    + " cannot be compiled here: Java needs a file named after it, and a file name holds at most 255 bytes"
                    + " of letters, digits, '_', '.' and '-'");
        }
        return new Language(language.id(), language.name(), language.image(), name + ".java",
                rename(language.compileCommand(), name), rename(language.runCommand(), name),
                language.versionCommand(), language.compilerOptions());
    }

    private static List<String> rename(List<String> command, String name) {
        return command.stream()
                .map(word -> word.equals(JAVA_DEFAULT) ? name : word.equals(JAVA_DEFAULT + ".java") ? name + ".java" : word)
                .toList();
    }
}
