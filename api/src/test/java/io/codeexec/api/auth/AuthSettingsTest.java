package io.codeexec.api.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codeexec.api.ApiConfig;
import io.codeexec.common.config.Env;
import io.codeexec.common.tenant.Plan;
import java.util.Map;
import org.junit.jupiter.api.Test;

// AUTH_MODE, ADMIN_TOKEN and ANON_RATE_PER_MINUTE: defaults and fail-fast validation.
class AuthSettingsTest {
    @Test
    void defaultsAreOffWithoutAdminAndAGenerousAnonymousRate() {
        AuthSettings auth = ApiConfig.defaults().auth();
        assertEquals(AuthMode.OFF, auth.mode());
        assertNull(auth.adminToken());
        assertFalse(auth.adminEnabled());
        assertEquals(new Plan(600, 0, 0, 0, null), auth.anonymousPlan());
        assertEquals(AuthSettings.BUILT_IN_PLAN, auth.defaultPlan());
    }

    @Test
    void settingsAreReadAndCheckedUpFront() {
        AuthSettings auth = ApiConfig.fromEnv(new Env(Map.of("AUTH_MODE", "KEYS", "ADMIN_TOKEN", "0123456789abcdef",
                "ANON_RATE_PER_MINUTE", "0"))).auth();
        assertEquals(AuthMode.KEYS, auth.mode());
        assertTrue(auth.adminEnabled());
        assertEquals(0, auth.anonymousPlan().submissionsPerMinute());
        assertThrows(IllegalArgumentException.class, () -> ApiConfig.fromEnv(new Env(Map.of("AUTH_MODE", "maybe"))));
        IllegalArgumentException shortToken = assertThrows(IllegalArgumentException.class,
                () -> ApiConfig.fromEnv(new Env(Map.of("ADMIN_TOKEN", "short"))));
        assertTrue(shortToken.getMessage().contains("ADMIN_TOKEN"));
        assertThrows(IllegalArgumentException.class, () -> ApiConfig.fromEnv(new Env(Map.of("ANON_RATE_PER_MINUTE", "-1"))));
    }
}
