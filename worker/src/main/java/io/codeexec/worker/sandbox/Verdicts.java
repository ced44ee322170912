package io.codeexec.worker.sandbox;

import io.codeexec.common.job.JobRequest;
import io.codeexec.common.job.JobResult;
import io.codeexec.common.job.Limits;
import io.codeexec.common.job.RawOutput;
import io.codeexec.common.job.TestCase;
import io.codeexec.common.job.TestResult;
import io.codeexec.common.job.Verdict;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The one verdict ladder, for a plain run and for every test of a graded job alike:
 * 1. a failed compile is compile_error and nothing ran;
 * 2. each run: output cap, memory, CPU, wall clock (the limits the launcher enforced), then how the
 *    program ended (file size, a signal, a non-zero exit), then — for tests — the comparison;
 * 3. the job: a plain job is its one run (today's JSON shape); a graded job is accepted when every test
 *    passed, else the first failure's verdict, with one result per test.
 */
final class Verdicts {
    static final String WORKER_DEADLINE = "The run exceeded its total wall-clock limit";

    private Verdicts() {}

    /** Judges the records of a finished (or, when {@code deadlineHit}, interrupted) launch. */
    static JobResult judge(LaunchRecords records, List<TestCase> tests, JobRequest request, boolean deadlineHit) {
        Limits limits = request.limits();
        String compileOutput = records.compile().map(c -> text(c.stdout())).orElse(null);
        if (records.compile().isPresent() && records.compile().get().failed()) {
            LaunchRecords.Run compile = records.compile().get();
            String why = compile.memoryExceeded()
                    ? "Compilation exceeded its memory limit of " + limits.compileMemoryMb() + " MB"
                    : compile.cpuExceeded() || compile.timedOut()
                    ? "Compilation exceeded its time limit of " + limits.compileTimeMs() + " ms"
                    : "Compilation failed" + (compile.signal() != 0 ? " (" + Signals.name(compile.signal()) + ")"
                    : " (exit code " + compile.exitCode() + ")");
            return new JobResult(Verdict.COMPILE_ERROR, compile.exitCode() < 0 ? null : compile.exitCode(),
                    Signals.name(compile.signal()), "", "", false, false, compile.wallMs(), compile.cpuMs(),
                    compile.memoryKb(), why, compileOutput, request.hasTests() ? List.of() : null,
                    request.hasTests() ? 0 : null, request.hasTests() ? tests.size() : null);
        }
        List<LaunchRecords.Run> runs = records.tests();
        List<TestResult> results = new ArrayList<>();
        boolean failedBefore = false;
        for (int i = 0; i < tests.size(); i++) {
            TestResult result;
            if (i < runs.size() && !(failedBefore && request.stopOnFirstFailure())) {
                result = judgeRun(tests.get(i), runs.get(i), request);
            } else if (i == runs.size() && deadlineHit) {
                result = notRun(tests.get(i), Verdict.TIME_LIMIT_EXCEEDED, WORKER_DEADLINE + " here");
            } else {
                result = notRun(tests.get(i), Verdict.SKIPPED, failedBefore ? "Skipped after an earlier failure" : "Not run");
            }
            failedBefore |= result.verdict() != Verdict.ACCEPTED && result.verdict() != Verdict.OK;
            results.add(result);
        }
        if (!request.hasTests()) {
            TestResult only = results.get(0);
            return new JobResult(only.verdict(), only.exitCode(), only.signal(), only.stdout(), only.stderr(),
                    only.stdoutTruncated(), only.stderrTruncated(), only.wallTimeMs(), only.cpuTimeMs(),
                    only.memoryKb(), only.message(), compileOutput, null, null, null);
        }
        int passed = (int) results.stream().filter(r -> r.verdict() == Verdict.ACCEPTED).count();
        TestResult firstFailure = results.stream().filter(r -> r.verdict() != Verdict.ACCEPTED).findFirst().orElse(null);
        Verdict verdict = firstFailure == null ? Verdict.ACCEPTED : firstFailure.verdict();
        String message = passed + " of " + results.size() + " tests passed"
                + (firstFailure == null ? "" : "; first failure: " + firstFailure.name() + " (" + verdict.wireName() + ")");
        long wall = results.stream().mapToLong(r -> r.wallTimeMs() == null ? 0 : r.wallTimeMs()).sum();
        long cpu = results.stream().mapToLong(r -> r.cpuTimeMs() == null ? 0 : r.cpuTimeMs()).sum();
        long memory = results.stream().mapToLong(r -> r.memoryKb() == null ? 0 : r.memoryKb()).max().orElse(0);
        return new JobResult(verdict, null, null, "", "", false, false, wall, cpu, memory, message, compileOutput,
                results, passed, results.size());
    }

    /** One run (a plain job's, or one test's) down the ladder. */
    static TestResult judgeRun(TestCase test, LaunchRecords.Run run, JobRequest request) {
        Limits limits = request.limits();
        boolean stdoutOver = run.stdoutTotal() > limits.outputBytes();
        boolean stderrOver = run.stderrTotal() > limits.outputBytes();
        String stdout = text(run.stdout());
        Verdict verdict;
        String message = null;
        if (stdoutOver || stderrOver) {
            verdict = Verdict.OUTPUT_LIMIT_EXCEEDED;
            message = (stdoutOver ? "stdout" : "stderr") + " passed the limit of " + limits.outputBytes() + " bytes";
        } else if (run.memoryExceeded()) {
            verdict = Verdict.MEMORY_LIMIT_EXCEEDED;
            message = "The memory limit of " + limits.memoryMb() + " MB was exceeded";
        } else if (run.cpuExceeded() || run.signal() == Signals.SIGXCPU) {
            verdict = Verdict.TIME_LIMIT_EXCEEDED;
            message = "CPU time limit of " + limits.timeMs() + " ms exceeded";
        } else if (run.timedOut()) {
            verdict = Verdict.TIME_LIMIT_EXCEEDED;
            message = "Wall-clock limit of " + limits.wallTimeMs() + " ms exceeded";
        } else if (run.signal() == Signals.SIGXFSZ) {
            verdict = Verdict.RUNTIME_ERROR;
            message = "File size limit of " + limits.fileBytes() + " bytes exceeded (SIGXFSZ)";
        } else if (run.signal() != 0) {
            verdict = Verdict.RUNTIME_ERROR;
            message = "Killed by " + Signals.name(run.signal());
        } else if (run.exitCode() != 0) {
            verdict = Verdict.RUNTIME_ERROR;
            message = "Exited with code " + run.exitCode();
        } else if (!request.hasTests()) {
            verdict = Verdict.OK;
        } else if (request.compare().matches(test.expectedOutput(), stdout)) {
            verdict = Verdict.ACCEPTED;
        } else {
            verdict = Verdict.WRONG_ANSWER;
            message = "Output differs from the expected output (compare: " + request.compare().toJson() + ")";
        }
        return new TestResult(test.name(), verdict, run.exitCode() >= 0 ? run.exitCode() : null,
                Signals.name(run.signal()), stdout, text(run.stderr()), stdoutOver, stderrOver, run.wallMs(),
                run.cpuMs(), run.memoryKb(), message);
    }

    /** A plain job's exact output bytes when either stream is not valid UTF-8 (its text then lost bytes), else null. */
    static RawOutput rawOutputIfNotText(LaunchRecords records, JobRequest request) {
        if (request.hasTests() || records.tests().isEmpty()) {
            return null;
        }
        LaunchRecords.Run run = records.tests().get(0);
        return isUtf8(run.stdout()) && isUtf8(run.stderr()) ? null : new RawOutput(run.stdout(), run.stderr());
    }

    private static TestResult notRun(TestCase test, Verdict verdict, String message) {
        return new TestResult(test.name(), verdict, null, null, "", "", false, false, null, null, null, message);
    }

    private static boolean isUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
