package io.codeexec.common.job;

import java.util.List;

/**
 * A language codeexec can run: its runner image, the file the code is written to and the command
 * that runs it (inside /sandbox), and the command that prints the runtime's version.
 */
public record Language(
        String id,
        String name,
        String image,
        String sourceFile,
        List<String> runCommand,
        List<String> versionCommand) {}
