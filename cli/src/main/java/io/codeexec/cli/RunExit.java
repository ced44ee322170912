package io.codeexec.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The exit status of `codeexec run` for a finished job document: the program's own status, 128 + N
 * when signal N ended it (as a shell reports it), or one of {@link ExitCodes} for a verdict that is
 * not the program's doing (compile error, limits, our own failures).
 */
public final class RunExit {
    /** Linux signal names in number order (index = number), as results name them. */
    private static final List<String> SIGNALS = List.of("", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP",
            "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM",
            "SIGSTKFLT", "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU",
            "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS");
    private static final int SIGNAL_BASE = 128;

    private RunExit() {}

    public static int of(JsonNode job) {
        if (!"completed".equals(job.path("status").asText())) {
            return ExitCodes.INFRASTRUCTURE;  // cancelled by someone else
        }
        JsonNode result = job.path("result");
        return switch (result.path("verdict").asText()) {
            case "compile_error" -> ExitCodes.COMPILE_ERROR;
            case "time_limit_exceeded" -> ExitCodes.TIME_LIMIT;
            case "memory_limit_exceeded" -> ExitCodes.MEMORY_LIMIT;
            case "output_limit_exceeded" -> ExitCodes.OUTPUT_LIMIT;
            case "ok", "runtime_error", "accepted", "wrong_answer" -> programStatus(result);
            default -> ExitCodes.INFRASTRUCTURE;
        };
    }

    private static int programStatus(JsonNode result) {
        if (result.hasNonNull("signal")) {
            int number = SIGNALS.indexOf(result.get("signal").asText());
            return SIGNAL_BASE + (number > 0 ? number : 0);
        }
        return result.path("exitCode").asInt(0) & 0xff;
    }
}
