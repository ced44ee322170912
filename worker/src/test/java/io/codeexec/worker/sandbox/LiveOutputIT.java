package io.codeexec.worker.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.codeexec.common.config.LimitPolicy;
import io.codeexec.common.events.JobEventStream;
import io.codeexec.common.job.Comparison;
import io.codeexec.common.job.JobRequest;
import io.codeexec.common.job.JobResult;
import io.codeexec.common.job.LimitsRequest;
import io.codeexec.common.job.TestCase;
import io.codeexec.common.job.Verdict;
import io.codeexec.common.json.Json;
import io.codeexec.common.queue.RedisConnector;
import io.codeexec.common.queue.RedisKeys;
import io.codeexec.common.testing.RedisTestServer;
import io.codeexec.worker.events.EventPublisher;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.resps.StreamEntry;

/**
 * Live output against the real engine (runner images of RUNNER_IMAGE_TAG, whose launcher streams) and a
 * real Redis: the events a job's run publishes to its stream, while it runs and in order.
 */
class LiveOutputIT {
    /** One event as stored: its type and its JSON. */
    record Event(String type, JsonNode data) {
        String text() {
            return data.path("data").asText();
        }
    }

    private static RedisClient redis;
    private static EventPublisher publisher;
    private static DockerClients docker;
    private static DockerSandbox sandbox;

    @BeforeAll
    static void connect() {
        redis = new RedisConnector(RedisTestServer.url()).pooled(4);
        publisher = new EventPublisher(redis, 600).start();
        docker = DockerClients.connect(LocalSandbox.DOCKER_HOST, 2);
        sandbox = new DockerSandbox(docker, LocalSandbox.config("live-it", SandboxConfig.Isolation.NESTED), 2, publisher);
    }

    @AfterAll
    static void close() throws Exception {
        sandbox.close();
        publisher.close();
        docker.close();
        redis.close();
    }

    private static JobRequest request(String language, String code, List<TestCase> tests) {
        return new JobRequest(language, code, "", List.of(),
                LimitPolicy.standard().resolve(new LimitsRequest(2000, 8000, null, null, null, null)), null, tests,
                Comparison.TRIMMED, false, List.of());
    }

    private static CompletableFuture<JobResult> start(String jobId, JobRequest request) {
        return CompletableFuture.supplyAsync(() -> sandbox.run(jobId, LocalSandbox.CATALOG.find(request.language())
                .orElseThrow(), request, () -> true));
    }

    private static List<Event> events(String jobId) {
        List<StreamEntry> entries = redis.xrange(RedisKeys.jobEvents(jobId), (StreamEntryID) null, (StreamEntryID) null);
        return entries.stream().map(e -> new Event(e.getFields().get(JobEventStream.EVENT),
                Json.read(e.getFields().get(JobEventStream.DATA), JsonNode.class))).toList();
    }

    private static String joined(List<Event> events, String type) {
        StringBuilder text = new StringBuilder();
        events.stream().filter(e -> e.type().equals(type)).forEach(e -> text.append(e.text()));
        return text.toString();
    }

    @Test
    void outputArrivesWhileTheProgramRunsAndInOrder() throws Exception {
        String jobId = "live-" + System.nanoTime();
        CompletableFuture<JobResult> run = start(jobId, request("python",
                "import sys, time\nprint('one', flush=True)\ntime.sleep(2)\nprint('oops', file=sys.stderr, flush=True)\ntime.sleep(0.3)\n"
                        + "print('two')\n", null));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!joined(events(jobId), JobEventStream.STDOUT).contains("one") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertFalse(run.isDone(), "the first chunk was published while the program still ran");
        assertEquals("one\n", joined(events(jobId), JobEventStream.STDOUT));
        JobResult result = run.get(30, TimeUnit.SECONDS);
        assertEquals(Verdict.OK, result.verdict(), result.toString());
        List<Event> events = events(jobId);
        assertEquals(List.of("status", "stdout", "stderr", "stdout"), events.stream().map(Event::type).toList(),
                events.toString());
        assertEquals("running", events.getFirst().data().path("status").asText());
        assertEquals("one\ntwo\n", joined(events, JobEventStream.STDOUT));
        assertEquals(result.stdout(), joined(events, JobEventStream.STDOUT));
        assertEquals("oops\n", joined(events, JobEventStream.STDERR));
        assertTrue(events.stream().noneMatch(e -> e.data().has("test")), "a plain job's chunks carry no test index");
        assertTrue(redis.ttl(RedisKeys.jobEvents(jobId)) > 0, "the stream expires");
    }

    @Test
    void gradedJobsPublishEachTestsOutputThenItsResult() throws Exception {
        String jobId = "live-graded-" + System.nanoTime();
        List<TestCase> tests = List.of(new TestCase("a", "1 2\n", "3\n", List.of()),
                new TestCase("b", "2 2\n", "5\n", List.of()));
        JobResult result = start(jobId, request("python",
                "a, b = map(int, input().split()); print(a + b)\n", tests)).get(60, TimeUnit.SECONDS);
        assertEquals(Verdict.WRONG_ANSWER, result.verdict(), result.toString());
        List<Event> events = events(jobId);
        assertEquals(List.of("status", "stdout", "test", "stdout", "test"), events.stream().map(Event::type).toList(),
                events.toString());
        assertEquals(0, events.get(1).data().path("test").asInt());
        assertEquals("3\n", events.get(1).text());
        assertEquals(0, events.get(2).data().path("index").asInt());
        assertEquals("accepted", events.get(2).data().path("verdict").asText());
        assertEquals(1, events.get(3).data().path("test").asInt());
        assertEquals("wrong_answer", events.get(4).data().path("verdict").asText());
        assertEquals("b", events.get(4).data().path("name").asText());
    }

    @Test
    void aCharacterSplitAcrossChunksArrivesWhole() throws Exception {
        String jobId = "live-utf8-" + System.nanoTime();
        JobResult result = start(jobId, request("python",
                "import sys, time\nw = sys.stdout.buffer\nw.write(b'caf\\xc3'); w.flush(); time.sleep(0.3)\n"
                        + "w.write(b'\\xa9\\n'); w.flush()\n", null)).get(30, TimeUnit.SECONDS);
        assertEquals("café\n", result.stdout());
        List<Event> events = events(jobId);
        assertTrue(events.stream().filter(e -> e.type().equals("stdout")).count() >= 2, events.toString());
        assertEquals("café\n", joined(events, JobEventStream.STDOUT));
    }

    @Test
    void compiledLanguagesPublishTheCompileStep() throws Exception {
        String jobId = "live-c-" + System.nanoTime();
        JobResult result = start(jobId, request("c", "#include <stdio.h>\nint main(void){puts(\"hi\");return 0;}\n", null))
                .get(60, TimeUnit.SECONDS);
        assertEquals(Verdict.OK, result.verdict(), result.toString());
        List<Event> events = events(jobId);
        assertEquals(List.of("status", "compile", "stdout"), events.stream().map(Event::type).toList(), events.toString());
        assertEquals(0, events.get(1).data().path("exitCode").asInt());
        assertEquals("hi\n", events.get(2).text());
    }
}
