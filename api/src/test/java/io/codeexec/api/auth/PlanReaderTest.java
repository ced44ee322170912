package io.codeexec.api.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.codeexec.api.ApiConfig;
import io.codeexec.common.config.Env;
import io.codeexec.common.job.InvalidSubmissionException;
import io.codeexec.common.job.Limits;
import io.codeexec.common.json.Json;
import io.codeexec.common.tenant.Plan;
import java.util.Map;
import org.junit.jupiter.api.Test;

// Plan merging: fields over a base plan, the server's maxima as a ceiling, errors naming the field.
class PlanReaderTest {
    private static final PlanBounds BOUNDS = PlanBounds.of(ApiConfig.defaults());
    private static final Plan BASE = new Plan(120, 1000, 0, 0, null);

    private static Plan read(String json) {
        return PlanReader.read(node(json), BASE, BOUNDS, "plan");
    }

    private static JsonNode node(String json) {
        return Json.read(json, JsonNode.class);
    }

    private static InvalidSubmissionException rejected(String json) {
        return assertThrows(InvalidSubmissionException.class, () -> read(json));
    }

    @Test
    void absentFieldsComeFromTheBase() {
        assertEquals(BASE, PlanReader.read(null, BASE, BOUNDS, "plan"));
        assertEquals(BASE, read("{}"));
        assertEquals(new Plan(5, 1000, 2, 0, null), read("{\"submissionsPerMinute\": 5, \"maxRunning\": 2}"));
    }

    @Test
    void maxLimitsFieldsLeftOutMeanTheServersMaximum() {
        Plan plan = read("{\"maxLimits\": {\"memoryMb\": 64, \"timeMs\": 1000}}");
        assertEquals(new Limits(1000, 0, 64, 0, 0, 0, 0, 0), plan.maxLimits());
        Plan over = PlanReader.read(node("{\"maxLimits\": {\"processes\": 16}}"), plan, BOUNDS, "plan");
        assertEquals(new Limits(1000, 0, 64, 0, 16, 0, 0, 0), over.maxLimits(), "merged field by field over the base");
    }

    @Test
    void aPlanCanOnlyLowerTheServersLimits() {
        assertEquals("plan.maxTestsPerJob", rejected("{\"maxTestsPerJob\": 201}").field());
        assertEquals(200, read("{\"maxTestsPerJob\": 200}").maxTestsPerJob());
        assertEquals("plan.maxQueued", rejected("{\"maxQueued\": 10001}").field());
        InvalidSubmissionException memory = rejected("{\"maxLimits\": {\"memoryMb\": 1025}}");
        assertEquals("plan.maxLimits.memoryMb", memory.field());
        assertEquals("limit_too_high", memory.code());
        assertTrue(memory.getMessage().contains("1024"), memory.getMessage());
    }

    @Test
    void aPlanMaximumMustBeALimitTheServerAccepts() {
        InvalidSubmissionException low = rejected("{\"maxLimits\": {\"memoryMb\": 8}}");
        assertEquals("plan.maxLimits.memoryMb", low.field());
        assertEquals("limit_too_low", low.code());
    }

    @Test
    void badShapesAreRejectedNamingTheField() {
        assertEquals("plan.maxQueued", rejected("{\"maxQueued\": -1}").field());
        assertEquals("plan.maxQueued", rejected("{\"maxQueued\": 1.5}").field());
        assertEquals("plan.maxQueued", rejected("{\"maxQueued\": \"10\"}").field());
        assertEquals("plan.speed", rejected("{\"speed\": 1}").field());
        assertEquals("plan.maxLimits.cpus", rejected("{\"maxLimits\": {\"cpus\": 1}}").field());
        assertEquals("plan", rejected("[]").field());
    }

    @Test
    void defaultPlanSettingIsReadTheSameWay() {
        AuthSettings settings = AuthSettings.fromEnv(new Env(Map.of("DEFAULT_PLAN", "{\"submissionsPerMinute\": 30}")), BOUNDS);
        assertEquals(new Plan(30, 1000, 0, 0, null), settings.defaultPlan());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () ->
                AuthSettings.fromEnv(new Env(Map.of("DEFAULT_PLAN", "{\"maxTestsPerJob\": 5000}")), BOUNDS));
        assertTrue(bad.getMessage().contains("DEFAULT_PLAN.maxTestsPerJob"), bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AuthSettings.fromEnv(new Env(Map.of("DEFAULT_PLAN", "{")), BOUNDS));
    }
}
