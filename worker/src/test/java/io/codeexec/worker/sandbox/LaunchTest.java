package io.codeexec.worker.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codeexec.common.job.Comparison;
import io.codeexec.common.job.JobRequest;
import io.codeexec.common.job.Language;
import io.codeexec.common.job.LanguageCatalog;
import io.codeexec.common.job.Limits;
import io.codeexec.common.job.SourceFile;
import io.codeexec.common.job.TestCase;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The CE3 payload, byte for byte (docs/launcher-protocol.md). */
class LaunchTest {
    private static final String NONCE = "0123456789abcdef0123456789abcdef";
    private static final LanguageCatalog CATALOG = LanguageCatalog.standard();
    private static final Limits LIMITS = new Limits(1000, 3000, 64, 4096, 32, 1024, 5000, 256);

    private static String text(Launch launch) {
        return new String(launch.bytes(), StandardCharsets.UTF_8);
    }

    @Test
    void plainJobIsOneTestWithItsStdinAndArgs() {
        Language python = CATALOG.find("python").orElseThrow();
        Launch launch = Launch.of(NONCE, python, new JobRequest("python", "print(1)", "in", List.of("a", "bé"), LIMITS));
        assertEquals("CE3 " + NONCE + " 0\n"
                + "limits 1024 4096 32 65536 1000 3000 262144 5000 10000\n"
                + "files 1 7 8\nmain.pyprint(1)"
                + "compile 0\n"
                + "run 3 7 2 7\npython3-umain.py"
                + "tests 1\n"
                + "2 2 1 3\ninabé", text(launch));
        assertFalse(launch.compiled());
        assertEquals(1, launch.tests().size());
    }

    @Test
    void gradedCompiledJobCarriesItsOptionsAndEveryTest() {
        Language c = CATALOG.find("c").orElseThrow();
        JobRequest request = new JobRequest("c", "int main(){}", "", List.of(), LIMITS, null,
                List.of(new TestCase("one", "1\n", "1\n", List.of()), new TestCase("two", "", "", List.of("x"))),
                Comparison.fromJson("exact"), true, List.of("-O0", "-Wall"));
        Launch launch = Launch.of(NONCE, c, request);
        String script = c.compileCommand().get(2);  // finds every .c file in the build directory (LanguageCatalog)
        assertEquals("CE3 " + NONCE + " 1\n"
                + "limits 1024 4096 32 65536 1000 3000 262144 5000 10000\n"
                + "files 1 6 12\nmain.cint main(){}"
                + "compile 6 2 2 " + script.length() + " 3 3 5\nsh-c" + script + "gcc-O0-Wall"
                + "run 1 6\n./main"
                + "tests 2\n"
                + "2 0\n1\n"
                + "0 1 1\nx", text(launch));
        assertTrue(launch.compiled());
    }

    @Test
    void liveOutputSetsFlagBitOneAndChangesNothingElse() {
        Language python = CATALOG.find("python").orElseThrow();
        JobRequest request = new JobRequest("python", "print(1)", "", List.of(), LIMITS);
        String plain = text(Launch.of(NONCE, python, request));
        String live = text(Launch.of(NONCE, python, request, true));
        assertTrue(live.startsWith("CE3 " + NONCE + " 2\n"), live);
        assertEquals(plain.substring(plain.indexOf('\n')), live.substring(live.indexOf('\n')));
        assertEquals(plain, text(Launch.of(NONCE, python, request, false)));
    }

    @Test
    void optionOutsideTheAllowListIsRefused() {
        Language c = CATALOG.find("c").orElseThrow();
        JobRequest request = new JobRequest("c", "", "", List.of(), LIMITS, null, List.of(), Comparison.TRIMMED, false,
                List.of("-fplugin=/tmp/x.so"));
        Launch.Refused refused = assertThrows(Launch.Refused.class, () -> Launch.of(c, request));
        assertTrue(refused.getMessage().contains("-fplugin"), refused.getMessage());
    }

    @Test
    void everyPayloadHasItsOwnNonce() {
        Language python = CATALOG.find("python").orElseThrow();
        JobRequest request = new JobRequest("python", "", "", List.of(), LIMITS);
        String first = Launch.of(python, request).nonce();
        assertTrue(first.matches("[0-9a-f]{32}"), first);
        assertFalse(first.equals(Launch.of(python, request).nonce()));
    }

