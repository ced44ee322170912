package io.codeexec.worker.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codeexec.common.config.LimitPolicy;
import io.codeexec.common.job.Comparison;
import io.codeexec.common.job.JobRequest;
import io.codeexec.common.job.JobResult;
import io.codeexec.common.job.LimitsRequest;
import io.codeexec.common.job.SourceFile;
import io.codeexec.common.job.TestCase;
import io.codeexec.common.job.TestResult;
import io.codeexec.common.job.Verdict;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Multi-file programs on the real engine and runner images, one per language: each prints a value
 * that only another file of the program holds, so it passes only when the files see each other.
 * One sandbox (warm hosts) serves every case.
 */
class MultiFileProgramsIT {
    private static final LimitsRequest LIMITS = new LimitsRequest(2000, 6000, 256, null, null, null);
    private static LocalSandbox local;
    private static DockerSandbox sandbox;

    @BeforeAll
    static void connect() {
        local = LocalSandbox.connect("multifile-it");
        sandbox = local.sandbox();
    }

    @AfterAll
    static void close() throws Exception {
        local.close();
    }

    private static JobResult run(String language, String entrypoint, List<TestCase> tests, SourceFile... files) {
        JobRequest request = new JobRequest(language, null, "", List.of(), LimitPolicy.standard().resolve(LIMITS),
                null, tests, Comparison.TRIMMED, false, List.of(), List.of(files),
                entrypoint == null ? files[0].name() : entrypoint);
        JobResult result = sandbox.run("multifile-" + language + "-" + System.nanoTime(),
                LocalSandbox.CATALOG.find(language).orElseThrow(), request, () -> true);
        System.out.printf("[multifile] %s: %s exit=%s%n", language, result.verdict().wireName(), result.exitCode());
        return result;
    }

    private static void assertPrints(String expected, JobResult result) {
        assertEquals(Verdict.OK, result.verdict(), result::toString);
        assertEquals(expected, result.stdout(), result::toString);
    }

    private static SourceFile file(String name, String content) {
        return new SourceFile(name, content);
    }

    @Test
    void pythonImportsModulesAndPackagesWithAndWithoutInit() {
        assertPrints("42 hello\n", run("python", null, List.of(),
                file("main.py", "from helpers import twice\nfrom pkg.sub.util import value\nimport shop\n"
                        + "print(twice(value()), shop.GREETING)\n"),
                file("helpers.py", "def twice(x):\n    return 2 * x\n"),
                file("pkg/sub/util.py", "def value():\n    return 21\n"),  // a namespace package: no __init__.py
                file("shop/__init__.py", "from .words import GREETING\n"),
                file("shop/words.py", "GREETING = 'hello'\n")));
    }

    @Test
    void pythonEntrypointInASubdirectoryRunsAsTheScript() {
        assertPrints("sub 7\n", run("python", "app/run.py", List.of(),
                file("README.txt", "not python"),
                file("app/run.py", "import local\nprint(__name__ == '__main__' and 'sub', local.N)\n"),
                file("app/local.py", "N = 7\n")));
    }

    @Test
    void nodeRequiresCommonJsModules() {
        assertPrints("42\n", run("javascript", null, List.of(),
                file("main.js", "const { value } = require('./lib/util');\nconsole.log(value * 2);\n"),
                file("lib/util.js", "module.exports = { value: require('./deep/n.json').n };\n"),
                file("lib/deep/n.json", "{\"n\": 21}\n")));
    }

    @Test
    void nodeImportsEsModulesFromAnMjsEntrypoint() {
        assertPrints("42\n", run("javascript", "index.mjs", List.of(),
                file("lib/util.mjs", "export const value = 21;\nexport default (x) => x * 2;\n"),
                file("index.mjs", "import twice, { value } from './lib/util.mjs';\nconsole.log(twice(value));\n")));
    }

    @Test
    void rubyRequiresRelativeFiles() {
        assertPrints("42\n", run("ruby", null, List.of(),
                file("main.rb", "require_relative 'lib/calc'\nputs Calc.twice(Calc::VALUE)\n"),
                file("lib/calc.rb", "require_relative 'value'\nmodule Calc\n  def self.twice(x) = 2 * x\nend\n"),
                file("lib/value.rb", "module Calc\n  VALUE = 21\nend\n")));
    }

    @Test
    void cCompilesEveryTranslationUnitWithHeadersByPath() {
        assertPrints("42\n", run("c", null, List.of(),
                file("main.c", "#include <stdio.h>\n#include \"lib/util.h\"\n"
                        + "int main(void) { printf(\"%d\\n\", twice(value())); return 0; }\n"),
                file("lib/util.h", "int value(void);\nint twice(int);\n"),
                file("lib/util.c", "#include \"util.h\"\nint value(void) { return 21; }\n"),
                file("lib/math/twice.c", "#include \"../util.h\"\nint twice(int x) { return 2 * x; }\n")));
    }

    @Test
    void cppCompilesCppAndCcUnits() {
        assertPrints("42\n", run("cpp", "src/main.cpp", List.of(),
                file("include/shape.hpp", "#pragma once\nstruct Square { int side; int area() const; };\nint bonus();\n"),
                file("src/main.cpp", "#include <iostream>\n#include \"../include/shape.hpp\"\n"
                        + "int main() { Square s{6}; std::cout << s.area() + bonus() << std::endl; }\n"),
                file("src/shape.cpp", "#include \"../include/shape.hpp\"\nint Square::area() const { return side * side; }\n"),
                file("src/bonus.cc", "int bonus() { return 6; }\n")));
    }

