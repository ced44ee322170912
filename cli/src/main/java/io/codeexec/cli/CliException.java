package io.codeexec.cli;

/** A failure the user can act on, with the exit status it maps to; printed as one line, no stack trace. */
public class CliException extends RuntimeException {
    private final int exitCode;

    public CliException(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    /** Bad input on our side of the wire: a missing file, an unknown extension, a test without its partner. */
    public static CliException usage(String message) {
        return new CliException(ExitCodes.USAGE, message);
    }

    public int exitCode() {
        return exitCode;
    }
}
