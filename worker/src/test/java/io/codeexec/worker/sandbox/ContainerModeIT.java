package io.codeexec.worker.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codeexec.common.config.LimitPolicy;
import io.codeexec.common.job.Comparison;
import io.codeexec.common.job.JobRequest;
import io.codeexec.common.job.JobResult;
import io.codeexec.common.job.LimitsRequest;
import io.codeexec.common.job.TestCase;
import io.codeexec.common.job.Verdict;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ISOLATION=container: the same payload, records and verdicts, on a fresh host per job. A
 * representative subset of the nested-mode suites (the full ones run in the default mode).
 */
class ContainerModeIT {
    private static LocalSandbox local;

    @BeforeAll
    static void connect() {
        local = LocalSandbox.connect("container-mode-it", SandboxConfig.Isolation.CONTAINER);
    }

    @AfterAll
    static void close() throws Exception {
        local.close();
    }

    private static JobResult run(String language, String code, String stdin, LimitsRequest limits) {
        JobRequest request = new JobRequest(language, code, stdin, List.of(), LimitPolicy.standard().resolve(limits));
        return local.sandbox().run("container-" + System.nanoTime(), LocalSandbox.CATALOG.find(language).orElseThrow(),
                request, () -> true);
    }

    @Test
    void everyJobGetsItsOwnHost() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            JobResult result = run("python", "import os\nprint(sorted(os.listdir('.')))\nopen('x', 'w').write('1')", "",
                    LimitsRequest.NONE);
            assertEquals("['main.py']\n", result.stdout(), result.toString());
            seen.addAll(local.containerIds());
        }
        assertTrue(seen.size() >= 4, "4 jobs ran on at least 4 containers: " + seen);
    }

    @Test
    void stdinExitCodeAndStderr() {
        JobResult result = run("python", "import sys\nprint(sys.stdin.read().strip())\nprint('e', file=sys.stderr)\nsys.exit(4)",
                "abc\n", LimitsRequest.NONE);
        assertEquals(Verdict.RUNTIME_ERROR, result.verdict());
        assertEquals("abc\n", result.stdout());
        assertEquals("e\n", result.stderr());
        assertEquals(4, result.exitCode());
    }

    @Test
    void cpuWallAndMemoryLimits() {
        JobResult loop = run("python", "while True: pass", "", new LimitsRequest(1000, 10_000, null, null, null, null));
        assertEquals(Verdict.TIME_LIMIT_EXCEEDED, loop.verdict(), loop.toString());
        assertTrue(loop.message().startsWith("CPU"), loop.message());
        JobResult sleep = run("python", "import time\ntime.sleep(30)", "", new LimitsRequest(1000, 1500, null, null, null, null));
        assertEquals(Verdict.TIME_LIMIT_EXCEEDED, sleep.verdict(), sleep.toString());
        assertTrue(sleep.message().startsWith("Wall"), sleep.message());
        JobResult memory = run("python", "x = []\nwhile True: x.append(' ' * 10_000_000)", "",
                new LimitsRequest(null, null, 64, null, null, null));
        assertEquals(Verdict.MEMORY_LIMIT_EXCEEDED, memory.verdict(), memory.toString());
    }

    @Test
    void forkBombIsContained() {
        JobResult result = run("python", "import os\nwhile True:\n    try: os.fork()\n    except OSError: pass", "",
                new LimitsRequest(1000, 3000, 64, null, 16, null));
        assertTrue(result.verdict() == Verdict.TIME_LIMIT_EXCEEDED || result.verdict() == Verdict.RUNTIME_ERROR,
                result.toString());
        assertEquals("ok\n", run("python", "print('ok')", "", LimitsRequest.NONE).stdout());
    }

    @Test
    void gradedCompiledJob() {
        String code = "#include <stdio.h>\nint main(void){long a,b; if(scanf(\"%ld %ld\",&a,&b)!=2) return 1; "
                + "printf(\"%ld\\n\",a+b); return 0;}";
        JobRequest request = new JobRequest("c", code, "", List.of(),
                LimitPolicy.standard().resolve(new LimitsRequest(1000, 3000, null, null, null, null)), null,
                List.of(new TestCase("a", "1 2\n", "3\n", List.of()), new TestCase("b", "5 5\n", "11\n", List.of())),
                Comparison.TRIMMED, false, List.of());
        JobResult result = local.sandbox().run("container-c", LocalSandbox.CATALOG.find("c").orElseThrow(), request,
                () -> true);
        assertEquals(Verdict.WRONG_ANSWER, result.verdict(), result.toString());
        assertEquals(List.of(Verdict.ACCEPTED, Verdict.WRONG_ANSWER),
                result.tests().stream().map(t -> t.verdict()).toList());
    }
}
