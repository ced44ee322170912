package io.codeexec.api.compat.judge0;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.codeexec.api.compat.CompatError;
import io.codeexec.common.job.Limits;
import io.codeexec.common.json.Json;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Translates one Judge0 submission body into a v1 job body, with Judge0's checks and 422 answers
 * ({"field": ["message", ...]}, every failing field at once, as Rails validations report them):
 * 1. source_code and language_id present, the language one of ours (Judge0 ids, see Judge0Languages);
 *    with ?base64_encoded=true, source_code, stdin and expected_output are decoded first;
 * 2. limits in Judge0 units within our maxima: cpu_time_limit and wall_time_limit (seconds) → timeMs and
 *    wallTimeMs, memory_limit (KB) → memoryMb (rounded up), max_file_size (KB) → fileBytes,
 *    max_processes_and_or_threads → processes (each raised to v1's minimum where below it);
 *    cpu_extra_time, stack_limit and number_of_runs are checked and otherwise ignored (one run);
 * 3. expected_output makes the job one test compared "trimmed" (Judge0 strips trailing whitespace of each
 *    line and the end); compiler_options and command_line_arguments are split on spaces into argv items;
 * 4. callback_url becomes the v1 callbackUrl (the worker PUTs Judge0's body there, see Judge0Submission);
 *    what we cannot do is refused with Judge0's own message for a host where it is disabled: network,
 *    additional_files, per-process limits.
 * The attributes as Judge0 would store them are kept for ?fields=* and redirect_stderr_to_stdout.
 */
final class Judge0Request {
    /** The v1 body to validate and queue, and the submission's Judge0 attributes to keep. */
    record Translation(ObjectNode v1Body, ObjectNode attributes) {}

    static final int MAX_OPTION_CHARS = 512;
    private static final int MAX_NUMBER_OF_RUNS = 20;
    private static final long MIN_MEMORY_KB = 2048;
    private static final int MIN_MEMORY_MB = 16;
    private static final int MIN_PROCESSES = 8;
    private static final List<String> ATTRIBUTES = List.of("source_code", "language_id", "compiler_options",
            "command_line_arguments", "number_of_runs", "stdin", "expected_output", "cpu_time_limit", "cpu_extra_time",
            "wall_time_limit", "memory_limit", "stack_limit", "max_processes_and_or_threads",
            "enable_per_process_and_thread_time_limit", "enable_per_process_and_thread_memory_limit", "max_file_size",
            "redirect_stderr_to_stdout", "callback_url", "additional_files", "enable_network");

    private final Map<String, List<String>> errors = new LinkedHashMap<>();
    private final JsonNode body;
    private final boolean base64;

    private Judge0Request(JsonNode body, boolean base64) {
        this.body = body;
        this.base64 = base64;
    }

    static CompatError error(int status, String message) {
        return new CompatError(status, Map.of("error", message));
    }

    /** The translation, or CompatError 422 with every field's problems. */
    static Translation translate(JsonNode body, boolean base64, Judge0Languages languages, Limits maxima) {
        if (body == null || !body.isObject()) {
            throw new CompatError(422, Map.of("source_code", List.of("can't be blank"), "language_id", List.of("can't be blank")));
        }
        return new Judge0Request(body, base64).translate(languages, maxima);
    }

    private Translation translate(Judge0Languages languages, Limits maxima) {
        ObjectNode attributes = Json.MAPPER.createObjectNode();
        ATTRIBUTES.forEach(name -> attributes.set(name, body.get(name)));
        String code = text("source_code", base64);
        if (code == null || code.isBlank()) {
            add("source_code", "can't be blank");
        }
        Judge0Languages.Entry language = language(languages);
        String stdin = text("stdin", base64);
        String expected = text("expected_output", base64);
        attributes.put("source_code", code).put("stdin", stdin).put("expected_output", expected);

        ObjectNode limits = Json.MAPPER.createObjectNode();
        BigDecimal cpu = number("cpu_time_limit", BigDecimal.ZERO, false, seconds(maxima.timeMs()));
        if (cpu != null) {
            limits.put("timeMs", Math.max(1, millis(cpu)));
        }
        BigDecimal wall = number("wall_time_limit", BigDecimal.ONE, false, seconds(maxima.wallTimeMs()));
        if (wall != null) {
            limits.put("wallTimeMs", Math.max(1, millis(wall)));
        }
        BigDecimal memory = number("memory_limit", BigDecimal.valueOf(MIN_MEMORY_KB), false,
                BigDecimal.valueOf(maxima.memoryMb() * 1024L));
        if (memory != null) {
            limits.put("memoryMb", Math.max(MIN_MEMORY_MB, (memory.longValue() + 1023) / 1024));
        }
        BigDecimal processes = number("max_processes_and_or_threads", BigDecimal.ZERO, true,
                BigDecimal.valueOf(maxima.processes()));
        if (processes != null) {
            limits.put("processes", Math.max(MIN_PROCESSES, processes.intValue()));
        }
        BigDecimal fileKb = number("max_file_size", BigDecimal.ZERO, false, BigDecimal.valueOf(maxima.fileBytes() / 1024));
        if (fileKb != null) {
            limits.put("fileBytes", fileKb.longValue() * 1024);
        }
        number("cpu_extra_time", BigDecimal.ZERO, false, BigDecimal.valueOf(5));
        number("stack_limit", BigDecimal.ZERO, false, BigDecimal.valueOf(maxima.memoryMb() * 1024L));
        number("number_of_runs", BigDecimal.ZERO, true, BigDecimal.valueOf(MAX_NUMBER_OF_RUNS));
        List<String> compilerOptions = words("compiler_options");
        List<String> args = words("command_line_arguments");
        if (!compilerOptions.isEmpty() && language != null && language.compileCmd() == null) {
            add("compiler_options", "setting compiler options is only allowed for compiled languages");
        }
        refuseIfSet("enable_per_process_and_thread_time_limit", "this option cannot be enabled");
        refuseIfSet("enable_per_process_and_thread_memory_limit", "this option cannot be enabled");
        refuseIfSet("enable_network", "enabling network is not allowed");
        refuseIfSet("additional_files", "setting additional files is not allowed");
        String callbackUrl = text("callback_url", false);
        flag("redirect_stderr_to_stdout");
        if (!errors.isEmpty()) {
            throw new CompatError(422, errors);
        }

        ObjectNode v1 = Json.MAPPER.createObjectNode();
        v1.put("language", language.v1Id());
        v1.put("code", code);
        if (expected != null) {
            ArrayNode tests = v1.putArray("tests");
            ObjectNode test = tests.addObject();
            test.put("stdin", stdin == null ? "" : stdin);
            test.put("expectedOutput", expected);
            test.set("args", Json.MAPPER.valueToTree(args));
            v1.put("compare", "trimmed");
        } else {
            v1.put("stdin", stdin == null ? "" : stdin);
            v1.set("args", Json.MAPPER.valueToTree(args));
        }
        if (!compilerOptions.isEmpty()) {
            v1.set("compilerOptions", Json.MAPPER.valueToTree(compilerOptions));
        }
        if (!limits.isEmpty()) {
            v1.set("limits", limits);
        }
        if (callbackUrl != null && !callbackUrl.isBlank()) {
            v1.put("callbackUrl", callbackUrl);  // delivered through the v1 outbox, as a PUT of Judge0's body
        }
        return new Translation(v1, attributes);
    }

    private void add(String field, String message) {
        errors.computeIfAbsent(field, f -> new ArrayList<>()).add(message);
    }

    private Judge0Languages.Entry language(Judge0Languages languages) {
        JsonNode node = body.get("language_id");
        if (node == null || node.isNull() || (node.isTextual() && node.textValue().isBlank())) {
            add("language_id", "can't be blank");
            return null;
        }
        String raw = node.asText().trim();
        try {
            int id = new BigDecimal(raw).intValueExact();
            var entry = languages.find(id);
            if (entry.isPresent()) {
                return entry.get();
            }
        } catch (NumberFormatException | ArithmeticException e) {
            // Reported below with Judge0's wording.
        }
        add("language_id", "language with id " + raw + " doesn't exist");
        return null;
    }

    /** A text attribute (null when absent), decoded from base64 when the request says so. */
    private String text(String field, boolean decode) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isValueNode() || node.isBinary()) {
            add(field, "must be a string");
            return null;
        }
        String value = node.asText();
        if (!decode) {
            return value;
        }
        try {
            return new String(Base64.getMimeDecoder().decode(value), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            add(field, "is not valid base64");
            return null;
        }
    }

    /** A numeric attribute within [min, max] (min exclusive when strict), as Rails' numericality checks it. */
    private BigDecimal number(String field, BigDecimal min, boolean strict, BigDecimal max) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull() || (node.isTextual() && node.textValue().isBlank())) {
            return null;
        }
        BigDecimal value;
        try {
            value = node.isNumber() ? node.decimalValue() : new BigDecimal(node.asText().trim());
        } catch (NumberFormatException e) {
            add(field, "is not a number");
            return null;
        }
        if (strict ? value.compareTo(min) <= 0 : value.compareTo(min) < 0) {
            add(field, "must be greater than" + (strict ? " " : " or equal to ") + plain(min));
        } else if (value.compareTo(max) > 0) {
            add(field, "must be less than or equal to " + plain(max));
        }
        return value;
    }

    private List<String> words(String field) {
        String value = text(field, false);
        if (value == null || value.isBlank()) {
            return List.of();
        }
        if (value.length() > MAX_OPTION_CHARS) {
            add(field, "is too long (maximum is " + MAX_OPTION_CHARS + " characters)");
        }
        return List.of(value.trim().split("\\s+"));
    }

    private void refuseIfSet(String field, String message) {
        JsonNode node = body.get(field);
        boolean set = node != null && !node.isNull() && !(node.isBoolean() && !node.booleanValue())
                && !(node.isTextual() && (node.textValue().isBlank() || node.textValue().equals("false")));
        if (set) {
            add(field, message);
        }
    }

    private void flag(String field) {
        JsonNode node = body.get(field);
        if (node != null && !node.isNull() && !node.isBoolean()
                && !(node.isTextual() && List.of("true", "false").contains(node.textValue()))) {
            add(field, "is not included in the list");
        }
    }

    private static BigDecimal seconds(long ms) {
        return BigDecimal.valueOf(ms).movePointLeft(3);
    }

    private static long millis(BigDecimal seconds) {
        return seconds.movePointRight(3).setScale(0, java.math.RoundingMode.CEILING).longValue();
    }

    private static String plain(BigDecimal value) {
        return value.stripTrailingZeros().toPlainString();
    }
}
