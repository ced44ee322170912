package io.codeexec.common.compat.judge0;

import io.codeexec.common.job.Job;
import io.codeexec.common.job.JobResult;
import io.codeexec.common.job.JobStatus;
import java.util.Map;

/**
 * Judge0's status ids and descriptions, and the one mapping from a v1 job to them: queued 1, running 2;
 * a finished job by its verdict (ok/accepted 3, wrong answer 4, time 5, compile error 6, a runtime error
 * by its signal 7-10 and 12 or by its exit code 11, internal error 13). Where Judge0 has no counterpart:
 * memory limit exceeded → 12 Runtime Error (Other) (isolate's OOM kill is a SIGKILL there too), output
 * limit exceeded → 8 SIGXFSZ (Judge0's stdout is a file under max_file_size), cancelled → 13.
 */
public enum Judge0Status {
    IN_QUEUE(1, "In Queue"), PROCESSING(2, "Processing"), ACCEPTED(3, "Accepted"), WRONG_ANSWER(4, "Wrong Answer"),
    TIME_LIMIT_EXCEEDED(5, "Time Limit Exceeded"), COMPILATION_ERROR(6, "Compilation Error"),
    SIGSEGV(7, "Runtime Error (SIGSEGV)"), SIGXFSZ(8, "Runtime Error (SIGXFSZ)"), SIGFPE(9, "Runtime Error (SIGFPE)"),
    SIGABRT(10, "Runtime Error (SIGABRT)"), NZEC(11, "Runtime Error (NZEC)"), OTHER(12, "Runtime Error (Other)"),
    INTERNAL_ERROR(13, "Internal Error"), EXEC_FORMAT_ERROR(14, "Exec Format Error");

    private static final Map<String, Judge0Status> BY_SIGNAL = Map.of(
            "SIGSEGV", SIGSEGV, "SIGXFSZ", SIGXFSZ, "SIGFPE", SIGFPE, "SIGABRT", SIGABRT);

    public final int id;
    public final String description;

    Judge0Status(int id, String description) {
        this.id = id;
        this.description = description;
    }

    public Map<String, Object> json() {
        return Map.of("id", id, "description", description);
    }

    public static Judge0Status of(Job job) {
        if (job.status() == JobStatus.QUEUED) {
            return IN_QUEUE;
        }
        if (job.status() == JobStatus.RUNNING) {
            return PROCESSING;
        }
        JobResult result = job.result();
        if (job.status() == JobStatus.CANCELLED || result == null) {
            return INTERNAL_ERROR;
        }
        return switch (result.verdict()) {
            case OK, ACCEPTED -> ACCEPTED;
            case WRONG_ANSWER -> WRONG_ANSWER;
            case TIME_LIMIT_EXCEEDED -> TIME_LIMIT_EXCEEDED;
            case COMPILE_ERROR -> COMPILATION_ERROR;
            case RUNTIME_ERROR -> runtimeError(Judge0Run.of(result).signal());
            case MEMORY_LIMIT_EXCEEDED -> OTHER;
            case OUTPUT_LIMIT_EXCEEDED -> SIGXFSZ;
            case INTERNAL_ERROR, SKIPPED -> INTERNAL_ERROR;
        };
    }

    private static Judge0Status runtimeError(String signal) {
        return signal == null ? NZEC : BY_SIGNAL.getOrDefault(signal, OTHER);
    }
}
