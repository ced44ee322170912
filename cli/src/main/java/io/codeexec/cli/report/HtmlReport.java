package io.codeexec.cli.report;

import java.util.Map;

/**
 * report.html: one self-contained page (inline CSS, no scripts, no external assets): totals, a table
 * of submissions, and per submission with failures the failing tests with a coloured diff.
 */
public final class HtmlReport {
    private static final String CSS = """
            body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;max-width:1100px;padding:0 1rem;color:#1f2328;background:#fff}
            h1{font-size:1.5rem;margin:0 0 .25rem}h2{font-size:1.15rem;margin:2rem 0 .5rem}
            .meta{color:#59636e;margin-bottom:1rem}.partial{background:#fff8c5;border:1px solid #d4a72c;padding:.5rem .75rem;border-radius:6px}
            .chips span{display:inline-block;margin:0 .4rem .4rem 0;padding:.15rem .6rem;border-radius:999px;background:#eef1f4;font-weight:600}
            table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.4rem .6rem;border-bottom:1px solid #d1d9e0}
            th{background:#f6f8fa;font-weight:600}td.num{text-align:right;font-variant-numeric:tabular-nums}
            .v{font-weight:600;padding:.1rem .45rem;border-radius:4px;font-size:.85rem}
            .v-accepted,.v-ok{background:#dafbe1;color:#116329}.v-wrong_answer{background:#ffebe9;color:#a40e26}
            .v-compile_error{background:#fff1e5;color:#953800}.v-pending{background:#eef1f4;color:#59636e}
            .v-runtime_error,.v-time_limit_exceeded,.v-memory_limit_exceeded,.v-output_limit_exceeded{background:#fbefff;color:#6e40c9}
            .v-internal_error,.v-cancelled{background:#eef1f4;color:#1f2328}
            details{border:1px solid #d1d9e0;border-radius:6px;margin:.6rem 0;padding:.4rem .8rem}summary{cursor:pointer;font-weight:600}
            pre{background:#f6f8fa;padding:.6rem;border-radius:6px;overflow:auto;font:12.5px/1.4 ui-monospace,SFMono-Regular,Menlo,monospace;margin:.4rem 0}
            .add{background:#dafbe1;display:block}.del{background:#ffebe9;display:block}.hunk{color:#0550ae;display:block}
            """;

    private HtmlReport() {}

    public static String render(GradeReport report) {
        StringBuilder html = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>codeexec grading report</title><style>")
                .append(CSS).append("</style></head><body>\n");
        html.append("<h1>Grading report</h1><div class=\"meta\">batch <code>").append(esc(report.batchId()))
                .append("</code> · language ").append(esc(report.language())).append(" · ").append(report.done())
                .append(" of ").append(report.total()).append(" submissions graded · written ")
                .append(esc(report.writtenAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString())).append("</div>\n");
        if (!report.complete()) {
            html.append("<p class=\"partial\">Partial report: ").append(report.total() - report.done())
                    .append(" submissions had not finished when it was written.</p>\n");
        }
        html.append("<div class=\"chips\">");
        for (Map.Entry<String, Integer> verdict : report.verdicts().entrySet()) {
            html.append("<span>").append(esc(verdict.getKey())).append(": ").append(verdict.getValue()).append("</span>");
        }
        html.append("</div>\n<table><thead><tr><th>Submission</th><th>Verdict</th><th>Passed</th><th>Max time</th>"
                + "<th>Peak memory</th><th>Message</th></tr></thead><tbody>\n");
        for (GradeReport.Submission s : report.submissions()) {
            html.append("<tr><td>").append(esc(s.name())).append("</td><td>").append(badge(s)).append("</td><td class=\"num\">")
                    .append(s.passed() == null ? "" : s.passed() + "/" + s.total()).append("</td><td class=\"num\">")
                    .append(s.maxTimeMs() == null ? "" : s.maxTimeMs() + " ms").append("</td><td class=\"num\">")
                    .append(s.peakMemoryKb() == null ? "" : String.format("%.1f MB", s.peakMemoryKb() / 1024.0))
                    .append("</td><td>").append(esc(s.message())).append("</td></tr>\n");
        }
        html.append("</tbody></table>\n");
        failures(html, report);
        return html.append("</body></html>\n").toString();
    }

    private static void failures(StringBuilder html, GradeReport report) {
        boolean heading = false;
        for (GradeReport.Submission s : report.submissions()) {
            boolean failing = s.compileOutput() != null || s.tests().stream().anyMatch(t -> t.diff() != null || t.stderr() != null);
            if (!failing) {
                continue;
            }
            if (!heading) {
                html.append("<h2>Failures</h2>\n");
                heading = true;
            }
            html.append("<details open><summary>").append(esc(s.name())).append(" — ").append(esc(s.verdict()))
                    .append("</summary>\n");
            if (s.compileOutput() != null) {
                html.append("<p>Compiler output:</p><pre>").append(esc(s.compileOutput())).append("</pre>\n");
            }
            for (GradeReport.Test t : s.tests()) {
                if (t.diff() == null && t.stderr() == null) {
                    continue;
                }
                html.append("<p><b>").append(esc(t.name())).append("</b> ").append("<span class=\"v v-")
                        .append(esc(t.verdict())).append("\">").append(esc(t.verdict())).append("</span> ")
                        .append(esc(t.message())).append("</p>\n");
                if (t.diff() != null && !t.diff().isEmpty()) {
                    html.append("<pre>").append(diff(t.diff())).append("</pre>\n");
                }
                if (t.stderr() != null) {
                    html.append("<p>stderr:</p><pre>").append(esc(t.stderr())).append("</pre>\n");
                }
            }
            html.append("</details>\n");
        }
    }

    private static String badge(GradeReport.Submission s) {
        String verdict = s.verdict() != null ? s.verdict() : "cancelled".equals(s.status()) ? "cancelled" : "pending";
        String label = s.verdict() != null ? s.verdict() : s.status();
        return "<span class=\"v v-" + esc(verdict) + "\">" + esc(label) + "</span>";
    }

    private static String diff(String unified) {
        StringBuilder out = new StringBuilder();
        for (String line : unified.split("\n")) {
            String css = line.startsWith("+++") || line.startsWith("---") ? null
                    : line.startsWith("+") ? "add" : line.startsWith("-") ? "del" : line.startsWith("@@") ? "hunk" : null;
            if (css == null) {
                out.append(esc(line)).append('\n');
            } else {
                out.append("<span class=\"").append(css).append("\">").append(esc(line)).append("</span>");
            }
        }
        return out.toString();
    }

    static String esc(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
