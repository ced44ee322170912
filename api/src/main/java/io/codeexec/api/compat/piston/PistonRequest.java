package io.codeexec.api.compat.piston;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.codeexec.api.compat.CompatError;
import io.codeexec.common.config.LimitPolicy;
import io.codeexec.common.job.Limits;
import io.codeexec.common.json.Json;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Translates a Piston v2 execute body into a v1 job body, checking it in Piston's order and with
 * Piston's messages (api/src/api/v2.js get_job):
 * 1. language, version, files[] and each files[i].content; the runtime by name or alias and semver;
 * 2. at least one utf8 file (the first one is the program, as in Piston; base64/hex files are data);
 * 3. the six limits: a number, not above our maximum, not negative (memory -1 = no limit = our maximum);
 *    run_timeout → wallTimeMs, run_cpu_time → timeMs, *_memory_limit bytes → MB (rounded up, at least
 *    v1's minimum), compile_cpu_time (or compile_timeout) → compileTimeMs.
 * One file becomes v1 {@code code}; several become v1 {@code files} (multi-file programs, contract §3).
 */
final class PistonRequest {
    /** The runtime a request resolved to, and the v1 body to validate and queue. */
    record Translation(PistonRuntimes.Runtime runtime, ObjectNode v1Body) {}

    private static final long MIB = LimitPolicy.MIB;
    private static final int MIN_MEMORY_MB = 16;
    private static final int MIN_COMPILE_MEMORY_MB = 64;
    private static final int MIN_COMPILE_TIME_MS = 1000;

    private PistonRequest() {}

    static CompatError error(int status, String message) {
        return new CompatError(status, Map.of("message", message));
    }

    static Translation translate(JsonNode body, PistonRuntimes runtimes, Limits maxima) {
        if (body == null || !body.isObject()) {
            throw error(400, "language is required as a string");
        }
        String language = requiredString(body, "language");
        String version = requiredString(body, "version");
        JsonNode files = body.get("files");
        if (files == null || !files.isArray()) {
            throw error(400, "files is required as an array");
        }
        for (int i = 0; i < files.size(); i++) {
            JsonNode content = files.get(i).get("content");
            if (content == null || !content.isTextual()) {
                throw error(400, "files[" + i + "].content is required as a string");
            }
        }
        PistonRuntimes.Runtime runtime = runtimes.find(language, version)
                .orElseThrow(() -> error(400, language + "-" + version + " runtime is unknown"));
        if (!hasUtf8File(files)) {
            throw error(400, "files must include at least one utf8 encoded file");
        }
        Map<String, Long> configured = Map.of(
                "compile_memory_limit", maxima.compileMemoryMb() * MIB, "run_memory_limit", maxima.memoryMb() * MIB,
                "compile_timeout", (long) maxima.compileTimeMs(), "run_timeout", (long) maxima.wallTimeMs(),
                "compile_cpu_time", (long) maxima.compileTimeMs(), "run_cpu_time", (long) maxima.timeMs());
        ObjectNode limits = Json.MAPPER.createObjectNode();
        for (String constraint : List.of("memory_limit", "timeout", "cpu_time")) {
            for (String type : List.of("compile", "run")) {
                String name = type + "_" + constraint;
                Long value = constraint(body, name, configured.get(name), constraint.equals("memory_limit"));
                if (value != null) {
                    applyLimit(limits, name, value);
                }
            }
        }
        ObjectNode v1 = Json.MAPPER.createObjectNode();
        v1.put("language", runtime.id());
        putProgram(v1, files);
        if (body.hasNonNull("stdin")) {
            v1.set("stdin", body.get("stdin"));
        }
        if (body.hasNonNull("args")) {
            v1.set("args", body.get("args"));
        }
        if (!limits.isEmpty()) {
            v1.set("limits", limits);
        }
        return new Translation(runtime, v1);
    }

    private static String requiredString(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || !node.isTextual() || node.textValue().isEmpty()) {
            throw error(400, field + " is required as a string");
        }
        return node.textValue();
    }

    private static boolean isUtf8(JsonNode file) {
        JsonNode encoding = file.get("encoding");
        return encoding == null || encoding.isNull() || "utf8".equals(encoding.asText());
    }

    private static boolean hasUtf8File(JsonNode files) {
        for (JsonNode file : files) {
            if (isUtf8(file)) {
                return true;
            }
        }
        return false;
    }

    /** Piston skips a falsy value (absent, null, 0, false, ""); -1 memory means "no limit": our maximum. */
    private static Long constraint(JsonNode body, String name, long configured, boolean memory) {
        JsonNode node = body.get(name);
        if (node == null || node.isNull() || (node.isNumber() && node.doubleValue() == 0)
                || (node.isBoolean() && !node.booleanValue()) || (node.isTextual() && node.textValue().isEmpty())) {
            return null;
        }
        if (!node.isNumber()) {
            throw error(400, "If specified, " + name + " must be a number");
        }
        double value = node.doubleValue();
        if (memory && value == -1) {
            return configured;
        }
        if (value > configured) {
            throw error(400, name + " cannot exceed the configured limit of " + configured);
        }
        if (value < 0) {
            throw error(400, name + " must be non-negative");
        }
        return (long) Math.ceil(value);
    }

    private static void applyLimit(ObjectNode limits, String name, long value) {
        switch (name) {
            case "run_timeout" -> limits.put("wallTimeMs", value);
            case "run_cpu_time" -> limits.put("timeMs", value);
            case "run_memory_limit" -> limits.put("memoryMb", Math.max(MIN_MEMORY_MB, (value + MIB - 1) / MIB));
            case "compile_memory_limit" -> limits.put("compileMemoryMb",
                    Math.max(MIN_COMPILE_MEMORY_MB, (value + MIB - 1) / MIB));
            case "compile_cpu_time" -> limits.put("compileTimeMs", Math.max(MIN_COMPILE_TIME_MS, value));
            case "compile_timeout" -> {
                if (!limits.has("compileTimeMs")) {  // compile_cpu_time, when given, wins (checked after)
                    limits.put("compileTimeMs", Math.max(MIN_COMPILE_TIME_MS, value));
                }
            }
            default -> throw new IllegalArgumentException(name);
        }
    }

    /** One utf8 file → code; otherwise files[] with the first utf8 file first (Piston runs code_files[0]). */
    private static void putProgram(ObjectNode v1, JsonNode files) {
        if (files.size() == 1) {
            v1.put("code", files.get(0).get("content").textValue());
            return;
        }
        ArrayNode out = v1.putArray("files");
        JsonNode entry = null;
        for (JsonNode file : files) {
            if (entry == null && isUtf8(file)) {
                entry = file;
            }
        }
        int index = 0;
        for (JsonNode file : files) {
            ObjectNode copy = out.addObject();
            JsonNode name = file.get("name");
            copy.put("name", name != null && name.isTextual() && !name.textValue().isEmpty()
                    ? name.textValue() : "file" + index + ".code");  // Piston's default name
            String encoding = file.hasNonNull("encoding") ? file.get("encoding").asText() : "utf8";
            String content = file.get("content").textValue();
            if (encoding.equals("hex")) {
                content = java.util.Base64.getEncoder().encodeToString(hex(content));
                encoding = "base64";
            }
            copy.put("content", content);
            copy.put("encoding", encoding);
            index++;
        }
        v1.put("entrypoint", out.get(indexOf(files, entry)).get("name").textValue());
    }

    private static int indexOf(JsonNode files, JsonNode entry) {
        for (int i = 0; i < files.size(); i++) {
            if (files.get(i) == entry) {
                return i;
            }
        }
        return 0;
    }

    private static byte[] hex(String content) {
        try {
            return HexFormat.of().parseHex(content.trim());
        } catch (IllegalArgumentException e) {
            throw error(400, "files content is not valid hex");
        }
    }
}
