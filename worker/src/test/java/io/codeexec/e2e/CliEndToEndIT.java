package io.codeexec.e2e;

import static io.codeexec.e2e.Stack.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.codeexec.common.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The codeexec CLI (bin/codeexec + the jar) against the real stack: `run` on python and C, `grade` on a
 * folder with accepted, wrong and failing submissions (CSV and JSON checked), the live progress bar seen
 * through a pseudo-terminal, and Ctrl-C leaving a partial report while the batch runs on to the end.
 */
class CliEndToEndIT {
    private static final String ADD = "a, b = map(int, input().split())\nprint(a + b)\n";
    private static final String HALF_RIGHT = "a, b = map(int, input().split())\nprint(a + b if a < 5 else a - b)\n";
    private static final String CRASH = "raise RuntimeError('boom')\n";

    private static Stack stack;
    private static String url;

    @TempDir
    Path dir;

    @BeforeAll
    static void startStack() {
        stack = Stack.start(1, 2);
        url = "http://localhost:" + stack.api.port();
    }

    @AfterAll
    static void stopStack() {
        stack.close();
    }

    private Path tests() throws Exception {
        Path tests = Files.createDirectories(dir.resolve("tests"));
        Files.writeString(tests.resolve("1-small.in"), "1 2\n");
        Files.writeString(tests.resolve("1-small.out"), "3\n");
        Files.writeString(tests.resolve("2-big.in"), "10 20\n");
        Files.writeString(tests.resolve("2-big.out"), "30\n");
        return tests;
    }

    private Path file(String name, String content) throws Exception {
        Path path = dir.resolve(name);
        Files.createDirectories(path.getParent());
        return Files.writeString(path, content);
    }

    @Test
    void runPrintsAPythonProgramsStreamsAndExitsWithItsCode() throws Exception {
        file("hello.py", "import sys\nprint('hello ' + input())\nprint('to stderr', file=sys.stderr)\nsys.exit(3)\n");
        file("name.txt", "world\n");
        CliProcess cli = CliProcess.run(dir, url, "run", "hello.py", "--stdin", "name.txt");
        assertEquals(3, cli.exitCode(), cli.stderr());
        assertEquals("hello world\n", cli.stdout());
        assertTrue(cli.stderr().contains("to stderr"), cli.stderr());
    }

    @Test
    void runCompilesAndRunsACProgramWithArgumentsAndReportsACompileError() throws Exception {
        file("sum.c", """
                #include <stdio.h>
                #include <stdlib.h>
                int main(int argc, char **argv) {
                    int a, b;
                    if (scanf("%d %d", &a, &b) != 2) return 1;
                    printf("%d %s\\n", a + b, argv[1]);
                    return 7;
                }
                """);
        file("in.txt", "40 2\n");
        CliProcess cli = CliProcess.run(dir, url, "run", "sum.c", "--stdin", "in.txt", "--arg", "apples");
        assertEquals(7, cli.exitCode(), cli.stderr());
        assertEquals("42 apples\n", cli.stdout());

        file("broken.c", "int main(void) { return 0 }\n");
        CliProcess broken = CliProcess.run(dir, url, "run", "broken.c");
        assertEquals(121, broken.exitCode(), broken.stderr());
        assertTrue(broken.stderr().contains("error"), broken.stderr());
        assertTrue(broken.stderr().contains("compile_error"), broken.stderr());
    }

    @Test
    void ctrlCOnRunCancelsItsJob() throws Exception {
        file("forever.py", "import time\nprint('started', flush=True)\nwhile True:\n    time.sleep(0.1)\n");
        CliProcess cli = CliProcess.start(dir, url, false, List.of("run", "forever.py", "--time-ms", "15000",
                "--wall-time-ms", "30000"));
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (stack.redis.keys("codeexec:job:*").stream().noneMatch(k -> "running".equals(stack.redis.hget(k, io.codeexec.common.queue.JobFields.STATUS)))) {
            assertTrue(System.nanoTime() < deadline, "the job never ran: " + cli.stderr());
            Thread.sleep(100);
        }
        cli.interrupt();
        assertEquals(130, cli.waitFor(60), cli.stderr());
        Matcher cancelled = Pattern.compile("job ([0-9a-f]{32}) cancelled").matcher(cli.stderr());
        assertTrue(cancelled.find(), cli.stderr());
        assertEquals("cancelled", json(stack.get("/jobs/" + cancelled.group(1))).get("status").asText());
    }

