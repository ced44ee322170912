package io.codeexec.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codeexec.common.config.Env;
import java.util.Map;
import org.junit.jupiter.api.Test;

// The grading settings (MAX_TESTS, MAX_TESTS_BYTES) and the body limit that must hold a maximal graded submission.
class ApiConfigTest {
    private final ApiConfig defaults = ApiConfig.defaults();

    @Test
    void testsSettingsAreBoundedByTheServerMaxima() {
        assertEquals(200, defaults.maxTests());
        assertEquals(16 << 20, defaults.maxTestsBytes());
        assertEquals(1000, ApiConfig.fromEnv(new Env(Map.of("MAX_TESTS", "1000"))).maxTests());
        assertThrows(IllegalArgumentException.class, () -> ApiConfig.fromEnv(new Env(Map.of("MAX_TESTS", "1001"))));
        assertThrows(IllegalArgumentException.class, () -> ApiConfig.fromEnv(new Env(Map.of("MAX_TESTS", "0"))));
        assertEquals(64 << 20, ApiConfig.fromEnv(new Env(Map.of("MAX_TESTS_BYTES", String.valueOf(64 << 20)))).maxTestsBytes());
        assertThrows(IllegalArgumentException.class,
                () -> ApiConfig.fromEnv(new Env(Map.of("MAX_TESTS_BYTES", String.valueOf((64 << 20) + 1)))));
    }

    @Test
    void bodyLimitMakesRoomForTheTestsBudget() {
        ApiConfig none = ApiConfig.fromEnv(new Env(Map.of("MAX_TESTS_BYTES", "0")));
        assertTrue(defaults.maxRequestBytes() - none.maxRequestBytes() >= 4L * defaults.maxTestsBytes(),
                "room for the tests budget, escaped");
        // A test with no budgeted bytes still costs JSON: a name of 128 six-character escapes and "" per arg.
        ApiConfig thousand = ApiConfig.fromEnv(new Env(Map.of("MAX_TESTS_BYTES", "0", "MAX_TESTS", "1000")));
        long perTest = TestsReader.MAX_NAME_CHARS * 6L + defaults.maxArgs() * 3L;
        assertTrue(thousand.maxRequestBytes() - none.maxRequestBytes() >= 800 * perTest, "room for each test's own JSON");
    }
}
