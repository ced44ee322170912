package io.codeexec.cli.report;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** report.csv: one row per submission (RFC 4180 quoting), for spreadsheets and scripts. */
public final class CsvReport {
    static final List<String> HEADER = List.of("submission", "verdict", "passed", "total", "max_time_ms",
            "peak_memory_kb", "status", "job_id", "message");

    private CsvReport() {}

    public static String render(GradeReport report) {
        StringBuilder csv = new StringBuilder(row(HEADER.stream()));
        for (GradeReport.Submission s : report.submissions()) {
            csv.append(row(Stream.of(s.name(), s.verdict(), s.passed(), s.total(), s.maxTimeMs(), s.peakMemoryKb(),
                    s.status(), s.jobId(), s.message()).map(v -> v == null ? "" : v.toString())));
        }
        return csv.toString();
    }

    private static String row(Stream<String> cells) {
        return cells.map(CsvReport::cell).collect(Collectors.joining(",")) + "\r\n";
    }

    static String cell(String value) {
        boolean quote = value.chars().anyMatch(c -> c == ',' || c == '"' || c == '\n' || c == '\r');
        return quote ? '"' + value.replace("\"", "\"\"") + '"' : value;
    }
}