    @Test
    void runExplainsAnInvalidRequestWithTheApisFieldAndExits125() throws Exception {
        file("x.py", "print(1)\n");
        CliProcess cli = CliProcess.run(dir, url, "run", "x.py", "--memory-mb", "999999");
        assertEquals(125, cli.exitCode(), cli.stderr());
        assertTrue(cli.stderr().contains("[field: limits.memoryMb]"), cli.stderr());
    }

    @Test
    void gradeWritesCsvJsonAndHtmlForAcceptedWrongAndFailingSubmissions() throws Exception {
        Path tests = tests();
        file("subs/alice.py", ADD);
        file("subs/bob.py", HALF_RIGHT);
        file("subs/carol.py", CRASH);
        CliProcess cli = CliProcess.run(dir, url, "grade", "--lang", "python", "--tests", tests.toString(),
                "--out", "out", "subs/alice.py", "subs/bob.py", "subs/carol.py");
        assertEquals(0, cli.exitCode(), cli.stderr());
        assertTrue(cli.stderr().contains("graded 3/3 (100%)"), "plain progress lines when not on a terminal: " + cli.stderr());
        assertFalse(cli.stderr().contains("Grading"), "no bar when not on a terminal: " + cli.stderr());

        List<String> csv = Files.readAllLines(dir.resolve("out/report.csv"));
        assertEquals("submission,verdict,passed,total,max_time_ms,peak_memory_kb,status,job_id,message", csv.get(0));
        assertTrue(csv.get(1).startsWith("alice.py,accepted,2,2,"), csv.get(1));
        assertTrue(csv.get(2).startsWith("bob.py,wrong_answer,1,2,"), csv.get(2));
        assertTrue(csv.get(3).startsWith("carol.py,runtime_error,0,2,"), csv.get(3));
        assertEquals(4, csv.size());

        JsonNode report = Json.MAPPER.readTree(dir.resolve("out/report.json").toFile());
        assertTrue(report.get("complete").asBoolean());
        assertEquals(Map.of("accepted", 1, "wrong_answer", 1, "runtime_error", 1),
                Json.MAPPER.convertValue(report.get("verdicts"), Map.class));
        JsonNode bob = report.get("submissions").get(1);
        JsonNode bigTest = bob.get("tests").get(1);
        assertEquals("2-big", bigTest.get("name").asText());
        assertEquals("wrong_answer", bigTest.get("verdict").asText());
        assertTrue(bigTest.get("diff").asText().contains("-30\n+-10\n"), bigTest.toString());
        assertTrue(bob.get("tests").get(0).get("diff").isNull(), "no diff for a passing test");
        JsonNode carol = report.get("submissions").get(2);
        assertTrue(carol.get("tests").get(0).get("stderr").asText().contains("RuntimeError: boom"), carol.toString());
        assertTrue(carol.get("peakMemoryKb").asLong() > 0);

        String html = Files.readString(dir.resolve("out/report.html"));
        assertTrue(html.contains("<span class=\"add\">+-10</span>"), "the HTML shows the diff");
        assertFalse(html.contains("<script") || html.contains("<link"), "self-contained");
        JsonNode batch = json(stack.get("/batches/" + report.get("batchId").asText()));
        assertEquals(3, batch.get("total").asInt(), "one batch holds every submission");
        keepAsArtefact(dir.resolve("out"));
    }

