package io.codeexec.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every exit status of the codeexec command, written once; {@link #HELP} is the table `--help` shows.
 * `run` otherwise exits with the program's own status (128 + N when signal N ended it, as a shell does).
 */
public final class ExitCodes {
    public static final int OK = 0;
    /** Bad command line, or a file/folder that cannot be read or is missing its partner. */
    public static final int USAGE = 2;
    public static final int COMPILE_ERROR = 121;
    public static final int MEMORY_LIMIT = 122;
    public static final int OUTPUT_LIMIT = 123;
    public static final int TIME_LIMIT = 124;
    /** The server refused the request (4xx: invalid request, unauthorized, forbidden, quota). */
    public static final int REJECTED = 125;
    /** Infrastructure: server unreachable, 5xx, an internal_error verdict, a cancelled job. */
    public static final int INFRASTRUCTURE = 126;
    /** Ctrl-C (SIGINT): run cancels its job; grade writes the partial report and cancels nothing. */
    public static final int INTERRUPTED = 130;

    /** The table every command's --help ends with (picocli's exit code list). */
    static final Map<String, String> HELP = help();

    private static Map<String, String> help() {
        Map<String, String> help = new LinkedHashMap<>();
        help.put("  0-255", "run: the program's exit status (128+N: killed by signal N)");
        help.put(pad(COMPILE_ERROR), "run: compile error");
        help.put(pad(MEMORY_LIMIT), "run: memory limit exceeded");
        help.put(pad(OUTPUT_LIMIT), "run: output limit exceeded");
        help.put(pad(TIME_LIMIT), "run: time limit exceeded");
        help.put(pad(OK), "grade/report: the report is written (whatever the verdicts)");
        help.put(pad(USAGE), "bad command line, unreadable file, incomplete test pair");
        help.put(pad(REJECTED), "the server refused the request (4xx: its message and field are printed)");
        help.put(pad(INFRASTRUCTURE), "server unreachable, server error, internal_error verdict");
        help.put(pad(INTERRUPTED), "Ctrl-C: run cancels its job; grade writes a partial report and cancels nothing");
        return help;
    }

    private static String pad(int code) {
        return String.format("%7d", code);
    }

    private ExitCodes() {}
}
