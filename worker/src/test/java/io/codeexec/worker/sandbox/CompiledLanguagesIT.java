package io.codeexec.worker.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** c, cpp, java, go and rust against the real engine: compiled once, judged per test. */
class CompiledLanguagesIT {
    private static final LanguageCatalog CATALOG = LocalSandbox.CATALOG;
    /** Reads "a b": prints a+b; "0 0" loops forever; a < 0 exits 3. */
    private static final Map<String, String> ADDER = Map.of(
            "c", """
                    #include <stdio.h>
                    int main(void) { long a, b; if (scanf("%ld %ld", &a, &b) != 2) return 1;
                      if (a == 0 && b == 0) { volatile long x = 0; for (;;) x++; }
                      if (a < 0) return 3; printf("%ld\\n", a + b); return 0; }
                    """,
            "cpp", """
                    #include <iostream>
                    int main() { long a, b; std::cin >> a >> b;
                      if (a == 0 && b == 0) { volatile long x = 0; for (;;) x++; }
                      if (a < 0) return 3; std::cout << a + b << std::endl; return 0; }
                    """,
            "java", """
                    import java.util.Scanner;
                    public class Solution {
                      public static void main(String[] args) { Scanner in = new Scanner(System.in);
                        long a = in.nextLong(), b = in.nextLong();
                        if (a == 0 && b == 0) { long x = 0; while (true) { x++; } }
                        if (a < 0) System.exit(3); System.out.println(a + b); } }
                    """,
            "go", """
                    package main
                    import ("fmt"; "os")
                    func main() { var a, b int64; fmt.Scan(&a, &b)
                      if a == 0 && b == 0 { x := 0; for { x++ } }
                      if a < 0 { os.Exit(3) }; fmt.Println(a + b) }
                    """,
            "rust", """
                    use std::io::Read;
                    fn main() { let mut s = String::new(); std::io::stdin().read_to_string(&mut s).unwrap();
                      let v: Vec<i64> = s.split_whitespace().map(|t| t.parse().unwrap()).collect();
                      if v[0] == 0 && v[1] == 0 { let mut x: u64 = 0; loop { x = x.wrapping_add(1); std::hint::black_box(x); } }
                      if v[0] < 0 { std::process::exit(3); } println!("{}", v[0] + v[1]); }
                    """);
    private static final Map<String, String> BROKEN = Map.of(
            "c", "int main(void) { return missing; }",
            "cpp", "int main() { undeclared(); }",
            "java", "public class Main { public static void main(String[] a) { int x = \"s\"; } }",
            "go", "package main\nfunc main() { undefinedThing() }",
            "rust", "fn main() { let x: i32 = \"s\"; }");
    private static LocalSandbox local;
    private static DockerSandbox sandbox;

    @BeforeAll
    static void connect() {
        local = LocalSandbox.connect("compiled-it");
        sandbox = local.sandbox();
    }

    @AfterAll
    static void close() throws Exception {
        local.close();
    }

    private static JobResult run(String language, String code, List<TestCase> tests, String stdin, List<String> options) {
        JobRequest request = new JobRequest(language, code, stdin, List.of(),
                LimitPolicy.standard().resolve(new LimitsRequest(1000, 3000, 256, null, null, null)), null, tests,
                Comparison.TRIMMED, false, options);
        return sandbox.run("compiled-" + System.nanoTime(), CATALOG.find(language).orElseThrow(), request, () -> true);
    }

    private static List<TestCase> tests(String... inputs) {
        List<TestCase> tests = new ArrayList<>();
        for (int i = 0; i < inputs.length; i++) {
            String[] p = inputs[i].split(" ");
            tests.add(new TestCase("t" + (i + 1), inputs[i] + "\n", (Long.parseLong(p[0]) + Long.parseLong(p[1])) + "\n",
                    List.of()));
        }
        return tests;
    }

