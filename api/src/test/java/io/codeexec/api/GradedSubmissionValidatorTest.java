package io.codeexec.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codeexec.common.config.Env;
import io.codeexec.common.job.Comparison;
import io.codeexec.common.job.InvalidSubmissionException;
import io.codeexec.common.job.JobRequest;
import io.codeexec.common.job.LanguageCatalog;
import io.codeexec.common.job.TestCase;
import io.codeexec.common.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

// Grading submissions: tests, compare, stopOnFirstFailure, compilerOptions and the compile limits,
// what a good one becomes and every way one can be wrong (defaults: MAX_TESTS 200, MAX_TESTS_BYTES 16 MiB).
class GradedSubmissionValidatorTest {
    private static final List<String> INSTALLED = List.of("python", "javascript", "ruby", "c");
    private final ApiConfig config = ApiConfig.defaults();
    private final SubmissionValidator validator = new SubmissionValidator(config, () -> INSTALLED);

    private JobRequest validate(String json) {
        return validator.validate(json.getBytes(StandardCharsets.UTF_8));
    }

    private InvalidSubmissionException rejected(String json) {
        return rejected(validator, json);
    }

    private static InvalidSubmissionException rejected(SubmissionValidator validator, String json) {
        return assertThrows(InvalidSubmissionException.class,
                () -> validator.validate(json.getBytes(StandardCharsets.UTF_8)));
    }

    private static void assertError(InvalidSubmissionException e, int status, String code, String field) {
        assertEquals(status, e.status(), e.getMessage());
        assertEquals(code, e.code(), e.getMessage());
        assertEquals(field, e.field(), e.getMessage());
    }

    /** A python submission with these extra top-level fields (JSON text each). */
    private static String python(String extra) {
        return "{\"language\":\"python\",\"code\":\"print(input())\"," + extra + "}";
    }

    /** A python submission with these tests (JSON text of the array). */
    private static String withTests(String tests) {
        return python("\"tests\":" + tests);
    }

    private static String body(Map<String, Object> fields) {
        return Json.write(fields);
    }

