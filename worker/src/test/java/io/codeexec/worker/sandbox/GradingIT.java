package io.codeexec.worker.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codeexec.common.config.LimitPolicy;
import io.codeexec.common.job.Comparison;
import io.codeexec.common.job.JobRequest;
import io.codeexec.common.job.JobResult;
import io.codeexec.common.job.LanguageCatalog;
import io.codeexec.common.job.LimitsRequest;
import io.codeexec.common.job.TestCase;
import io.codeexec.common.job.TestResult;
import io.codeexec.common.job.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Jobs with tests against the real engine: one container, one process per test, per-test verdicts. */
class GradingIT {
    private static final LanguageCatalog CATALOG = LocalSandbox.CATALOG;
    /** Reads two integers and prints their sum; "loop" spins, "crash" exits 3 — in every language. */
    private static final Map<String, String> ADDER = Map.of(
            "python", "import sys\na = sys.stdin.read().split()\nif a[0] == 'loop':\n    while True: pass\n"
                    + "if a[0] == 'crash':\n    sys.exit(3)\nprint(int(a[0]) + int(a[1]))\n",
            "javascript", "const a = require('fs').readFileSync(0, 'utf8').trim().split(/\\s+/);\n"
                    + "if (a[0] === 'loop') { for (;;) {} }\nif (a[0] === 'crash') process.exit(3);\n"
                    + "console.log(Number(a[0]) + Number(a[1]));\n",
            "ruby", "a = $stdin.read.split\nloop {} if a[0] == 'loop'\nexit 3 if a[0] == 'crash'\nputs a[0].to_i + a[1].to_i\n");
    private static LocalSandbox local;
    private static DockerSandbox sandbox;

    @BeforeAll
    static void connect() {
        local = LocalSandbox.connect("grading-it");
        sandbox = local.sandbox();
    }

    @AfterAll
    static void close() throws Exception {
        local.close();
    }

    static JobResult grade(String language, String code, List<TestCase> tests, Comparison compare, boolean stopOnFirstFailure) {
        JobRequest request = new JobRequest(language, code, "", List.of(),
                LimitPolicy.standard().resolve(new LimitsRequest(1000, 3000, null, null, null, null)), null, tests,
                compare, stopOnFirstFailure, List.of());
        return sandbox.run("grading-" + System.nanoTime(), CATALOG.find(language).orElseThrow(), request, () -> true);
    }

    private static List<TestCase> sums(String... stdins) {
        List<TestCase> tests = new ArrayList<>();
        for (int i = 0; i < stdins.length; i++) {
            String[] parts = stdins[i].split(" ");
            String expected = parts[0].matches("-?\\d+") ? (Integer.parseInt(parts[0]) + Integer.parseInt(parts[1])) + "\n" : "";
            tests.add(new TestCase("t" + (i + 1), stdins[i] + "\n", expected, List.of()));
        }
        return tests;
    }

