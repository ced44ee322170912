package io.codeexec.worker.sandbox;

import io.codeexec.common.job.JobRequest;
import io.codeexec.common.job.JobResult;
import io.codeexec.common.job.Limits;
import io.codeexec.common.job.TestCase;
import io.codeexec.common.job.TestResult;
import io.codeexec.common.job.Verdict;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Judges a graded run: compile_error when the compile step failed, else one verdict per test
 * (limits first, then exit status, then the comparison with the expected output) and the job's
 * verdict: accepted when every test passed, else the first failing test's. A job without tests in a
 * compiled language is judged like an interpreted run, with the compiler's output attached.
 */
final class GradeJudge {
    private GradeJudge() {}

    static JobResult judge(GradedReport report, JobRequest request, boolean deadlineHit, String launcherStderr) {
        Limits limits = request.limits();
        String compileOutput = report.compile().map(c -> text(c.stdout())).orElse(null);
        if (report.compile().isPresent() && report.compile().get().failed()) {
            GradedReport.Step compile = report.compile().get();
            String why = compile.timedOut() || compile.cpuMs() > limits.compileTimeMs()
                    ? "Compilation exceeded its time limit of " + limits.compileTimeMs() + " ms"
                    : compile.oomKilled() ? "Compilation exceeded its memory limit of " + limits.compileMemoryMb() + " MB"
                    : "Compilation failed" + (compile.signal() != 0 ? " (" + Signals.name(compile.signal()) + ")"
                    : " (exit code " + compile.exitCode() + ")");
            return graded(Verdict.COMPILE_ERROR, why, compileOutput, request.hasTests() ? List.of() : null,
                    request.hasTests() ? 0 : null, request.hasTests() ? request.tests().size() : null, compile);
        }
        if (report.compile().isEmpty() && report.tests().isEmpty() && !report.complete()) {
            if (deadlineHit) {
                return graded(Verdict.TIME_LIMIT_EXCEEDED, "The run exceeded its total wall-clock limit", compileOutput,
                        null, null, null, null);
            }
            return JobResult.internalError("The runner's launcher gave no report: " + launcherStderr.strip());
        }
        List<TestCase> tests = GradedPayload.testsOf(request);
        List<TestResult> results = new ArrayList<>();
        boolean failedBefore = false;
        for (int i = 0; i < tests.size(); i++) {
            TestCase test = tests.get(i);
            TestResult result;
            if (i < report.tests().size() && !(failedBefore && request.stopOnFirstFailure())) {
                result = judgeTest(test, report.tests().get(i), request);
            } else if (i == report.tests().size() && deadlineHit) {
                result = notRun(test, Verdict.TIME_LIMIT_EXCEEDED, "The run exceeded its total wall-clock limit here");
            } else {
                result = notRun(test, Verdict.SKIPPED, failedBefore ? "Skipped after an earlier failure" : "Not run");
            }
            failedBefore |= result.verdict() != Verdict.ACCEPTED && result.verdict() != Verdict.OK;
            results.add(result);
        }
        if (!request.hasTests()) {
            TestResult only = results.get(0);
            return new JobResult(only.verdict(), only.exitCode(), only.signal(), only.stdout(), only.stderr(),
                    only.stdoutTruncated(), only.stderrTruncated(), only.wallTimeMs(), only.cpuTimeMs(), only.memoryKb(),
                    only.message(), compileOutput, null, null, null);
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

    static TestResult judgeTest(TestCase test, GradedReport.Step step, JobRequest request) {
        Limits limits = request.limits();
        boolean stdoutTruncated = step.stdoutTotal() > limits.outputBytes();
        boolean stderrTruncated = step.stderrTotal() > limits.outputBytes();
        String stdout = text(step.stdout());
        ProcessVerdicts.Judgement judgement = ProcessVerdicts.limitHit(limits, stdoutTruncated || stderrTruncated,
                stdoutTruncated, step.oomKilled() || step.maxRssKb() > limits.memoryMb() * 1024L, step.timedOut());
        if (judgement == null) {
            judgement = ProcessVerdicts.ending(limits, step.signal(), step.cpuMs(), step.exitCode());
        }
        if (judgement == null) {
            judgement = !request.hasTests() ? new ProcessVerdicts.Judgement(Verdict.OK, null)
                    : request.compare().matches(test.expectedOutput(), stdout) ? new ProcessVerdicts.Judgement(Verdict.ACCEPTED, null)
                    : new ProcessVerdicts.Judgement(Verdict.WRONG_ANSWER,
                            "Output differs from the expected output (compare: " + request.compare().toJson() + ")");
        }
        Verdict verdict = judgement.verdict();
        String message = judgement.message();
        return new TestResult(test.name(), verdict, step.exitCode() >= 0 ? step.exitCode() : null,
                Signals.name(step.signal()), stdout, text(step.stderr()), stdoutTruncated, stderrTruncated,
                step.wallMs(), step.cpuMs(), step.maxRssKb(), message);
    }

    private static TestResult notRun(TestCase test, Verdict verdict, String message) {
        return new TestResult(test.name(), verdict, null, null, "", "", false, false, null, null, null, message);
    }

    private static JobResult graded(Verdict verdict, String message, String compileOutput, List<TestResult> tests,
                                    Integer passed, Integer total, GradedReport.Step step) {
        return new JobResult(verdict, step == null || step.exitCode() < 0 ? null : step.exitCode(),
                step == null ? null : Signals.name(step.signal()), "", "", false, false,
                step == null ? null : step.wallMs(), step == null ? null : step.cpuMs(),
                step == null ? null : step.maxRssKb(), message, compileOutput, tests, passed, total);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
