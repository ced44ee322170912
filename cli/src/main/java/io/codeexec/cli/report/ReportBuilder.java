package io.codeexec.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.codeexec.cli.grade.TestPair;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns job documents (GET /jobs/{id}) into a {@link GradeReport}: one line per submission, whose job
 * may still be unfinished (then only its status is known), with the tests' verdicts, the longest time,
 * the peak memory and, for each failing test whose expected output is known, a diff.
 */
public final class ReportBuilder {
    /** Most characters of a failing test's stderr kept in a report. */
    static final int MAX_STDERR_CHARS = 4000;

    private final String batchId;
    private final String language;
    private final Map<String, TestPair> expected;
    private final Clock clock;

    /** expected: the test pairs by name (empty when unknown: no diffs then). */
    public ReportBuilder(String batchId, String language, Map<String, TestPair> expected, Clock clock) {
        this.batchId = batchId;
        this.language = language;
        this.expected = expected;
        this.clock = clock;
    }

    /**
     * names and jobIds are parallel (the batch's order); finished maps a job id to its final document;
     * statuses holds the last known status of the others.
     */
    public GradeReport build(List<String> names, List<String> jobIds, Map<String, JsonNode> finished,
                             Map<String, String> statuses) {
        List<GradeReport.Submission> rows = new ArrayList<>();
        Map<String, Integer> verdicts = new TreeMap<>();
        for (int i = 0; i < jobIds.size(); i++) {
            String id = jobIds.get(i);
            JsonNode job = finished.get(id);
            GradeReport.Submission row = job == null
                    ? new GradeReport.Submission(names.get(i), id, statuses.getOrDefault(id, "queued"), null, null, null,
                            null, null, null, null, List.of())
                    : submission(names.get(i), id, job);
            if (row.verdict() != null) {
                verdicts.merge(row.verdict(), 1, Integer::sum);
            }
            rows.add(row);
        }
        int done = (int) rows.stream().filter(r -> r.verdict() != null || "cancelled".equals(r.status())).count();
        return new GradeReport(batchId, language, clock.instant(), done == rows.size(), rows.size(), done, verdicts, rows);
    }

    private GradeReport.Submission submission(String name, String id, JsonNode job) {
        JsonNode result = job.path("result");
        List<GradeReport.Test> tests = new ArrayList<>();
        long maxTime = 0;
        long peakMemory = 0;
        for (JsonNode test : result.path("tests")) {
            tests.add(test(test));
            maxTime = Math.max(maxTime, test.path("wallTimeMs").asLong(0));
            peakMemory = Math.max(peakMemory, test.path("memoryKb").asLong(0));
        }
        return new GradeReport.Submission(name, id, job.path("status").asText(), text(result, "verdict"),
                integer(result, "passed"), integer(result, "total"), tests.isEmpty() ? null : maxTime,
                tests.isEmpty() ? null : peakMemory, text(result, "message"),
                "compile_error".equals(text(result, "verdict")) ? text(result, "compileOutput") : null, tests);
    }

    private GradeReport.Test test(JsonNode test) {
        String verdict = text(test, "verdict");
        boolean failed = verdict != null && !verdict.equals("accepted") && !verdict.equals("skipped");
        String diff = null;
        String stderr = null;
        if (failed) {
            TestPair pair = expected.get(text(test, "name"));
            if (pair != null) {
                diff = OutputDiff.unified(pair.expected(), test.path("stdout").asText(""));
            }
            String err = test.path("stderr").asText("");
            stderr = err.isEmpty() ? null : err.length() > MAX_STDERR_CHARS ? err.substring(0, MAX_STDERR_CHARS) + "…" : err;
        }
        return new GradeReport.Test(text(test, "name"), verdict, test.hasNonNull("wallTimeMs") ? test.get("wallTimeMs").asLong() : null,
                test.hasNonNull("memoryKb") ? test.get("memoryKb").asLong() : null, text(test, "message"), diff, stderr);
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }

    private static Integer integer(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asInt() : null;
    }
}
