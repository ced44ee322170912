package io.codeexec.worker.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.codeexec.common.config.LimitPolicy;
import io.codeexec.common.job.JobRequest;
import io.codeexec.common.job.JobResult;
import io.codeexec.common.job.Language;
import io.codeexec.common.job.LanguageCatalog;
import io.codeexec.common.job.LimitsRequest;
import io.codeexec.common.job.Verdict;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

/**
 * Shared ground for the adversarial sandbox tests: one real {@link DockerSandbox} per class (nested
 * isolation: warm sandbox hosts), a run helper, a hello world after every test to prove the sandbox
 * still serves the next job, and a check at the end that no host of the class is left on the engine.
 */
abstract class SandboxFixture {
    static final LanguageCatalog CATALOG = LocalSandbox.CATALOG;
    static final int OUTPUT_CAP = 64 * 1024;
    /** Small limits keep each attack fast; the wall clock is generous because the host is shared. */
    static final LimitsRequest SMALL = new LimitsRequest(1000, 3000, 64, OUTPUT_CAP, null, null);
    private static final AtomicInteger RUNS = new AtomicInteger();

    static LocalSandbox local;
    static DockerSandbox sandbox;
    private static volatile String currentTest = "";

    /** A run's result and how long the whole call took, seen from the worker. */
    record Outcome(String jobId, JobResult result, long elapsedMs) {
        Verdict verdict() {
            return result.verdict();
        }

        String stdout() {
            return result.stdout();
        }

        String stderr() {
            return result.stderr();
        }

        /** The result for assertion messages, with long streams shortened. */
        String describe() {
            return "job " + jobId + " in " + elapsedMs + " ms: " + result.verdict() + " exit=" + result.exitCode()
                    + " signal=" + result.signal() + " message=" + result.message()
                    + " truncated=" + result.stdoutTruncated() + "/" + result.stderrTruncated()
                    + " wall=" + result.wallTimeMs() + " cpu=" + result.cpuTimeMs() + " rssKb=" + result.memoryKb()
                    + "\n--- stdout (" + result.stdout().length() + ") ---\n" + shorten(result.stdout())
                    + "\n--- stderr (" + result.stderr().length() + ") ---\n" + shorten(result.stderr());
        }
    }

    @BeforeAll
    static void connect() {
        local = LocalSandbox.connect("adversarial-it");
        sandbox = local.sandbox();
    }

    @AfterAll
    static void close() throws Exception {
        local.close();
    }

    @BeforeEach
    void name(TestInfo test) {
        currentTest = test.getTestMethod().map(java.lang.reflect.Method::getName).orElse("") + " " + test.getDisplayName();
    }

    /** Whatever the attack did, the next job on the same sandbox runs normally. */
    @AfterEach
    void nextJobIsServed() {
        currentTest = "next job";
        Outcome next = run("python", "print('ok')", "", SMALL);
        assertEquals(Verdict.OK, next.verdict(), next::describe);
        assertEquals("ok\n", next.stdout(), next::describe);
    }

    static Outcome run(String language, String code) {
        return run(language, code, "", SMALL);
    }

    static Outcome run(String language, String code, LimitsRequest limits) {
        return run(language, code, "", limits);
    }

    /** Runs one job under a fresh job id. */
    static Outcome run(String language, String code, String stdin, LimitsRequest limits) {
        Language lang = CATALOG.find(language).orElseThrow();
        JobRequest request = new JobRequest(language, code, stdin, List.of(), LimitPolicy.standard().resolve(limits));
        String jobId = "adv-" + language + "-" + ProcessHandle.current().pid() + "-" + RUNS.incrementAndGet();
        long started = System.nanoTime();
        JobResult result = sandbox.run(jobId, lang, request, () -> true);
        Outcome outcome = new Outcome(jobId, result, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        System.out.printf("[adversarial] %s | %s | %s signal=%s exit=%s in %d ms: %s%n", currentTest, jobId, result.verdict().wireName(),
                result.signal(), result.exitCode(), outcome.elapsedMs(), result.message());
        return outcome;
    }

    static String shorten(String text) {
        return text.length() <= 2000 ? text : text.substring(0, 2000) + "... (" + (text.length() - 2000) + " more)";
    }
}