    private static Map<String, Object> test(Object... keyValues) {
        Map<String, Object> test = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            test.put((String) keyValues[i], keyValues[i + 1]);
        }
        return test;
    }

    private static SubmissionValidator validatorWith(Map<String, String> env) {
        return new SubmissionValidator(ApiConfig.fromEnv(new Env(env)), () -> INSTALLED);
    }

    @Test
    void fullGradedSubmissionBecomesTheJobRequest() {
        JobRequest request = validate("""
                {"language":"python","code":"print(sum(map(int, input().split())))",
                 "tests":[{"name":"adds","stdin":"1 2\\n","expectedOutput":"3\\n","args":["-v"]},
                          {"stdin":"2 2\\n","expectedOutput":"4\\n"},
                          {}],
                 "compare":{"float":1e-6},"stopOnFirstFailure":true,
                 "limits":{"timeMs":1000,"compileTimeMs":20000,"compileMemoryMb":1024}}""");
        assertEquals(List.of(
                new TestCase("adds", "1 2\n", "3\n", List.of("-v")),
                new TestCase("test-2", "2 2\n", "4\n", List.of()),
                new TestCase("test-3", "", "", List.of())), request.tests());
        assertTrue(request.hasTests());
        assertEquals(new Comparison(Comparison.Mode.FLOAT, 1e-6), request.compare());
        assertTrue(request.stopOnFirstFailure());
        assertEquals(List.of(), request.compilerOptions());
        assertEquals("", request.stdin());
        assertEquals(List.of(), request.args());
        assertEquals(1000, request.limits().timeMs());
        assertEquals(20_000, request.limits().compileTimeMs());
        assertEquals(1024, request.limits().compileMemoryMb());
    }

    @Test
    void withoutGradingFieldsTheDefaultsApply() {
        JobRequest request = validate("{\"language\":\"python\",\"code\":\"print(1)\",\"tests\":null,\"compare\":null}");
        assertEquals(List.of(), request.tests());
        assertFalse(request.hasTests());
        assertEquals(Comparison.TRIMMED, request.compare());
        assertFalse(request.stopOnFirstFailure());
        assertEquals(List.of(), request.compilerOptions());
        assertEquals(config.limits().defaults().compileTimeMs(), request.limits().compileTimeMs());
        assertEquals(config.limits().defaults().compileMemoryMb(), request.limits().compileMemoryMb());
    }

    @Test
    void eachCompareModeParsesAndIsAllowedWithoutTests() {
        assertEquals(new Comparison(Comparison.Mode.EXACT, 0), validate(python("\"compare\":\"exact\"")).compare());
        assertEquals(Comparison.TRIMMED, validate(python("\"compare\":\"trimmed\"")).compare());
        assertEquals(new Comparison(Comparison.Mode.TOKENS, 0), validate(python("\"compare\":\"tokens\"")).compare());
        assertEquals(new Comparison(Comparison.Mode.FLOAT, 0.001), validate(python("\"compare\":{\"float\":0.001}")).compare());
        assertEquals(new Comparison(Comparison.Mode.FLOAT, 0), validate(python("\"compare\":{\"float\":0}")).compare());
        assertEquals(new Comparison(Comparison.Mode.TOKENS, 0),
                validate(withTests("[{}],\"compare\":\"tokens\"")).compare());
    }

    @Test
    void anyOtherCompareIsInvalid() {
        for (String bad : List.of("\"fuzzy\"", "\"EXACT\"", "\"\"", "1", "true", "[\"exact\"]", "{}", "{\"float\":-1}",
                "{\"float\":\"1e-6\"}", "{\"float\":1e400}", "{\"float\":null}", "{\"float\":1,\"exact\":true}",
                "{\"tolerance\":1}")) {
            InvalidSubmissionException e = rejected(python("\"compare\":" + bad));
            assertError(e, 400, "invalid_value", "compare");
            assertTrue(e.getMessage().contains("\"tokens\""), e.getMessage());
        }
    }

    @Test
    void stopOnFirstFailureMustBeABoolean() {
        assertFalse(validate(python("\"stopOnFirstFailure\":false")).stopOnFirstFailure());
        for (String bad : List.of("\"true\"", "1", "[]", "{}")) {
            assertError(rejected(python("\"stopOnFirstFailure\":" + bad)), 400, "invalid_type", "stopOnFirstFailure");
        }
    }

    @Test
    void interpretedLanguagesTakeNoCompilerOptions() {
        InvalidSubmissionException e = rejected(python("\"compilerOptions\":[\"-O2\"]"));
        assertError(e, 400, "invalid_value", "compilerOptions");
        assertEquals("python takes no compiler options", e.getMessage());
        assertEquals(List.of(), validate(python("\"compilerOptions\":[]")).compilerOptions());
    }

    @Test
    void compilerOptionsMustBeAnArrayOfAtMostSixteenStrings() {
        assertError(rejected(python("\"compilerOptions\":\"-O2\"")), 400, "invalid_type", "compilerOptions");
        assertError(rejected(python("\"compilerOptions\":[2]")), 400, "invalid_type", "compilerOptions");
        assertError(rejected(body(Map.of("language", "python", "code", "x",
                "compilerOptions", Collections.nCopies(17, "-O2")))), 400, "invalid_value", "compilerOptions");
    }

    @Test
    void unsupportedLanguageIsReportedBeforeItsOptions() {
        assertError(rejected("{\"language\":\"cobol\",\"code\":\"x\",\"compilerOptions\":[\"-O2\"]}"),
                400, "unsupported_language", "language");
    }

    // Needs "c" in LanguageCatalog with "-O2" among its compilerOptions (the lead is adding it).
    @Test
    void compiledLanguageAcceptsOnlyItsAllowList() {
        List<String> allowed = LanguageCatalog.standard().find("c").orElseThrow(
                () -> new AssertionError("LanguageCatalog has no \"c\" yet")).compilerOptions();
        assertTrue(allowed.contains("-O2"), allowed.toString());
        String c = "{\"language\":\"c\",\"code\":\"int main(void){return 0;}\",\"compilerOptions\":";
        assertEquals(List.of("-O2"), validate(c + "[\"-O2\"]}").compilerOptions());
        for (String bad : List.of("-fplugin=/tmp/x.so", "-O2 -fplugin=/tmp/x.so", "", "-o/etc/passwd", "-O2;id")) {
            InvalidSubmissionException e = rejected(c + Json.write(List.of("-O2", bad)) + "}");
            assertError(e, 400, "invalid_value", "compilerOptions");
            assertTrue(e.getMessage().contains("-O2"), "names the allowed options: " + e.getMessage());
        }
    }

    @Test
    void compileLimitsAreResolvedAgainstTheirMaxima() {
        InvalidSubmissionException time = rejected(python("\"limits\":{\"compileTimeMs\":30001}"));
        assertError(time, 400, "limit_too_high", "limits.compileTimeMs");
        assertTrue(time.getMessage().contains("30000"), time.getMessage());
        InvalidSubmissionException memory = rejected(python("\"limits\":{\"compileMemoryMb\":999999}"));
        assertError(memory, 400, "limit_too_high", "limits.compileMemoryMb");
        assertTrue(memory.getMessage().contains("2048"), memory.getMessage());
        assertError(rejected(python("\"limits\":{\"compileTimeMs\":999}")), 400, "limit_too_low", "limits.compileTimeMs");
        assertError(rejected(python("\"limits\":{\"compileMemoryMb\":\"512\"}")), 400, "invalid_type", "limits.compileMemoryMb");
        assertError(rejected(python("\"limits\":{\"compileTimeMs\":1.5}")), 400, "invalid_type", "limits.compileTimeMs");
    }

    @Test
    void unknownFieldMessageListsTheGradingFields() {
        InvalidSubmissionException e = rejected(python("\"test\":[]"));
        assertError(e, 400, "unknown_field", "test");
        assertTrue(e.getMessage().contains("tests, compare, stopOnFirstFailure and compilerOptions"), e.getMessage());
    }

    @Test
    void topLevelStdinAndArgsMustBeAbsentWithTests() {
        InvalidSubmissionException stdin = rejected(withTests("[{}],\"stdin\":\"1 2\""));
        assertError(stdin, 400, "invalid_value", "stdin");
        assertEquals("stdin goes in each test when tests are given", stdin.getMessage());
        assertError(rejected(withTests("[{}],\"stdin\":\"\"")), 400, "invalid_value", "stdin");
        assertError(rejected(withTests("[{}],\"args\":[\"a\"]")), 400, "invalid_value", "args");
        assertError(rejected(withTests("[{}],\"args\":[]")), 400, "invalid_value", "args");
        assertEquals(1, validate(withTests("[{}],\"stdin\":null,\"args\":null")).tests().size());
    }

    @Test
    void testsMustBeANonEmptyArrayOfObjects() {
        assertError(rejected(withTests("{}")), 400, "invalid_type", "tests");
        assertError(rejected(withTests("\"t1\"")), 400, "invalid_type", "tests");
        assertError(rejected(withTests("[]")), 400, "invalid_value", "tests");
        assertError(rejected(withTests("[{},\"t2\"]")), 400, "invalid_type", "tests[1]");
        assertError(rejected(withTests("[{},null]")), 400, "invalid_type", "tests[1]");
    }

    @Test
    void atMostMaxTestsTests() {
        List<Map<String, Object>> max = Collections.nCopies(200, Map.of());
        assertEquals("test-200", validate(body(Map.of("language", "python", "code", "x", "tests", max))).tests().get(199).name());
        List<Map<String, Object>> tooMany = Collections.nCopies(201, Map.of());
        InvalidSubmissionException e = rejected(body(Map.of("language", "python", "code", "x", "tests", tooMany)));
        assertError(e, 400, "too_many_tests", "tests");
        assertTrue(e.getMessage().contains("200"), e.getMessage());
        assertError(rejected(validatorWith(Map.of("MAX_TESTS", "2")), withTests("[{},{},{}]")), 400, "too_many_tests", "tests");
    }

    @Test
    void aJobWhoseOutputCouldPassMaxResultBytesIsRejected() {
        // 60 tests × stdout and stderr of 8 MiB each: the job that wedged the workers (issue 9).
        List<Map<String, Object>> sixty = Collections.nCopies(60, Map.of());
        InvalidSubmissionException e = rejected(body(Map.of("language", "python", "code", "x", "tests", sixty,
                "limits", Map.of("outputBytes", 8 << 20))));
        assertError(e, 400, "result_too_large", "tests");
        assertTrue(e.getMessage().contains("16777216"), e.getMessage());
        assertError(rejected(body(Map.of("language", "c", "code", "int main(){}",
                "limits", Map.of("outputBytes", 8 << 20)))), 400, "result_too_large", "limits.outputBytes");
        assertEquals(8 << 20, validate(body(Map.of("language", "python", "code", "x",
                "limits", Map.of("outputBytes", 8 << 20)))).limits().outputBytes(), "a plain run at the maximum fits");
        SubmissionValidator small = validatorWith(Map.of("MAX_RESULT_BYTES", Integer.toString(1 << 20)));
        assertError(rejected(small, python("\"limits\":{\"outputBytes\":1048576}")), 400, "result_too_large",
                "limits.outputBytes");
    }

    @Test
    void theDefaultOutputCapShrinksSoThatManyTestsFit() {
        List<Map<String, Object>> max = Collections.nCopies(200, Map.of());
        JobRequest request = validate(body(Map.of("language", "python", "code", "x", "tests", max)));
        assertEquals((16 << 20) / 400, request.limits().outputBytes());
    }

    @Test
    void unknownKeyInATestIsNamed() {
        assertError(rejected(withTests("[{},{\"input\":\"1\"}]")), 400, "unknown_field", "tests[1].input");
        assertError(rejected(withTests("[{\"expected\":\"1\"}]")), 400, "unknown_field", "tests[0].expected");
    }

    @Test
    void wrongTypeInATestNamesItemAndKey() {
        assertError(rejected(withTests("[{},{},{\"stdin\":5}]")), 400, "invalid_type", "tests[2].stdin");
        assertError(rejected(withTests("[{\"expectedOutput\":[\"3\"]}]")), 400, "invalid_type", "tests[0].expectedOutput");
        assertError(rejected(withTests("[{\"name\":1}]")), 400, "invalid_type", "tests[0].name");
        assertError(rejected(withTests("[{\"args\":\"a b\"}]")), 400, "invalid_type", "tests[0].args");
        assertError(rejected(withTests("[{\"args\":[\"a\",1]}]")), 400, "invalid_type", "tests[0].args");
    }

    @Test
    void testNamesAreUniqueNonEmptyAndAtMost128Characters() {
        InvalidSubmissionException duplicate =
                rejected(withTests("[{\"name\":\"a\"},{\"name\":\"b\"},{\"name\":\"c\"},{\"name\":\"a\"}]"));
        assertError(duplicate, 400, "invalid_value", "tests[3].name");
        assertTrue(duplicate.getMessage().contains("unique"), duplicate.getMessage());
        // An explicit name may collide with a default one, either way round.
        assertError(rejected(withTests("[{},{\"name\":\"test-1\"}]")), 400, "invalid_value", "tests[1].name");
        assertError(rejected(withTests("[{\"name\":\"test-2\"},{}]")), 400, "invalid_value", "tests[1].name");
        assertError(rejected(withTests("[{\"name\":\"\"}]")), 400, "invalid_value", "tests[0].name");
        String longest = "😀".repeat(128);  // 128 characters, 256 UTF-16 chars
        assertEquals(longest, validate(body(Map.of("language", "python", "code", "x",
                "tests", List.of(Map.of("name", longest))))).tests().get(0).name());
        assertError(rejected(body(Map.of("language", "python", "code", "x",
                "tests", List.of(Map.of(), Map.of("name", "n".repeat(129)))))), 400, "invalid_value", "tests[1].name");
    }

    @Test
    void testArgsFollowTheJobArgsRules() {
        assertEquals(List.of("a", "b"), validate(withTests("[{\"args\":[\"a\",\"b\"]}]")).tests().get(0).args());
        assertError(rejected(body(Map.of("language", "python", "code", "x",
                "tests", List.of(Map.of(), Map.of("args", Collections.nCopies(33, "a")))))), 400, "too_many_args", "tests[1].args");
        assertError(rejected(body(Map.of("language", "python", "code", "x",
                "tests", List.of(Map.of("args", List.of("a".repeat(4097))))))), 413, "payload_too_large", "tests[0].args");
        assertError(rejected(body(Map.of("language", "python", "code", "x",
                "tests", List.of(Map.of("args", List.of("a\0b")))))), 400, "invalid_value", "tests[0].args");
    }

    @Test
    void eachTestStdinAndExpectedOutputIsWithinMaxStdinBytes() {
        String mib = "x".repeat(1024 * 1024);
        validate(body(Map.of("language", "python", "code", "x", "tests", List.of(test("stdin", mib, "expectedOutput", mib)))));
        InvalidSubmissionException stdin = rejected(body(Map.of("language", "python", "code", "x",
                "tests", List.of(Map.of(), test("stdin", mib + "x")))));
        assertError(stdin, 413, "payload_too_large", "tests[1].stdin");
        assertTrue(stdin.getMessage().contains("1048576"), stdin.getMessage());
        assertError(rejected(body(Map.of("language", "python", "code", "x",
                "tests", List.of(test("expectedOutput", "é".repeat(512 * 1024) + "x"))))),
                413, "payload_too_large", "tests[0].expectedOutput");
    }

    @Test
    void allTestsTogetherAreWithinMaxTestsBytes() {
        SubmissionValidator small = validatorWith(Map.of("MAX_TESTS_BYTES", "100"));
        // stdin 40 + expectedOutput 50 + args 10 (UTF-8) = 100 bytes exactly; names do not count.
        List<Map<String, Object>> fits = List.of(
                test("name", "n".repeat(100), "stdin", "i".repeat(40)),
                test("expectedOutput", "o".repeat(50), "args", List.of("éé", "ééé")));
        assertEquals(2, small.validate(body(Map.of("language", "python", "code", "x", "tests", fits))
                .getBytes(StandardCharsets.UTF_8)).tests().size());
        List<Map<String, Object>> over = new ArrayList<>(fits);
        over.add(test("args", List.of("x")));
        InvalidSubmissionException e = rejected(small, body(Map.of("language", "python", "code", "x", "tests", over)));
        assertError(e, 413, "payload_too_large", "tests");
        assertTrue(e.getMessage().contains("100 bytes"), e.getMessage());
    }

    @Test
    void defaultTestsBudgetIsSixteenMebibytes() {
        String mib = "x".repeat(1024 * 1024);
        List<Map<String, Object>> tests = new ArrayList<>(Collections.nCopies(16, test("stdin", mib)));
        validate(body(Map.of("language", "python", "code", "x", "tests", tests)));
        tests.add(test("expectedOutput", "y"));
        assertError(rejected(body(Map.of("language", "python", "code", "x", "tests", tests))),
                413, "payload_too_large", "tests");
    }
}
