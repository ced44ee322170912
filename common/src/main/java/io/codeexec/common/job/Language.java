package io.codeexec.common.job;

import java.util.List;

/**
 * A language codeexec can run: its runner image, the file the code is written to, the command that
 * compiles it (empty for interpreted languages) and the one that runs it (both inside /sandbox), the
 * command that prints the runtime's version, and the compiler options a job may add (they go where
 * the compile command holds {@link #OPTIONS}).
 */
public record Language(
        String id,
        String name,
        String image,
        String sourceFile,
        List<String> compileCommand,
        List<String> runCommand,
        List<String> versionCommand,
        List<String> compilerOptions) {

    /** Placeholder in a compile command for the job's compiler options. */
    public static final String OPTIONS = "{options}";

    public Language {
        compileCommand = List.copyOf(compileCommand);
        runCommand = List.copyOf(runCommand);
        versionCommand = List.copyOf(versionCommand);
        compilerOptions = List.copyOf(compilerOptions);
    }

    /** An interpreted language. */
    public Language(String id, String name, String image, String sourceFile, List<String> runCommand,
                    List<String> versionCommand) {
        this(id, name, image, sourceFile, List.of(), runCommand, versionCommand, List.of());
    }

    public boolean compiled() {
        return !compileCommand.isEmpty();
    }
}