    @ParameterizedTest
    @ValueSource(strings = {"c", "cpp", "java", "go", "rust"})
    void acceptedRuntimeErrorInTestThreeOfFiveAndTimeLimitInOneTest(String language) {
        JobResult accepted = run(language, ADDER.get(language), tests("1 2", "20 22", "5 5"), "", List.of());
        assertEquals(Verdict.ACCEPTED, accepted.verdict(), accepted.toString());
        assertEquals(3, accepted.passed());
        assertNotNull(accepted.compileOutput());

        JobResult mixed = run(language, ADDER.get(language), tests("1 1", "2 2", "-3 1", "0 0", "5 5"), "", List.of());
        assertEquals(List.of(Verdict.ACCEPTED, Verdict.ACCEPTED, Verdict.RUNTIME_ERROR, Verdict.TIME_LIMIT_EXCEEDED,
                Verdict.ACCEPTED), mixed.tests().stream().map(TestResult::verdict).toList(), mixed.toString());
        assertEquals(Verdict.RUNTIME_ERROR, mixed.verdict());
        assertEquals(3, mixed.tests().get(2).exitCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"c", "cpp", "java", "go", "rust"})
    void wrongAnswer(String language) {
        List<TestCase> tests = List.of(new TestCase("t1", "2 2\n", "5\n", List.of()));
        JobResult result = run(language, ADDER.get(language), tests, "", List.of());
        assertEquals(Verdict.WRONG_ANSWER, result.verdict(), result.toString());
        assertEquals("4\n", result.tests().get(0).stdout());
    }

    @ParameterizedTest
    @ValueSource(strings = {"c", "cpp", "java", "go", "rust"})
    void compileErrorCarriesTheCompilersOutput(String language) {
        JobResult result = run(language, BROKEN.get(language), tests("1 2"), "", List.of());
        assertEquals(Verdict.COMPILE_ERROR, result.verdict(), result.toString());
        assertTrue(result.compileOutput() != null && !result.compileOutput().isBlank(), result.toString());
        assertEquals(0, result.passed());
    }

    @ParameterizedTest
    @ValueSource(strings = {"c", "cpp", "java", "go", "rust"})
    void aJobWithoutTestsCompilesAndRunsOnce(String language) {
        JobResult result = run(language, ADDER.get(language), List.of(), "40 2\n", List.of());
        assertEquals(Verdict.OK, result.verdict(), result.toString());
        assertEquals("42\n", result.stdout());
        assertEquals(null, result.tests());
    }

    @Test
    void allowListedCompilerOptionsReachTheCompiler() {
        String code = "#include <stdio.h>\nint main(void) {\n#ifdef ONLINE_JUDGE\nputs(\"judge\");\n#else\nputs(\"local\");\n#endif\n}";
        assertEquals("judge\n", run("c", code, List.of(), "", List.of("-DONLINE_JUDGE")).stdout());
        assertEquals("local\n", run("c", code, List.of(), "", List.of()).stdout());
    }

    @Test
    void aJavaClassNameNoFileCanCarryIsACompileError() {
        String longName = "C" + "x".repeat(299);
        JobResult tooLong = run("java", "public class " + longName + " { public static void main(String[] a) {} }",
                List.of(), "", List.of());
        assertEquals(Verdict.COMPILE_ERROR, tooLong.verdict(), tooLong.toString());
        assertTrue(tooLong.message().contains("255 bytes"), tooLong.message());
        JobResult longest = run("java", "public class " + "L".repeat(249)
                + " { public static void main(String[] a) { System.out.println(\"ok\"); } }", List.of(), "", List.of());
        assertEquals("ok\n", longest.stdout(), "a 249-character class name still fits its .class file: " + longest);
    }

    @Test
    void anOptionOutsideTheAllowListIsACompileError() {
        JobResult result = run("c", "int main(void) { return 0; }", List.of(), "", List.of("-fplugin=/tmp/x.so"));
        assertEquals(Verdict.COMPILE_ERROR, result.verdict(), result.toString());
    }
}