    private static List<Verdict> verdicts(JobResult result) {
        return result.tests().stream().map(TestResult::verdict).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"python", "javascript", "ruby"})
    void acceptedSolution(String language) {
        JobResult result = grade(language, ADDER.get(language), sums("1 2", "10 20", "-5 5"), Comparison.TRIMMED, false);
        assertEquals(Verdict.ACCEPTED, result.verdict(), result.toString());
        assertEquals(3, result.passed());
        assertEquals(3, result.total());
        assertEquals("30\n", result.tests().get(1).stdout());
        assertTrue(result.tests().stream().allMatch(t -> t.cpuTimeMs() != null && t.memoryKb() > 0), result.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"python", "javascript", "ruby"})
    void wrongAnswerIsTheFirstFailingTestsVerdict(String language) {
        List<TestCase> tests = new ArrayList<>(sums("1 2", "2 2"));
        tests.set(1, new TestCase("t2", "2 2\n", "5\n", List.of()));
        JobResult result = grade(language, ADDER.get(language), tests, Comparison.TRIMMED, false);
        assertEquals(Verdict.WRONG_ANSWER, result.verdict(), result.toString());
        assertEquals(List.of(Verdict.ACCEPTED, Verdict.WRONG_ANSWER), verdicts(result));
        assertEquals(1, result.passed());
    }

    @ParameterizedTest
    @ValueSource(strings = {"python", "javascript", "ruby"})
    void runtimeErrorInTestThreeOfFive(String language) {
        JobResult result = grade(language, ADDER.get(language), sums("1 1", "2 2", "crash 0", "4 4", "5 5"),
                Comparison.TRIMMED, false);
        assertEquals(Verdict.RUNTIME_ERROR, result.verdict(), result.toString());
        assertEquals(List.of(Verdict.ACCEPTED, Verdict.ACCEPTED, Verdict.RUNTIME_ERROR, Verdict.ACCEPTED, Verdict.ACCEPTED),
                verdicts(result));
        assertEquals(3, result.tests().get(2).exitCode());
        assertEquals(4, result.passed());
        assertEquals(5, result.total());
    }

    @ParameterizedTest
    @ValueSource(strings = {"python", "javascript", "ruby"})
    void timeLimitInOneTestOnly(String language) {
        JobResult result = grade(language, ADDER.get(language), sums("1 1", "loop 0", "3 3"), Comparison.TRIMMED, false);
        assertEquals(Verdict.TIME_LIMIT_EXCEEDED, result.verdict(), result.toString());
        assertEquals(List.of(Verdict.ACCEPTED, Verdict.TIME_LIMIT_EXCEEDED, Verdict.ACCEPTED), verdicts(result));
    }

    @Test
    void stopOnFirstFailureSkipsTheRest() {
        JobResult result = grade("python", ADDER.get("python"), sums("1 1", "crash 0", "3 3", "4 4"), Comparison.TRIMMED, true);
        assertEquals(Verdict.RUNTIME_ERROR, result.verdict(), result.toString());
        assertEquals(List.of(Verdict.ACCEPTED, Verdict.RUNTIME_ERROR, Verdict.SKIPPED, Verdict.SKIPPED), verdicts(result));
        assertNull(result.tests().get(2).wallTimeMs(), "a skipped test did not run");
    }

    @Test
    void compareModesAgainstTheRealOutput() {
        String code = "import sys\nsys.stdout.write(sys.stdin.read())";
        List<TestCase> tests = List.of(new TestCase("crlf", "1 2\r\n3  \r\n\r\n", "1 2\n3\n", List.of()));
        assertEquals(Verdict.ACCEPTED, grade("python", code, tests, Comparison.TRIMMED, false).verdict());
        assertEquals(Verdict.WRONG_ANSWER, grade("python", code, tests, Comparison.fromJson("exact"), false).verdict());
        List<TestCase> spaced = List.of(new TestCase("tokens", "1   2\n\n3", "1 2 3", List.of()));
        assertEquals(Verdict.ACCEPTED, grade("python", code, spaced, Comparison.fromJson("tokens"), false).verdict());
        List<TestCase> floats = List.of(new TestCase("float", "0.0000001 2.0000001", "0 2", List.of()));
        assertEquals(Verdict.ACCEPTED, grade("python", code, floats, Comparison.fromJson(Map.of("float", 1e-6)), false).verdict());
        assertEquals(Verdict.WRONG_ANSWER, grade("python", code, floats, Comparison.fromJson(Map.of("float", 1e-9)), false).verdict());
    }

    @Test
    void eachTestIsAFreshSandboxWithItsOwnStdinAndArgs() {
        String code = "import os, sys\nprint(os.getpid() > 0, sys.argv[1:], sys.stdin.read().strip())\n"
                + "open('/sandbox/trace', 'a').write('x')\nprint(len(open('/sandbox/trace').read()))";
        List<TestCase> tests = List.of(new TestCase("a", "one", "", List.of("--x")), new TestCase("b", "two", "", List.of()));
        JobResult result = grade("python", code, tests, Comparison.TRIMMED, false);
        assertEquals("True ['--x'] one\n1\n", result.tests().get(0).stdout());
        // A fresh inner sandbox per test: own stdin and args, and nothing the earlier test wrote.
        assertEquals("True [] two\n1\n", result.tests().get(1).stdout());
    }
}
