package io.codeexec.api.compat.piston;

import io.codeexec.common.job.JobResult;
import io.codeexec.common.job.Verdict;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A finished v1 result as Piston's execute answer: {language, version, run, compile?}. Each stage has
 * stdout, stderr, output (stdout then stderr: we keep the streams apart, not their interleaving), code
 * (null when a signal ended it), signal, message, status (isolate's codes as Piston passes them on: null
 * ok, RE exit code, SG signal, TO time, OL/EL stdout/stderr over the cap, XX internal), cpu_time and
 * wall_time (ms), memory (bytes). compile is there for compiled languages only; when compiling failed,
 * run is the compile stage, as Piston answers.
 */
final class PistonResult {
    private static final String KILLED = "SIGKILL";

    private PistonResult() {}

    static Map<String, Object> answer(PistonRuntimes.Runtime runtime, boolean compiled, JobResult result) {
        Map<String, Object> body = new LinkedHashMap<>();
        Map<String, Object> run = result.verdict() == Verdict.COMPILE_ERROR ? compileFailed(result) : run(result);
        if (compiled) {
            body.put("compile", result.verdict() == Verdict.COMPILE_ERROR ? run : compiledOk(result));
        }
        body.put("run", run);
        body.put("language", runtime.language());
        body.put("version", runtime.version());
        return body;
    }

    private static Map<String, Object> run(JobResult r) {
        String status = switch (r.verdict()) {
            case OK, ACCEPTED, WRONG_ANSWER, SKIPPED, COMPILE_ERROR -> null;
            case TIME_LIMIT_EXCEEDED -> "TO";
            case OUTPUT_LIMIT_EXCEEDED -> r.stdoutTruncated() ? "OL" : "EL";
            case MEMORY_LIMIT_EXCEEDED -> "SG";
            case RUNTIME_ERROR -> r.signal() != null ? "SG" : "RE";
            case INTERNAL_ERROR -> "XX";
        };
        boolean killed = status != null && (status.equals("TO") || status.equals("OL") || status.equals("EL")
                || r.verdict() == Verdict.MEMORY_LIMIT_EXCEEDED);
        String signal = killed && r.signal() == null ? KILLED : r.signal();
        return stage(nullToEmpty(r.stdout()), nullToEmpty(r.stderr()), signal != null ? null : r.exitCode(), signal,
                r.message(), status, r.cpuTimeMs(), r.wallTimeMs(), r.memoryKb());
    }

    private static Map<String, Object> compileFailed(JobResult r) {
        String status = r.signal() != null ? "SG" : r.message() != null && r.message().contains("time limit") ? "TO" : "RE";
        return stage("", nullToEmpty(r.compileOutput()), r.signal() != null ? null : r.exitCode(), r.signal(),
                r.message(), status, r.cpuTimeMs(), r.wallTimeMs(), r.memoryKb());
    }

    /** A compile that succeeded: its output; v1 keeps no separate measures of it. */
    private static Map<String, Object> compiledOk(JobResult r) {
        return stage("", nullToEmpty(r.compileOutput()), 0, null, null, null, null, null, null);
    }

    private static Map<String, Object> stage(String stdout, String stderr, Integer code, String signal, String message,
                                             String status, Long cpuMs, Long wallMs, Long memoryKb) {
        Map<String, Object> stage = new LinkedHashMap<>();
        stage.put("stdout", stdout);
        stage.put("stderr", stderr);
        stage.put("code", code);
        stage.put("signal", signal);
        stage.put("output", stdout + stderr);
        stage.put("memory", memoryKb == null ? null : memoryKb * 1024);
        stage.put("message", message);
        stage.put("status", status);
        stage.put("cpu_time", cpuMs);
        stage.put("wall_time", wallMs);
        return stage;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
