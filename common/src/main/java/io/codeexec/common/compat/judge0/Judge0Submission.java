package io.codeexec.common.compat.judge0;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.codeexec.common.job.Job;
import io.codeexec.common.job.JobResult;
import io.codeexec.common.job.RawOutput;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A v1 job rendered as a Judge0 submission with the requested fields: token = job id, status from
 * Judge0Status, time and wall_time in seconds (strings, as Judge0's decimals serialize), memory in KB,
 * empty output as null, text attributes base64-encoded (Ruby's encode64: 60-character lines) on request.
 * The submission's own attributes (source_code, limits, ...) come from the record the adapter kept.
 * Shared by the API (GET /judge0/submissions/...) and the worker (Judge0's callback: a PUT of the
 * default fields, base64-encoded, as Judge0's IsolateJob#call_callback sends it).
 */
public final class Judge0Submission {
    public static final List<String> DEFAULT_FIELDS = List.of("token", "time", "memory", "stdout", "stderr", "compile_output",
            "message", "status");
    public static final List<String> ALL_FIELDS = List.of("source_code", "language_id", "stdin", "expected_output", "stdout",
            "status_id", "created_at", "finished_at", "time", "memory", "stderr", "token", "number_of_runs",
            "cpu_time_limit", "cpu_extra_time", "wall_time_limit", "memory_limit", "stack_limit",
            "max_processes_and_or_threads", "enable_per_process_and_thread_time_limit",
            "enable_per_process_and_thread_memory_limit", "max_file_size", "compile_output", "exit_code", "exit_signal",
            "message", "wall_time", "compiler_options", "command_line_arguments", "redirect_stderr_to_stdout",
            "callback_url", "additional_files", "enable_network", "started_at", "queued_at", "updated_at", "queue_host",
            "execution_host", "status", "language");
    private static final List<String> TEXT = List.of("source_code", "stdin", "expected_output", "stdout", "stderr",
            "compile_output", "message");

    /** Output that is not valid UTF-8 cannot be sent as JSON text: Judge0 answers this error instead. */
    public static final class NotUtf8 extends RuntimeException {
        NotUtf8() {
            super("some attributes for this submission cannot be converted to UTF-8, use base64_encoded=true query parameter",
                    null, false, false);
        }
    }

    private Judge0Submission() {}

    /** The body of Judge0's callback PUT: the default fields, base64-encoded. */
    public static String callbackBody(Job job, ObjectNode attributes, Optional<RawOutput> raw) {
        return io.codeexec.common.json.Json.write(render(job, attributes, raw, DEFAULT_FIELDS, true, null));
    }

    /** The submission's fields; {@code language} is Judge0's {id, name} of the job's language, or null. */
    public static Map<String, Object> render(Job job, ObjectNode attributes, Optional<RawOutput> raw, List<String> fields,
                                             boolean base64, Map<String, Object> language) {
        if (raw.isPresent() && !base64) {
            throw new NotUtf8();
        }
        Map<String, Object> all = all(job, attributes == null ? com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                .objectNode() : attributes, raw, base64, language);
        Map<String, Object> out = new LinkedHashMap<>();
        for (String field : fields) {
            out.put(field, all.get(field));
        }
        return out;
    }

    private static Map<String, Object> all(Job job, ObjectNode attributes, Optional<RawOutput> raw, boolean base64,
                                           Map<String, Object> language) {
        Map<String, Object> s = new LinkedHashMap<>();
        ALL_FIELDS.forEach(f -> s.put(f, attributes.has(f) ? value(attributes.get(f)) : null));
        Judge0Status status = Judge0Status.of(job);
        JobResult result = job.result();
        // Judge0 reports nothing of the run for a compilation error (time, memory, exit and message are null).
        Judge0Run run = result == null || status == Judge0Status.COMPILATION_ERROR ? null : Judge0Run.of(result);
        boolean redirect = attributes.path("redirect_stderr_to_stdout").asText().equals("true");
        byte[] stdout = run == null ? null : raw.map(RawOutput::stdout).orElse(utf8(run.stdout()));
        byte[] stderr = run == null ? null : raw.map(RawOutput::stderr).orElse(utf8(run.stderr()));
        if (redirect && stdout != null) {
            stdout = concat(stdout, stderr);
            stderr = null;
        }
        s.put("token", job.id());
        s.put("stdout", bytes(stdout));
        s.put("stderr", bytes(stderr));
        s.put("compile_output", result == null ? null : emptyToNull(result.compileOutput()));
        s.put("message", job.result() == null && job.status().isFinal() ? "The submission was cancelled"
                : run == null || status == Judge0Status.ACCEPTED ? null : run.message());
        s.put("status", status.json());
        s.put("status_id", status.id);
        s.put("time", run == null ? null : seconds(run.cpuTimeMs()));
        s.put("wall_time", run == null ? null : seconds(run.wallTimeMs()));
        s.put("memory", run == null ? null : run.memoryKb());
        s.put("exit_code", run == null ? null : run.exitCode());
        s.put("exit_signal", run == null ? null : run.signalNumber());
        s.put("created_at", text(job.createdAt()));
        s.put("queued_at", text(job.createdAt()));
        s.put("started_at", text(job.startedAt()));
        s.put("finished_at", text(job.finishedAt()));
        s.put("updated_at", text(job.finishedAt() != null ? job.finishedAt() : job.startedAt() != null ? job.startedAt()
                : job.createdAt()));
        if (language != null) {
            s.put("language_id", language.get("id"));
            s.put("language", language);
        }
        if (base64) {
            for (String field : TEXT) {
                if (s.get(field) instanceof String value) {
                    s.put(field, encode64(value.getBytes(StandardCharsets.UTF_8)));
                }
            }
            if (stdout != null && stdout.length > 0) {
                s.put("stdout", encode64(stdout));
            }
            if (stderr != null && stderr.length > 0) {
                s.put("stderr", encode64(stderr));
            }
        }
        return s;
    }

    private static Object value(JsonNode node) {
        return node == null || node.isNull() ? null : io.codeexec.common.json.Json.MAPPER.convertValue(node, Object.class);
    }

    /** Ruby's Base64.encode64, which Judge0 uses: lines of 60 characters, each ending in a newline. */
    public static String encode64(byte[] bytes) {
        if (bytes.length == 0) {
            return "";
        }
        return Base64.getMimeEncoder(60, new byte[] {'\n'}).encodeToString(bytes) + "\n";
    }

    private static String bytes(byte[] value) {
        return value == null || value.length == 0 ? null : new String(value, StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String text) {
        return text == null ? new byte[0] : text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + (b == null ? 0 : b.length));
        if (b != null) {
            System.arraycopy(b, 0, out, a.length, b.length);
        }
        return out;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static String seconds(Long ms) {
        if (ms == null) {
            return null;
        }
        // As Ruby prints Judge0's decimals: "0.04", "1.5", "0.0".
        return ms == 0 ? "0.0" : BigDecimal.valueOf(ms).movePointLeft(3).stripTrailingZeros().toPlainString();
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
