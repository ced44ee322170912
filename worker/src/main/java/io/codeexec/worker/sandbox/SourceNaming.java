package io.codeexec.worker.sandbox;

import io.codeexec.common.job.Language;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a job's code must be written for its compiler. Java requires the file of a public class to
 * carry the class's name: when the code declares `public class X`, Main.java and the class Main in
 * the commands become X.java and X. Other languages keep their fixed file name.
 */
final class SourceNaming {
    private static final Pattern PUBLIC_CLASS = Pattern.compile(
            "public\\s+(?:final\\s+|abstract\\s+)*class\\s+([A-Za-z_$][A-Za-z0-9_$]*)");
    private static final String JAVA_DEFAULT = "Main";

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