    /** The reports of a real run, kept under target/ (the README's screenshot is taken of this report.html). */
    private static void keepAsArtefact(Path out) throws Exception {
        Path kept = Files.createDirectories(Path.of("target", "cli-report"));
        for (String name : List.of("report.csv", "report.json", "report.html")) {
            Files.copy(out.resolve(name), kept.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Test
    void runAndGradeMultiFilePrograms() throws Exception {
        assumeTrue(stack.post("/jobs", Map.of("language", "python", "files",
                        List.of(Map.of("name", "main.py", "content", "print(1)")))).statusCode() == 202,
                "the server takes no multi-file programs yet (the files part of issue 13, contracts §3)");
        Path tests = tests();
        String main = "from helper import add\na, b = map(int, input().split())\nprint(add(a, b))\n";
        file("multi/main.py", main);
        file("multi/helper.py", "def add(a, b):\n    return a + b\n");
        file("in.txt", "1 2\n");
        CliProcess run = CliProcess.run(dir, url, "run", "multi/main.py", "multi/helper.py", "--stdin", "in.txt");
        assertEquals(0, run.exitCode(), run.stderr());
        assertEquals("3\n", run.stdout());

        file("subs/dana/main.py", main);
        file("subs/dana/helper.py", "def add(a, b):\n    return a + b\n");
        file("subs/erin/main.py", main);
        file("subs/erin/helper.py", "def add(a, b):\n    return a * b\n");
        CliProcess grade = CliProcess.run(dir, url, "grade", "--lang", "python", "--tests", tests.toString(),
                "--out", "out", "subs/dana", "subs/erin");
        assertEquals(0, grade.exitCode(), grade.stderr());
        List<String> csv = Files.readAllLines(dir.resolve("out/report.csv"));
        assertTrue(csv.get(1).startsWith("dana,accepted,2,2,"), csv.toString());
        assertTrue(csv.get(2).startsWith("erin,wrong_answer,0,2,"), csv.toString());
    }

    @Test
    void gradeShowsALiveProgressBarOnATerminal() throws Exception {
        Path tests = tests();
        file("subs/a.py", ADD);
        file("subs/b.py", HALF_RIGHT);
        file("subs/c.py", "import time\ntime.sleep(1)\n" + ADD);
        CliProcess cli = CliProcess.start(dir, url, true, List.of("grade", "--lang", "python", "--tests", tests.toString(),
                "--out", "out", "subs/a.py", "subs/b.py", "subs/c.py"));
        assertEquals(0, cli.waitFor(180), cli.stdout() + cli.stderr());
        String screen = cli.stdout();  // script merges the terminal's output
        assertTrue(screen.contains("Grading"), screen);
        assertTrue(Pattern.compile("\\b3/3\\b").matcher(screen).find(), "done/total on the bar: " + screen);
        assertTrue(screen.contains("accepted 2 · wrong_answer 1"), "verdict counts on the bar: " + screen);
        assertTrue(screen.contains("jobs/s"), "the rate: " + screen);
        assertTrue(screen.contains("\r"), "redrawn in place: " + screen);
        assertFalse(screen.contains("graded 3/3"), "no plain lines on a terminal: " + screen);
    }

    @Test
    void ctrlCWritesAPartialReportExits130AndCancelsNothing() throws Exception {
        Path tests = tests();
        String[] args = {"grade", "--lang", "python", "--tests", tests.toString(), "--out", "out", "--progress", "plain"};
        List<String> command = new java.util.ArrayList<>(List.of(args));
        for (int i = 0; i < 8; i++) {
            file("slow/s" + i + ".py", "import time\ntime.sleep(1.2)\n" + ADD);
            command.add("slow/s" + i + ".py");
        }
        CliProcess cli = CliProcess.start(dir, url, false, command);
        Pattern progress = Pattern.compile("graded ([1-7])/8");
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (!progress.matcher(cli.stderr()).find()) {
            assertTrue(System.nanoTime() < deadline, "no progress: " + cli.stderr());
            Thread.sleep(100);
        }
        cli.interrupt();
        assertEquals(130, cli.waitFor(60), cli.stderr());

        Matcher batchLine = Pattern.compile("codeexec report ([0-9a-f]{32})").matcher(cli.stderr());
        assertTrue(batchLine.find(), "says how to fetch the full report: " + cli.stderr());
        String batchId = batchLine.group(1);
        JsonNode partial = Json.MAPPER.readTree(dir.resolve("out/report.json").toFile());
        assertFalse(partial.get("complete").asBoolean(), partial.toString());
        int done = partial.get("done").asInt();
        assertTrue(done >= 1 && done < 8, "partial: " + done);
        assertEquals(8, Files.readAllLines(dir.resolve("out/report.csv")).size() - 1, "every submission listed");

        CliProcess report = CliProcess.run(dir, url, "report", batchId, "--wait", "--progress", "plain",
                "--tests", tests.toString(), "--out", "out");
        assertEquals(0, report.exitCode(), report.stderr());
        assertTrue(report.stderr().contains("graded 8/8"), report.stderr());
        JsonNode batch = json(stack.get("/batches/" + batchId));
        assertTrue(batch.get("done").asBoolean(), batch.toString());
        assertEquals(8, batch.get("completed").asInt(), "the batch ran to the end: " + batch);
        assertEquals(0, batch.get("cancelled").asInt());
        assertEquals(Map.of("accepted", 8), Json.MAPPER.convertValue(batch.get("verdicts"), Map.class));
        JsonNode full = Json.MAPPER.readTree(dir.resolve("out/report.json").toFile());
        assertTrue(full.get("complete").asBoolean());
        assertEquals("s0.py", full.get("submissions").get(0).get("name").asText(), "names kept in the batch metadata");
    }
}