    @Test
    void bytesAreCountedNotCharacters() {
        Language python = CATALOG.find("python").orElseThrow();
        Launch launch = Launch.of(NONCE, python, new JobRequest("python", "print('€')", "ü", List.of(), LIMITS));
        assertTrue(text(launch).contains("files 1 7 12\n"), text(launch));
        assertTrue(text(launch).endsWith("tests 1\n2 0\nü"), text(launch));
    }

    @Test
    void filesGoInOrderWithTheirDecodedBytesAndTheEntrypointRuns() {
        Language python = CATALOG.find("python").orElseThrow();
        JobRequest request = new JobRequest("python", null, "", List.of(), LIMITS, null, List.of(), Comparison.TRIMMED,
                false, List.of(), List.of(new SourceFile("lib/a.py", "A=1"),
                        new SourceFile("app/main.py", "aW1wb3J0\r\nIGE=", SourceFile.BASE64)), "app/main.py");
        assertEquals("CE3 " + NONCE + " 0\n"
                + "limits 1024 4096 32 65536 1000 3000 262144 5000 10000\n"
                + "files 2 8 3 11 8\nlib/a.pyA=1app/main.pyimport a"
                + "compile 0\n"
                + "run 3 7 2 11\npython3-uapp/main.py"
                + "tests 1\n0 0\n", text(Launch.of(NONCE, python, request)));
    }

    @Test
    void javaRunsTheEntrypointsClassInItsPackage() {
        Language java = CATALOG.find("java").orElseThrow();
        JobRequest request = new JobRequest("java", null, "", List.of(), LIMITS, null, List.of(), Comparison.TRIMMED,
                false, List.of(), List.of(new SourceFile("util/U.java", "package util; class U {}"),
                        new SourceFile("src/app/App.java", "// app\n/* x */ package org.app;\npublic class App {}")),
                "src/app/App.java");
        assertTrue(text(Launch.of(NONCE, java, request)).contains("-cp.org.app.App"), text(Launch.of(NONCE, java, request)));
    }

    @Test
    void oneFileJavaCodeIsNamedAfterItsPublicClass() {
        Language java = CATALOG.find("java").orElseThrow();
        String text = text(Launch.of(NONCE, java, new JobRequest("java", "package p;\npublic final class Solve {}", "",
                List.of(), LIMITS)));
        assertTrue(text.contains("files 1 10 "), text);
        assertTrue(text.contains("Solve.javapackage p;"), text);
        assertTrue(text.endsWith("-cp.p.Solvetests 1\n0 0\n"), text);
    }

    @Test
    void mainClassIgnoresCommentsAndDefaultsToTheFileName() {
        assertEquals("Main", SourceNaming.mainClass("Main.java", "// package wrong;\nclass Main {}"));
        assertEquals("a.b.C", SourceNaming.mainClass("x/C.java", "/* package wrong; */ package a . b ;\nclass C {}"));
        assertEquals("C", SourceNaming.mainClass("C.java", "class C { String s = \"package x;\"; }"));
        assertEquals("packaged.C", SourceNaming.mainClass("C.java", "package packaged;"));
        assertEquals("C", SourceNaming.mainClass("C.java", "packaged x;"));
        assertEquals("C", SourceNaming.mainClass("C.java", "/* unterminated package x;"));
    }

    @Test
    void mainClassTakesLinearTimeOnHostileSource() {
        long started = System.nanoTime();
        assertEquals("C", SourceNaming.mainClass("C.java", "/*".repeat(500_000)));
        assertEquals("C", SourceNaming.mainClass("C.java", "package " + "a".repeat(1_000_000)));
        assertEquals("C", SourceNaming.mainClass("C.java", "//\n".repeat(300_000) + "class C {}"));
        assertTrue(System.nanoTime() - started < 2_000_000_000L, "a megabyte of comment openers must not take quadratic time");
    }

    @Test
    void undecodableFileIsRefusedAsTheJobsOwnFault() {
        Language python = CATALOG.find("python").orElseThrow();
        JobRequest request = new JobRequest("python", null, "", List.of(), LIMITS, null, List.of(), Comparison.TRIMMED,
                false, List.of(), List.of(new SourceFile("main.py", "!!", SourceFile.BASE64)), "main.py");
        assertThrows(SourceNaming.Unnameable.class, () -> Launch.of(NONCE, python, request));
    }
}
