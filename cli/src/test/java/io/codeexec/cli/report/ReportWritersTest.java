package io.codeexec.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.codeexec.cli.grade.TestPair;
import io.codeexec.common.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** From job documents as the API returns them to the three report files. */
class ReportWritersTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T22:00:00Z"), ZoneOffset.UTC);
    private static final Map<String, TestPair> TESTS = Map.of(
            "t1", new TestPair("t1", "1 2\n", "3\n"), "t2", new TestPair("t2", "2 2\n", "4\n"));

    @TempDir
    Path out;

    private static JsonNode job(String json) throws Exception {
        return Json.MAPPER.readTree(json);
    }

    private GradeReport report() throws Exception {
        JsonNode accepted = job("""
                {"id":"j1","status":"completed","language":"python","result":{"verdict":"accepted","passed":2,"total":2,
                 "message":"all passed","tests":[
                  {"name":"t1","verdict":"accepted","stdout":"3\\n","stderr":"","wallTimeMs":20,"memoryKb":9000},
                  {"name":"t2","verdict":"accepted","stdout":"4\\n","stderr":"","wallTimeMs":35,"memoryKb":9500}]},
                 "tenant":"anonymous","someFieldAddedLater":1}""");
        JsonNode wrong = job("""
                {"id":"j2","status":"completed","language":"python","result":{"verdict":"wrong_answer","passed":1,"total":2,
                 "message":"1 of 2 tests passed, \\"first\\" failure: t2","tests":[
                  {"name":"t1","verdict":"accepted","stdout":"3\\n","stderr":"","wallTimeMs":21,"memoryKb":9100},
                  {"name":"t2","verdict":"wrong_answer","stdout":"5\\n","stderr":"<oops>","wallTimeMs":22,"memoryKb":9200}]}}""");
        JsonNode broken = job("""
                {"id":"j3","status":"completed","language":"c","result":{"verdict":"compile_error","passed":0,"total":2,
                 "compileOutput":"main.c:1: error: expected ';'","tests":[]}}""");
        return new ReportBuilder("b1", "python", TESTS, CLOCK).build(List.of("good.py", "bad, one.py", "broken", "slow.py"),
                List.of("j1", "j2", "j3", "j4"), Map.of("j1", accepted, "j2", wrong, "j3", broken), Map.of("j4", "running"));
    }

    @Test
    void theReportHasOneLinePerSubmissionWithDiffsForFailingTestsOnly() throws Exception {
        GradeReport report = report();
        assertFalse(report.complete());
        assertEquals(3, report.done());
        assertEquals(Map.of("accepted", 1, "wrong_answer", 1, "compile_error", 1), report.verdicts());
        GradeReport.Submission good = report.submissions().get(0);
        assertEquals(35L, good.maxTimeMs());
        assertEquals(9500L, good.peakMemoryKb());
        assertNull(good.tests().get(0).diff());
        GradeReport.Test failing = report.submissions().get(1).tests().get(1);
        assertEquals("--- expected\n+++ actual\n@@ -1,1 +1,1 @@\n-4\n+5\n", failing.diff());
        assertEquals("<oops>", failing.stderr());
        assertEquals("main.c:1: error: expected ';'", report.submissions().get(2).compileOutput());
        assertEquals("running", report.submissions().get(3).status());
        assertNull(report.submissions().get(3).verdict());
    }

    @Test
    void csvQuotesCellsAndLeavesUnknownsEmpty() throws Exception {
        String csv = CsvReport.render(report());
        List<String> rows = csv.lines().toList();
        assertEquals("submission,verdict,passed,total,max_time_ms,peak_memory_kb,status,job_id,message", rows.get(0));
        assertEquals("good.py,accepted,2,2,35,9500,completed,j1,all passed", rows.get(1));
        assertEquals("\"bad, one.py\",wrong_answer,1,2,22,9200,completed,j2,\"1 of 2 tests passed, \"\"first\"\" failure: t2\"",
                rows.get(2));
        assertEquals("slow.py,,,,,,running,j4,", rows.get(4));
        assertTrue(csv.endsWith("\r\n"));
    }

    @Test
    void theThreeFilesAreWrittenAndTheJsonReadsBack() throws Exception {
        ReportFiles.write(out, report());
        JsonNode json = Json.MAPPER.readTree(Files.readString(out.resolve(ReportFiles.JSON)));
        assertEquals("b1", json.get("batchId").asText());
        assertFalse(json.get("complete").asBoolean());
        assertEquals("wrong_answer", json.get("submissions").get(1).get("verdict").asText());
        assertEquals("-4\n+5", json.get("submissions").get(1).get("tests").get(1).get("diff").asText().lines()
                .skip(3).reduce((a, b) -> a + "\n" + b).orElseThrow());
        assertTrue(Files.readString(out.resolve(ReportFiles.CSV)).startsWith("submission,"));
        try (var files = Files.list(out)) {
            assertEquals(3, files.count(), "no temp files left");
        }
    }

    @Test
    void htmlIsSelfContainedAndEscapesEverything() throws Exception {
        String html = HtmlReport.render(report());
        assertTrue(html.contains("<style>"));
        assertFalse(html.matches("(?s).*(src=|href=|<script|<link|@import|url\\().*"), "no external asset or script");
        assertTrue(html.contains("&lt;oops&gt;"));
        assertFalse(html.contains("<oops>"));
        assertTrue(html.contains("<span class=\"del\">-4</span><span class=\"add\">+5</span>"), html);
        assertTrue(html.contains("Partial report"));
        assertTrue(html.contains("main.c:1: error: expected &#39;;&#39;"));
    }
}
