package io.codeexec.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.codeexec.common.job.InvalidSubmissionException;
import io.codeexec.common.job.LimitsRequest;
import java.util.Set;

/** Reads the optional "limits" object into a LimitsRequest, naming the field of any type error. */
final class LimitsReader {
    private static final Set<String> FIELDS =
            Set.of("timeMs", "wallTimeMs", "memoryMb", "outputBytes", "processes", "fileBytes", "compileTimeMs",
                    "compileMemoryMb");

    private LimitsReader() {}

    static LimitsRequest read(JsonNode node) {
        if (node == null || node.isNull()) {
            return LimitsRequest.NONE;
        }
        if (!node.isObject()) {
            throw new InvalidSubmissionException("invalid_type", "limits", "limits must be an object");
        }
        node.fieldNames().forEachRemaining(name -> {
            if (!FIELDS.contains(name)) {
                throw new InvalidSubmissionException("unknown_field", "limits." + name,
                        "Unknown field 'limits." + name + "'; the limits are " + String.join(", ", FIELDS.stream().sorted().toList()));
            }
        });
        Long fileBytes = integer(node, "fileBytes");
        return new LimitsRequest(small(node, "timeMs"), small(node, "wallTimeMs"), small(node, "memoryMb"),
                small(node, "outputBytes"), small(node, "processes"), fileBytes,
                small(node, "compileTimeMs"), small(node, "compileMemoryMb"));
    }

    /** An int field; values beyond int range are saturated so LimitPolicy reports them as too high or low. */
    private static Integer small(JsonNode limits, String field) {
        Long value = integer(limits, field);
        return value == null ? null : (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, value));
    }

    private static Long integer(JsonNode limits, String field) {
        JsonNode node = limits.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber()) {
            throw new InvalidSubmissionException("invalid_type", "limits." + field, "limits." + field + " must be an integer");
        }
        if (!node.canConvertToLong()) {
            return node.bigIntegerValue().signum() > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
        }
        return node.longValue();
    }
}
