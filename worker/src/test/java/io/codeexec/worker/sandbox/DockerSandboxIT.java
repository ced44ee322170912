package io.codeexec.worker.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codeexec.common.config.LimitPolicy;
import io.codeexec.common.job.JobRequest;
import io.codeexec.common.job.JobResult;
import io.codeexec.common.job.Language;
import io.codeexec.common.job.LanguageCatalog;
import io.codeexec.common.job.LimitsRequest;
import io.codeexec.common.job.Verdict;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The sandbox against the real engine and the real runner images. */
class DockerSandboxIT {
    private static final LanguageCatalog CATALOG = LocalSandbox.CATALOG;
    private static LocalSandbox local;
    private static DockerSandbox sandbox;

    @BeforeAll
    static void connect() {
        local = LocalSandbox.connect("test-worker");
        sandbox = local.sandbox();
    }

    @AfterAll
    static void close() throws Exception {
        local.close();
    }

    private static JobResult run(String language, String code, String stdin) {
        return run(language, code, stdin, LimitsRequest.NONE);
    }

    private static JobResult run(String language, String code, String stdin, LimitsRequest limits) {
        Language lang = CATALOG.find(language).orElseThrow();
        JobRequest request = new JobRequest(language, code, stdin, List.of(), LimitPolicy.standard().resolve(limits));
        return sandbox.run("it-" + System.nanoTime(), lang, request, () -> true);
    }

    @Test
    void helloWorldInEveryLanguage() {
        assertEquals("Hello, World!\n", run("python", "print('Hello, World!')", "").stdout());
        assertEquals("Hello, World!\n", run("javascript", "console.log('Hello, World!')", "").stdout());
        assertEquals("Hello, World!\n", run("ruby", "puts 'Hello, World!'", "").stdout());
    }

    @Test
    void programReadsAllOfStdinAndSeesEndOfFile() {
        JobResult result = run("python", "import sys\ndata = sys.stdin.read()\nprint(len(data), data.count('\\n'))", "a\nb\nc\n");
        assertEquals(Verdict.OK, result.verdict(), result.toString());
        assertEquals("6 3\n", result.stdout());
    }

    @Test
    void stderrAndExitCodeAreSeparate() {
        JobResult result = run("python", "import sys\nprint('out')\nprint('err', file=sys.stderr)\nsys.exit(3)", "");
        assertEquals(Verdict.RUNTIME_ERROR, result.verdict());
        assertEquals("out\n", result.stdout());
        assertEquals("err\n", result.stderr());
        assertEquals(3, result.exitCode());
    }

    @Test
    void infiniteLoopIsATimeLimit() {
        JobResult result = run("python", "while True: pass", "", new LimitsRequest(1000, null, null, null, null, null));
        assertEquals(Verdict.TIME_LIMIT_EXCEEDED, result.verdict(), result.toString());
    }

    @Test
    void sleepIsAWallTimeLimit() {
        JobResult result = run("python", "import time\ntime.sleep(60)", "", new LimitsRequest(1000, 1500, null, null, null, null));
        assertEquals(Verdict.TIME_LIMIT_EXCEEDED, result.verdict(), result.toString());
        assertTrue(result.message().contains("Wall"), result.message());
    }

    @Test
    void memoryBombIsAMemoryLimit() {
        JobResult result = run("python", "x = []\nwhile True: x.append(' ' * 10_000_000)", "",
                new LimitsRequest(null, null, 64, null, null, null));
        assertEquals(Verdict.MEMORY_LIMIT_EXCEEDED, result.verdict(), result.toString());
    }

    @Test
    void outputFloodIsCutAtTheCap() {
        JobResult result = run("python", "while True: print('x' * 1000)", "", new LimitsRequest(null, null, null, 4096, null, null));
        assertEquals(Verdict.OUTPUT_LIMIT_EXCEEDED, result.verdict(), result.toString());
        assertEquals(4096, result.stdout().length());
        assertTrue(result.stdoutTruncated());
        assertFalse(result.stderrTruncated());
    }

    @Test
    void noNetwork() {
        JobResult result = run("python", "import socket\nsocket.create_connection(('1.1.1.1', 53), timeout=2)", "");
        assertEquals(Verdict.RUNTIME_ERROR, result.verdict(), result.toString());
    }

    @Test
    void versionIsReadFromTheImage() {
        assertTrue(sandbox.probeVersion(CATALOG.find("python").orElseThrow()).matches("3\\.\\d+\\.\\d+"));
    }
}
