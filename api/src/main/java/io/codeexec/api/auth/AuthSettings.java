package io.codeexec.api.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.codeexec.common.config.Env;
import io.codeexec.common.job.InvalidSubmissionException;
import io.codeexec.common.json.Json;
import io.codeexec.common.tenant.Plan;

/**
 * The tenant settings of the API, validated up front:
 * AUTH_MODE (off | keys, default off), ADMIN_TOKEN (unset: the admin API is disabled; at least 16 characters),
 * ANON_RATE_PER_MINUTE (submissions per minute per client address with AUTH_MODE=off, default 600, 0 = none)
 * and DEFAULT_PLAN (JSON of a plan: what a key created without one gets; any field left out keeps its default).
 */
public record AuthSettings(AuthMode mode, String adminToken, int anonRatePerMinute, Plan defaultPlan, PlanBounds bounds) {
    /** DEFAULT_PLAN when unset: 120 submissions a minute, 1000 jobs queued, no running cap, the server's test and limit maxima. */
    public static final Plan BUILT_IN_PLAN = new Plan(120, 1000, 0, 0, null);
    public static final int DEFAULT_ANON_RATE_PER_MINUTE = 600;
    static final int MIN_ADMIN_TOKEN_CHARS = 16;

    public static AuthSettings fromEnv(Env env, PlanBounds bounds) {
        AuthMode mode = AuthMode.parse(env.string("AUTH_MODE", "off"));
        String adminToken = env.string("ADMIN_TOKEN", null);
        if (adminToken != null && adminToken.length() < MIN_ADMIN_TOKEN_CHARS) {
            throw new IllegalArgumentException("ADMIN_TOKEN must be at least " + MIN_ADMIN_TOKEN_CHARS
                    + " characters (make up generates one into .env)");
        }
        int anonRate = env.integer("ANON_RATE_PER_MINUTE", DEFAULT_ANON_RATE_PER_MINUTE, 0, PlanBounds.MAX_RATE);
        return new AuthSettings(mode, adminToken, anonRate, defaultPlan(env.string("DEFAULT_PLAN", null), bounds), bounds);
    }

    /** Off, no admin token, the built-in plans: what a config built in code starts from. */
    public static AuthSettings off(PlanBounds bounds) {
        return new AuthSettings(AuthMode.OFF, null, DEFAULT_ANON_RATE_PER_MINUTE, BUILT_IN_PLAN, bounds);
    }

    /** The plan of every caller with AUTH_MODE=off: only the per-address rate. */
    public Plan anonymousPlan() {
        return new Plan(anonRatePerMinute, 0, 0, 0, null);
    }

    public boolean adminEnabled() {
        return adminToken != null;
    }

    private static Plan defaultPlan(String json, PlanBounds bounds) {
        if (json == null) {
            return BUILT_IN_PLAN;
        }
        try {
            JsonNode node = Json.MAPPER.readTree(json);
            return PlanReader.read(node, BUILT_IN_PLAN, bounds, "DEFAULT_PLAN");
        } catch (InvalidSubmissionException e) {
            throw new IllegalArgumentException(e.getMessage());
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("DEFAULT_PLAN must be a JSON object, e.g. {\"submissionsPerMinute\": 60}");
        }
    }
}