    @Test
    void javaCompilesClassesInPackagesAndRunsTheEntrypointsClass() {
        assertPrints("42 from com.example.App\n", run("java", "com/example/App.java", List.of(),
                file("com/example/util/Numbers.java", "package com.example.util;\n"
                        + "public class Numbers { public static int value() { return Helper.half(84); } }\n"
                        + "class Helper { static int half(int x) { return x / 2; } }\n"),
                file("com/example/App.java", "/* the entrypoint */\npackage com.example;\n"
                        + "import com.example.util.Numbers;\n"
                        + "public class App { public static void main(String[] a) {\n"
                        + "  System.out.println(Numbers.value() + \" from \" + App.class.getName()); } }\n"),
                file("Other.java", "public class Other { public static void main(String[] a) { System.out.println(\"wrong\"); } }\n")));
    }

    @Test
    void goBuildsEveryFileOfThePackageButItsTests() {
        assertPrints("42\n", run("go", null, List.of(),
                file("main.go", "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(twice(value)) }\n"),
                file("util.go", "package main\n\nfunc twice(x int) int { return 2 * x }\n"),
                file("value.go", "package main\n\nconst value = 21\n"),
                file("util_test.go", "package main\n\nthis is not go\n")));
    }

    @Test
    void rustFindsModulesNextToMainAndInDirectories() {
        assertPrints("42\n", run("rust", null, List.of(),
                file("main.rs", "mod util;\nmod shapes;\nfn main() { println!(\"{}\", util::twice(shapes::square::side())); }\n"),
                file("util.rs", "pub fn twice(x: i32) -> i32 { 2 * x }\n"),
                file("shapes/mod.rs", "pub mod square;\n"),
                file("shapes/square.rs", "pub fn side() -> i32 { 21 }\n")));
    }

    @Test
    void gradedMultiFileJobIsJudgedPerTest() {
        List<TestCase> tests = new ArrayList<>();
        tests.add(new TestCase("small", "1 2\n", "3\n", List.of()));
        tests.add(new TestCase("large", "40 2\n", "42\n", List.of()));
        tests.add(new TestCase("wrong", "1 1\n", "3\n", List.of()));
        JobResult result = run("c", null, tests,
                file("main.c", "#include <stdio.h>\n#include \"add.h\"\n"
                        + "int main(void) { long a, b; scanf(\"%ld %ld\", &a, &b); printf(\"%ld\\n\", add(a, b)); }\n"),
                file("add.h", "long add(long, long);\n"),
                file("add.c", "#include \"add.h\"\nlong add(long a, long b) { return a + b; }\n"));
        assertEquals(List.of(Verdict.ACCEPTED, Verdict.ACCEPTED, Verdict.WRONG_ANSWER),
                result.tests().stream().map(TestResult::verdict).toList(), result::toString);
        assertEquals(Verdict.WRONG_ANSWER, result.verdict());
        assertEquals(2, result.passed());
    }

    @Test
    void base64FilesAreDecodedToTheirBytes() {
        byte[] data = {0, (byte) 0xff, 10, (byte) 0x80};
        JobResult result = run("python", null, List.of(),
                file("main.py", "print(list(open('data.bin', 'rb').read()))\n"),
                new SourceFile("data.bin", Base64.getMimeEncoder().encodeToString(data), SourceFile.BASE64));
        assertPrints("[0, 255, 10, 128]\n", result);
    }

    @Test
    void aCompileErrorNamesTheFileAtFault() {
        JobResult result = run("c", null, List.of(),
                file("main.c", "#include \"lib/bad.h\"\nint main(void) { return f(); }\n"),
                file("lib/bad.h", "int f(void);\n"),
                file("lib/bad.c", "int f(void) { return missing; }\n"));
        assertEquals(Verdict.COMPILE_ERROR, result.verdict(), result::toString);
        assertTrue(result.compileOutput().contains("lib/bad.c"), result.compileOutput());
    }

    @Test
    void oneFileJavaCodeInAPackageRunsItsPublicClass() {
        JobRequest request = new JobRequest("java", "package demo;\npublic class Hi { public static void main(String[] a)"
                + " { System.out.println(Hi.class.getName()); } }\n", "", List.of(), LimitPolicy.standard().resolve(LIMITS));
        JobResult result = sandbox.run("multifile-java-code-" + System.nanoTime(),
                LocalSandbox.CATALOG.find("java").orElseThrow(), request, () -> true);
        assertPrints("demo.Hi\n", result);
    }

    @Test
    void sixtyFourFilesFitOneCompile() {
        List<SourceFile> files = new ArrayList<>();
        StringBuilder sum = new StringBuilder("0");
        for (int i = 0; i < 63; i++) {
            files.add(file("parts/p" + i + ".c", "int p" + i + "(void) { return " + i + "; }\n"));
            sum.append(" + p").append(i).append("()");
        }
        StringBuilder main = new StringBuilder("#include <stdio.h>\n");
        for (int i = 0; i < 63; i++) {
            main.append("int p").append(i).append("(void);\n");
        }
        main.append("int main(void) { printf(\"%d\\n\", ").append(sum).append("); }\n");
        files.addFirst(file("main.c", main.toString()));
        JobResult result = run("c", null, List.of(), files.toArray(SourceFile[]::new));
        assertPrints((63 * 62 / 2) + "\n", result);
        assertEquals(64, files.size());
        assertTrue(new String(files.get(1).bytes(), StandardCharsets.UTF_8).contains("p0"));
    }
}
