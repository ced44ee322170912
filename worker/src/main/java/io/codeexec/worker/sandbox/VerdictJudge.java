package io.codeexec.worker.sandbox;

import io.codeexec.common.job.JobResult;
import io.codeexec.common.job.Limits;
import io.codeexec.common.job.RawOutput;
import io.codeexec.common.job.Verdict;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Turns what a run showed into a result with exactly one verdict. Order matters: output caps and
 * the OOM killer explain a kill before a signal does; the launcher's report beats the container's.
 */
final class VerdictJudge {
    static final int LAUNCHER_PROTOCOL_EXIT = 121;

    private VerdictJudge() {}

    /** The kept output bytes when either stream is not valid UTF-8 (its text then lost bytes), else null. */
    static RawOutput rawOutputIfNotText(RunObservation run, Limits limits) {
        int cap = limits.outputBytes();
        byte[] stdout = Arrays.copyOf(run.stdout().buffer(), Math.min(run.stdout().size(), cap));
        byte[] stderr = Arrays.copyOf(run.stderr().buffer(), (int) Math.min(Math.min(userStderrBytes(run), cap), run.stderr().size()));
        return isUtf8(stdout) && isUtf8(stderr) ? null : new RawOutput(stdout, stderr);
    }

    private static long userStderrBytes(RunObservation run) {
        return run.report().map(r -> (long) r.stderrEnd()).orElse(run.stderr().total());
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

    static JobResult judge(RunObservation run, Limits limits) {
        int cap = limits.outputBytes();
        long stderrBytes = userStderrBytes(run);
        boolean stdoutTruncated = run.stdout().total() > cap;
        boolean stderrTruncated = stderrBytes > cap;
        String stdout = run.stdout().text(cap);
        String stderr = run.stderr().text((int) Math.min(stderrBytes, cap));
        Long wallMs = run.report().map(LaunchReport::wallMs).orElse(run.measuredWallMs());
        Long cpuMs = run.report().map(LaunchReport::cpuMs).orElse(null);
        Long memoryKb = run.report().map(LaunchReport::memoryKb).orElse(null);
        Integer exitCode = run.report().map(r -> r.exitCode() >= 0 ? r.exitCode() : null).orElse(null);
        int signal = run.report().map(LaunchReport::signal).orElse(0);

        boolean reportedOverWall = run.report().map(r -> r.wallMs() > limits.wallTimeMs()).orElse(false);
        ProcessVerdicts.Judgement judgement = ProcessVerdicts.limitHit(limits,
                run.outputLimitHit() || stdoutTruncated || stderrTruncated, stdoutTruncated, run.oomKilled(),
                run.wallLimitHit() || reportedOverWall);
        if (judgement == null && run.report().isPresent()) {
            LaunchReport report = run.report().get();
            judgement = ProcessVerdicts.ending(limits, signal, report.cpuMs(), report.exitCode());
            if (judgement == null) {
                judgement = new ProcessVerdicts.Judgement(Verdict.OK, null);
            }
        } else if (judgement == null && run.containerExitCode() != null && run.containerExitCode() == LAUNCHER_PROTOCOL_EXIT) {
            return JobResult.internalError("The runner's launcher rejected its payload: " + stderr.strip());
        } else if (judgement == null && run.containerExitCode() != null && run.containerExitCode() > 128) {
            signal = run.containerExitCode() - 128;
            judgement = new ProcessVerdicts.Judgement(Verdict.RUNTIME_ERROR,
                    "The program killed its own supervisor (" + Signals.name(signal) + ")");
        } else if (judgement == null) {
            judgement = new ProcessVerdicts.Judgement(Verdict.RUNTIME_ERROR,
                    "The program ended its supervisor (container exit code " + run.containerExitCode() + ")");
        }
        Verdict verdict = judgement.verdict();
        String message = judgement.message();
        return new JobResult(verdict, exitCode, Signals.name(signal), stdout, stderr,
                stdoutTruncated, stderrTruncated, wallMs, cpuMs, memoryKb, message);
    }
}
