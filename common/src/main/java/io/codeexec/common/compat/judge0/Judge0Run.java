package io.codeexec.common.compat.judge0;

import io.codeexec.common.job.JobResult;
import io.codeexec.common.job.TestResult;
import java.util.List;

/**
 * The one run a Judge0 submission reports: a plain job's result, or the single test a submission with
 * expected_output became.
 */
public record Judge0Run(String stdout, String stderr, Integer exitCode, String signal, Long cpuTimeMs, Long wallTimeMs,
                 Long memoryKb, String message) {
    private static final List<String> SIGNALS = List.of("", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP",
            "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM",
            "SIGSTKFLT", "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU",
            "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS");

    public static Judge0Run of(JobResult r) {
        if (r.tests() != null && r.tests().size() == 1) {
            TestResult t = r.tests().get(0);
            return new Judge0Run(t.stdout(), t.stderr(), t.exitCode(), t.signal(), t.cpuTimeMs(), t.wallTimeMs(),
                    t.memoryKb(), t.message());
        }
        return new Judge0Run(r.stdout(), r.stderr(), r.exitCode(), r.signal(), r.cpuTimeMs(), r.wallTimeMs(),
                r.memoryKb(), r.message());
    }

    /** The signal's number (SIGKILL → 9), or null. */
    public Integer signalNumber() {
        if (signal == null) {
            return null;
        }
        int index = SIGNALS.indexOf(signal);
        return index > 0 ? index : null;
    }
}
