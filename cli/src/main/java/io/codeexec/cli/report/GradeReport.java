package io.codeexec.cli.report;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a grading run found, as report.json holds it: one line per submission (in the order given),
 * and for each failing test the diff of expected against actual output. {@code complete} is false
 * for a partial report (Ctrl-C, or `codeexec report` on an unfinished batch).
 */
public record GradeReport(String batchId, String language, Instant writtenAt, boolean complete, int total, int done,
                          Map<String, Integer> verdicts, List<Submission> submissions) {

    /**
     * One submission: its job's status and verdict, tests passed of total, the longest test's wall
     * time and the highest peak memory; {@code verdict} is null until its job finished.
     */
    public record Submission(String name, String jobId, String status, String verdict, Integer passed, Integer total,
                             Long maxTimeMs, Long peakMemoryKb, String message, String compileOutput, List<Test> tests) {}

    /** One test of a submission; {@code diff} (unified, expected → actual) and {@code stderr} only when it failed. */
    public record Test(String name, String verdict, Long timeMs, Long memoryKb, String message, String diff,
                       String stderr) {}
}
