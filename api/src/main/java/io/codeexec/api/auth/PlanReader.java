package io.codeexec.api.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.codeexec.common.job.InvalidSubmissionException;
import io.codeexec.common.job.Limits;
import io.codeexec.common.job.LimitsRequest;
import io.codeexec.common.tenant.Plan;
import java.util.Set;

/**
 * Reads a plan given as JSON (the admin API's "plan", the DEFAULT_PLAN setting): every field optional,
 * an absent one taken from a base plan; 0 means "no tenant limit" (the server's own limits apply); no
 * field may exceed the server's maximum (error naming "prefix.field"). maxLimits holds any of the
 * per-job limit fields, each within the server's range for that limit (0 or absent: the server's maximum).
 */
public final class PlanReader {
    private static final Set<String> FIELDS =
            Set.of("submissionsPerMinute", "maxQueued", "maxRunning", "maxTestsPerJob", "maxLimits");
    private static final Set<String> LIMIT_FIELDS = Set.of("timeMs", "wallTimeMs", "memoryMb", "outputBytes",
            "processes", "fileBytes", "compileTimeMs", "compileMemoryMb");
    private static final Limits NO_LIMITS = new Limits(0, 0, 0, 0, 0, 0, 0, 0);

    private PlanReader() {}

    /** The plan in {@code node} over {@code base} (null node: base itself); errors name {@code prefix}.field. */
    public static Plan read(JsonNode node, Plan base, PlanBounds bounds, String prefix) {
        if (node == null || node.isNull()) {
            return base;
        }
        if (!node.isObject()) {
            throw new InvalidSubmissionException("invalid_type", prefix, prefix + " must be an object");
        }
        node.fieldNames().forEachRemaining(name -> {
            if (!FIELDS.contains(name)) {
                throw new InvalidSubmissionException("unknown_field", prefix + "." + name, "Unknown field '" + prefix + "."
                        + name + "'; a plan has submissionsPerMinute, maxQueued, maxRunning, maxTestsPerJob and maxLimits");
            }
        });
        return new Plan(
                (int) field(node, "submissionsPerMinute", base.submissionsPerMinute(), PlanBounds.MAX_RATE, prefix),
                (int) field(node, "maxQueued", base.maxQueued(), bounds.maxQueued(), prefix),
                (int) field(node, "maxRunning", base.maxRunning(), PlanBounds.MAX_RATE, prefix),
                (int) field(node, "maxTestsPerJob", base.maxTestsPerJob(), bounds.maxTests(), prefix),
                maxLimits(node.get("maxLimits"), base.maxLimits(), bounds, prefix + ".maxLimits"));
    }

    private static Limits maxLimits(JsonNode node, Limits base, PlanBounds bounds, String prefix) {
        Limits from = base == null ? NO_LIMITS : base;
        if (node == null || node.isNull()) {
            return base;
        }
        if (!node.isObject()) {
            throw new InvalidSubmissionException("invalid_type", prefix, prefix + " must be an object");
        }
        node.fieldNames().forEachRemaining(name -> {
            if (!LIMIT_FIELDS.contains(name)) {
                throw new InvalidSubmissionException("unknown_field", prefix + "." + name, "Unknown field '" + prefix + "."
                        + name + "'; the limits are " + String.join(", ", LIMIT_FIELDS.stream().sorted().toList()));
            }
        });
        Limits max = bounds.limits().maxima();
        Limits limits = new Limits(
                (int) field(node, "timeMs", from.timeMs(), max.timeMs(), prefix),
                (int) field(node, "wallTimeMs", from.wallTimeMs(), max.wallTimeMs(), prefix),
                (int) field(node, "memoryMb", from.memoryMb(), max.memoryMb(), prefix),
                (int) field(node, "outputBytes", from.outputBytes(), max.outputBytes(), prefix),
                (int) field(node, "processes", from.processes(), max.processes(), prefix),
                field(node, "fileBytes", from.fileBytes(), max.fileBytes(), prefix),
                (int) field(node, "compileTimeMs", from.compileTimeMs(), max.compileTimeMs(), prefix),
                (int) field(node, "compileMemoryMb", from.compileMemoryMb(), max.compileMemoryMb(), prefix));
        checkAboveMinima(limits, bounds, prefix);
        return limits;
    }

    /** A plan maximum must itself be a limit the server accepts (e.g. memoryMb ≥ 16): ask the policy. */
    private static void checkAboveMinima(Limits l, PlanBounds bounds, String prefix) {
        try {
            bounds.limits().resolve(new LimitsRequest(positive(l.timeMs()), positive(l.wallTimeMs()), positive(l.memoryMb()),
                    positive(l.outputBytes()), positive(l.processes()), l.fileBytes() > 0 ? l.fileBytes() : null,
                    positive(l.compileTimeMs()), positive(l.compileMemoryMb())));
        } catch (InvalidSubmissionException e) {
            String field = prefix + e.field().substring("limits".length());
            throw new InvalidSubmissionException(e.code(), field, field + ": " + e.getMessage());
        }
    }

    private static Integer positive(int value) {
        return value > 0 ? value : null;
    }

    private static long field(JsonNode parent, String name, long fallback, long max, String prefix) {
        JsonNode node = parent.get(name);
        String path = prefix + "." + name;
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw new InvalidSubmissionException("invalid_type", path, path + " must be an integer (0: no tenant limit)");
        }
        long value = node.longValue();
        if (value < 0) {
            throw new InvalidSubmissionException("limit_too_low", path, path + " is " + value
                    + " but must be at least 0 (0: no tenant limit)");
        }
        if (value > max) {
            throw new InvalidSubmissionException("limit_too_high", path, path + " is " + value
                    + " but the server maximum is " + max + " (a plan can only lower the server's limits)");
        }
        return value;
    }
}
