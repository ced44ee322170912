package io.codeexec.cli.grade;

import io.codeexec.cli.report.GradeReport;
import io.codeexec.cli.report.ReportBuilder;
import io.codeexec.cli.report.ReportFiles;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds the report from what a {@link BatchFollower} collected, writes the three files and prints a summary. */
final class ReportView {
    private ReportView() {}

    static GradeReport write(Path out, String batchId, String language, List<String> names, BatchFollower follower,
                             List<TestPair> tests) {
        Map<String, TestPair> expected = new LinkedHashMap<>();
        tests.forEach(t -> expected.put(t.name(), t));
        List<String> jobIds = follower.jobIds();
        List<String> shownNames = names.size() == jobIds.size() ? names
                : java.util.stream.IntStream.range(0, jobIds.size()).mapToObj(i -> "submission-" + (i + 1)).toList();
        GradeReport report = new ReportBuilder(batchId, language, expected, Clock.systemUTC())
                .build(shownNames, jobIds, follower.finished(), follower.statuses());
        ReportFiles.write(out, report);
        for (GradeReport.Submission s : report.submissions()) {
            System.out.printf("%-30s %-22s %s%n", s.name(), s.verdict() != null ? s.verdict() : s.status(),
                    s.passed() == null ? "" : s.passed() + "/" + s.total());
        }
        System.err.println("codeexec: report written to " + out.resolve(ReportFiles.HTML) + " (and "
                + ReportFiles.CSV + ", " + ReportFiles.JSON + ")");
        return report;
    }
}
