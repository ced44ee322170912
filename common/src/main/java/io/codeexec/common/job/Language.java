package io.codeexec.common.job;

import java.util.List;

/**
 * A language codeexec can run: its runner image, the file a one-file program ({@code code}) is
 * written to, the command that compiles the program (empty for interpreted languages) and the one
 * that runs it (both inside /sandbox), the command that prints the runtime's version, the compiler
 * options a job may add (they go where the compile command holds {@link #OPTIONS}), and the file
 * extensions an entrypoint of a multi-file program must have (empty: any file can be run).
 * Commands name the program through placeholders: {@link #ENTRY} (the entrypoint's path) and
 * {@link #MAIN_CLASS} (Java: the entrypoint's class), filled in by the worker.
 */
public record Language(
        String id,
        String name,
        String image,
        String sourceFile,
        List<String> compileCommand,
        List<String> runCommand,
        List<String> versionCommand,
        List<String> compilerOptions,
        List<String> entrypointExtensions) {

    /** Placeholder in a compile command for the job's compiler options. */
    public static final String OPTIONS = "{options}";
    /** Placeholder for the path of the file that runs (the language's sourceFile for one-file code). */
    public static final String ENTRY = "{entry}";
    /** Placeholder for the entrypoint's fully qualified class (Java: package line + file name). */
    public static final String MAIN_CLASS = "{main}";

    public Language {
        compileCommand = List.copyOf(compileCommand);
        runCommand = List.copyOf(runCommand);
        versionCommand = List.copyOf(versionCommand);
        compilerOptions = List.copyOf(compilerOptions);
        entrypointExtensions = List.copyOf(entrypointExtensions);
    }

    public Language(String id, String name, String image, String sourceFile, List<String> compileCommand,
                    List<String> runCommand, List<String> versionCommand, List<String> compilerOptions) {
        this(id, name, image, sourceFile, compileCommand, runCommand, versionCommand, compilerOptions, List.of());
    }

    /** An interpreted language. */
    public Language(String id, String name, String image, String sourceFile, List<String> runCommand,
                    List<String> versionCommand) {
        this(id, name, image, sourceFile, List.of(), runCommand, versionCommand, List.of());
    }

    public boolean compiled() {
        return !compileCommand.isEmpty();
    }

    /** Whether a file of this name may be a multi-file program's entrypoint. */
    public boolean canRun(String path) {
        return entrypointExtensions.isEmpty() || entrypointExtensions.stream().anyMatch(path::endsWith);
    }
}
