package io.codeexec.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codeexec.common.job.InvalidSubmissionException;
import io.codeexec.common.job.Limits;
import io.codeexec.common.job.LimitsRequest;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class LimitPolicyTest {
    private static final int MIB = LimitPolicy.MIB;
    private final LimitPolicy standard = LimitPolicy.standard();

    private static LimitsRequest time(int value) {
        return new LimitsRequest(value, null, null, null, null, null);
    }

    /** A request setting only {@code field} to {@code value}. */
    private static LimitsRequest only(String field, long value) {
        int v = (int) value;
        return switch (field) {
            case "timeMs" -> new LimitsRequest(v, null, null, null, null, null);
            case "wallTimeMs" -> new LimitsRequest(null, v, null, null, null, null);
            case "memoryMb" -> new LimitsRequest(null, null, v, null, null, null);
            case "outputBytes" -> new LimitsRequest(null, null, null, v, null, null);
            case "processes" -> new LimitsRequest(null, null, null, null, v, null);
            case "fileBytes" -> new LimitsRequest(null, null, null, null, null, value);
            case "compileTimeMs" -> new LimitsRequest(null, null, null, null, null, null, v, null);
            case "compileMemoryMb" -> new LimitsRequest(null, null, null, null, null, null, null, v);
            default -> throw new IllegalArgumentException(field);
        };
    }

    private static final Map<String, Function<Limits, Long>> READ = Map.of(
            "timeMs", l -> (long) l.timeMs(),
            "wallTimeMs", l -> (long) l.wallTimeMs(),
            "memoryMb", l -> (long) l.memoryMb(),
            "outputBytes", l -> (long) l.outputBytes(),
            "processes", l -> (long) l.processes(),
            "fileBytes", Limits::fileBytes,
            "compileTimeMs", l -> (long) l.compileTimeMs(),
            "compileMemoryMb", l -> (long) l.compileMemoryMb());

    /** field, standard maximum, smallest legal value. */
    static Stream<Arguments> fields() {
        return Stream.of(
                Arguments.of("timeMs", 15_000L, 1L),
                Arguments.of("wallTimeMs", 30_000L, 1L),
                Arguments.of("memoryMb", 1024L, 16L),
                Arguments.of("outputBytes", 8L * MIB, 1L),
                Arguments.of("processes", 256L, 8L),
                Arguments.of("fileBytes", 64L * MIB, 0L),
                Arguments.of("compileTimeMs", 30_000L, 1000L),
                Arguments.of("compileMemoryMb", 2048L, 64L));
    }

    @Test
    void standardDefaultsAndMaxima() {
        assertEquals(new Limits(3000, 7000, 128, 64 * 1024, 64, MIB, 10_000, 512), standard.defaults());
        assertEquals(new Limits(15_000, 30_000, 1024, 8 * MIB, 256, 64L * MIB, 30_000, 2048), standard.maxima());
        assertEquals(16L * MIB, standard.maxResultBytes());
    }

    private Limits output(int outputBytes) {
        return standard.resolve(only("outputBytes", outputBytes));
    }

    @Test
    void aPlainRunAtTheOutputMaximumFitsExactly() {
        standard.checkResultBytes(output(8 * MIB), 0, false);  // 2 × 8 MiB = 16 MiB
        standard.checkResultBytes(output(8 * MIB), 1, false);
    }

    @Test
    void compilerOutputCountsForCompiledLanguages() {
        InvalidSubmissionException e = assertThrows(InvalidSubmissionException.class,
                () -> standard.checkResultBytes(output(8 * MIB), 0, true));
        assertEquals("limits.outputBytes", e.field());
        assertEquals("result_too_large", e.code());
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains(Long.toString(16L * MIB + 64 * 1024)), e.getMessage());
        assertTrue(e.getMessage().contains("at most " + (8 * MIB - 32 * 1024)), "the largest outputBytes that fits: "
                + e.getMessage());
        standard.checkResultBytes(output(8 * MIB - 32 * 1024), 0, true);
    }

    @Test
    void tooManyTestsForTheirOutputNamesTests() {
        // 60 tests × 2 × 8 MiB: each test alone would fit, all of them cannot.
        InvalidSubmissionException e = assertThrows(InvalidSubmissionException.class,
                () -> standard.checkResultBytes(output(8 * MIB), 60, false));
        assertEquals("tests", e.field());
        assertEquals("result_too_large", e.code());
        assertTrue(e.getMessage().contains(Long.toString(60L * 2 * 8 * MIB)), e.getMessage());
        assertTrue(e.getMessage().contains("fewer tests"), e.getMessage());
        standard.checkResultBytes(output(64 * 1024), 128, false);  // 128 × 2 × 64 KiB = 16 MiB
        assertThrows(InvalidSubmissionException.class, () -> standard.checkResultBytes(output(64 * 1024), 129, false));
    }

    @Test
    void oneTestThatCannotFitNamesOutputBytes() {
        LimitPolicy small = LimitPolicy.fromEnv(new Env(Map.of("MAX_RESULT_BYTES", Integer.toString(MIB))));
        InvalidSubmissionException e = assertThrows(InvalidSubmissionException.class,
                () -> small.checkResultBytes(small.resolve(only("outputBytes", MIB)), 3, false));
        assertEquals("limits.outputBytes", e.field(), "fewer tests would not help");
    }

    @Test
    void anOutputDefaultShrinksToFitTheTestsButARequestedOneIsChecked() {
        assertEquals(64 * 1024, standard.resolve(LimitsRequest.NONE, 100, false).outputBytes(), "fits: unchanged");
        assertEquals(16 * MIB / 400, standard.resolve(LimitsRequest.NONE, 200, false).outputBytes());
        assertEquals((16 * MIB - 64 * 1024) / 400, standard.resolve(LimitsRequest.NONE, 200, true).outputBytes());
        assertEquals(standard.defaults().timeMs(), standard.resolve(LimitsRequest.NONE, 200, false).timeMs());
        InvalidSubmissionException e = assertThrows(InvalidSubmissionException.class,
                () -> standard.resolve(only("outputBytes", 64 * 1024), 200, false));
        assertEquals("tests", e.field());
        assertEquals(32_768, standard.resolve(only("outputBytes", 32_768), 200, false).outputBytes());
    }

    @Test
    void maxResultBytesComesFromTheEnvironment() {
        assertEquals(32L * MIB, LimitPolicy.fromEnv(new Env(Map.of("MAX_RESULT_BYTES", "33554432"))).maxResultBytes());
        assertNamed("MAX_RESULT_BYTES", Map.of("MAX_RESULT_BYTES", "1000"));
    }

    @Test
    void absentRequestTakesTheDefaults() {
        assertEquals(standard.defaults(), standard.resolve(null));
        assertEquals(standard.defaults(), standard.resolve(LimitsRequest.NONE));
    }

    @Test
    void wallDefaultsToTwiceTheTimePlusOneSecondWhenTimeIsGiven() {
        assertEquals(3000, standard.resolve(time(1000)).wallTimeMs());
        assertEquals(1002, standard.resolve(time(1)).wallTimeMs());
        assertEquals(30_000, standard.resolve(time(15_000)).wallTimeMs(), "capped at the wall maximum");
        assertEquals(500, standard.resolve(new LimitsRequest(1000, 500, null, null, null, null)).wallTimeMs(),
                "an explicit wall clock wins");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fields")
    void theMaximumAndMinimumThemselvesAreAccepted(String field, long max, long min) {
        assertEquals(max, READ.get(field).apply(standard.resolve(only(field, max))));
        assertEquals(min, READ.get(field).apply(standard.resolve(only(field, min))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fields")
    void aboveTheMaximumIsRejectedNamingFieldAndMaximum(String field, long max, long min) {
        InvalidSubmissionException e = assertThrows(InvalidSubmissionException.class,
                () -> standard.resolve(only(field, max + 1)));
        assertEquals("limits." + field, e.field());
        assertEquals("limit_too_high", e.code());
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains(Long.toString(max)), e.getMessage());
        assertTrue(e.getMessage().contains("limits." + field), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fields")
    void belowTheMinimumIsRejectedNamingFieldAndMinimum(String field, long max, long min) {
        InvalidSubmissionException e = assertThrows(InvalidSubmissionException.class,
                () -> standard.resolve(only(field, min - 1)));
        assertEquals("limits." + field, e.field());
        assertEquals("limit_too_low", e.code());
        assertTrue(e.getMessage().contains("at least " + min), e.getMessage());
    }

    @Test
    void environmentOverridesDefaultsAndMaxima() {
        LimitPolicy policy = LimitPolicy.fromEnv(new Env(Map.of(
                "MAX_TIME_MS", "20000",
                "DEFAULT_TIME_MS", "2000",
                "MAX_MEMORY_MB", "2048",
                "DEFAULT_MEMORY_MB", "256",
                "DEFAULT_PROCESSES", "32",
                "MAX_FILE_BYTES", "0",
                "DEFAULT_FILE_BYTES", "0")));
        assertEquals(new Limits(2000, 5000, 256, 64 * 1024, 32, 0), policy.defaults(),
                "the wall default follows the overridden time default");
        assertEquals(20_000, policy.maxima().timeMs());
        assertEquals(2048, policy.maxima().memoryMb());
        assertEquals(20_000, policy.resolve(time(20_000)).timeMs(), "the raised maximum is usable");
        InvalidSubmissionException e = assertThrows(InvalidSubmissionException.class,
                () -> policy.resolve(only("fileBytes", 1)));
        assertEquals("limits.fileBytes", e.field());
    }

    @Test
    void explicitWallDefaultFromEnvironment() {
        LimitPolicy policy = LimitPolicy.fromEnv(new Env(Map.of("DEFAULT_WALL_TIME_MS", "4000")));
        assertEquals(4000, policy.defaults().wallTimeMs());
        assertEquals(4000, policy.resolve(LimitsRequest.NONE).wallTimeMs());
        assertEquals(3000, policy.resolve(time(1000)).wallTimeMs(), "a requested time recomputes the wall default");
    }

    @Test
    void environmentValueOutOfRangeFailsNamingTheVariable() {
        assertNamed("DEFAULT_TIME_MS", Map.of("DEFAULT_TIME_MS", "20000"));  // above MAX_TIME_MS (15000)
        assertNamed("MAX_MEMORY_MB", Map.of("MAX_MEMORY_MB", "8"));
        assertNamed("DEFAULT_MEMORY_MB", Map.of("MAX_MEMORY_MB", "64", "DEFAULT_MEMORY_MB", "128"));
        assertNamed("DEFAULT_WALL_TIME_MS", Map.of("DEFAULT_WALL_TIME_MS", "99"));
        assertNamed("MAX_PROCESSES", Map.of("MAX_PROCESSES", "lots"));
        assertNamed("MAX_FILE_BYTES", Map.of("MAX_FILE_BYTES", "-1"));
    }

    private static void assertNamed(String variable, Map<String, String> env) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LimitPolicy.fromEnv(new Env(env)));
        assertTrue(e.getMessage().startsWith(variable + " "), e.getMessage());
    }
}
