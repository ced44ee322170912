package io.codeexec.worker.sandbox;

import io.codeexec.common.events.JobEventStream;
import io.codeexec.common.job.JobRequest;
import io.codeexec.common.job.TestCase;
import io.codeexec.common.job.TestResult;
import io.codeexec.common.job.Verdict;
import io.codeexec.common.json.Json;
import io.codeexec.worker.events.JobEvents;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a launch's records into a job's live events as they arrive (on the attach thread):
 * 1. chunks → stdout/stderr text, decoded per stream with a streaming UTF-8 decoder (a character split
 *    across two chunks arrives whole; invalid bytes become U+FFFD), tagged with the test for graded jobs;
 * 2. the compile record → a compile event; each test record of a graded job → its judged
 *    {@link TestResult} with its index (the same ladder as the final result: {@link Verdicts#judgeRun});
 * 3. with stopOnFirstFailure, nothing after the first failing test (the final result skips those).
 */
final class LiveOutput implements LaunchRecords.Listener {
    private final JobEvents events;
    private final JobRequest request;
    private final List<TestCase> tests;
    private final Map<Integer, CharsetDecoder> decoders = new HashMap<>();
    /** Per stream: the bytes of a character split across chunks, waiting for the rest. */
    private final Map<Integer, byte[]> unfinished = new HashMap<>();
    private boolean stopped;

    LiveOutput(JobEvents events, JobRequest request, List<TestCase> tests) {
        this.events = events;
        this.request = request;
        this.tests = tests;
    }

    @Override
    public void chunk(int test, int fd, byte[] data) {
        if (stopped) {
            return;
        }
        byte[] before = unfinished.remove(fd);
        byte[] bytes = data;
        if (before != null) {
            bytes = Arrays.copyOf(before, before.length + data.length);
            System.arraycopy(data, 0, bytes, before.length, data.length);
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        decoder(fd).decode(in, out, false);  // stops before an incomplete character at the end
        if (in.hasRemaining()) {
            unfinished.put(fd, Arrays.copyOfRange(bytes, in.position(), bytes.length));
        }
        publish(test, fd, out.flip().toString(), in.position());
    }

    private CharsetDecoder decoder(int fd) {
        return decoders.computeIfAbsent(fd, f -> StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE));
    }

    private void publish(int test, int fd, String text, int bytes) {
        events.output(request.hasTests() ? test : null, fd == 1 ? JobEventStream.STDOUT : JobEventStream.STDERR,
                text, bytes);
    }

    @Override
    public void compiled(LaunchRecords.Run compile) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("exitCode", compile.exitCode() < 0 ? null : compile.exitCode());
        data.put("output", new String(compile.stdout(), StandardCharsets.UTF_8));
        events.event(JobEventStream.COMPILE, data);
    }

    @Override
    public void tested(int index, LaunchRecords.Run run) {
        endOfTest(index);
        if (stopped || !request.hasTests() || index >= tests.size()) {
            return;
        }
        TestResult result = Verdicts.judgeRun(tests.get(index), run, request);
        @SuppressWarnings("unchecked")
        Map<String, Object> data = new LinkedHashMap<>(Json.MAPPER.convertValue(result, Map.class));
        data.put("index", index);
        events.event(JobEventStream.TEST, data);
        if (request.stopOnFirstFailure() && result.verdict() != Verdict.ACCEPTED) {
            stopped = true;
        }
    }

    /** Test {@code index} ended: a character its output left unfinished is invalid (U+FFFD); decoders start afresh. */
    private void endOfTest(int index) {
        if (!stopped) {
            unfinished.forEach((fd, left) -> publish(index, fd, "\uFFFD", left.length));
        }
        unfinished.clear();
        decoders.clear();
    }
}
