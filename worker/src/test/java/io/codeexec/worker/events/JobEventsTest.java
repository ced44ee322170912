package io.codeexec.worker.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.codeexec.common.events.JobEventStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Batching and capping of a job's pending events (no Redis: drain() is what the publisher sends). */
class JobEventsTest {
    private static JobEvents events(long cap) {
        return new JobEvents("job", cap, new EventPublisher(null, 60));
    }

    private static List<String> data(List<Map<String, String>> entries) {
        return entries.stream().map(e -> e.get(JobEventStream.EVENT) + " " + e.get(JobEventStream.DATA)).toList();
    }

    @Test
    void consecutiveOutputOfOneStreamBecomesOneEntryAndOrderIsKept() {
        JobEvents events = events(1024);
        for (int i = 0; i < 100; i++) {
            events.output(null, JobEventStream.STDOUT, i + "\n", (i + "\n").length());
        }
        events.output(null, JobEventStream.STDERR, "e", 1);
        events.output(null, JobEventStream.STDOUT, "x", 1);
        events.event(JobEventStream.COMPILE, Map.of("exitCode", 0));
        List<String> drained = data(events.drain());
        assertEquals(4, drained.size(), drained.toString());
        assertEquals("stderr {\"data\":\"e\"}", drained.get(1));
        assertEquals("stdout {\"data\":\"x\"}", drained.get(2));
        assertEquals("compile {\"exitCode\":0}", drained.get(3));
        assertEquals(List.of(), events.drain(), "drained once");
    }

    @Test
    void anEntryHoldsAtMostOneChunkAndTestsAreKeptApart() {
        JobEvents events = events(1 << 20);
        String kb = "x".repeat(1024);
        for (int i = 0; i < 20; i++) {
            events.output(0, JobEventStream.STDOUT, kb, kb.length());
        }
        events.output(1, JobEventStream.STDOUT, "y", 1);
        List<Map<String, String>> drained = events.drain();
        assertEquals(3, drained.size());  // 16 KiB + 4 KiB of test 0, then test 1
        assertEquals("{\"data\":\"y\",\"test\":1}", drained.get(2).get(JobEventStream.DATA));
    }

    @Test
    void eachStreamOfEachTestPublishesAtMostTheOutputCap() {
        JobEvents events = events(10);
        events.output(0, JobEventStream.STDOUT, "0123456", 7);
        events.output(0, JobEventStream.STDOUT, "789abc", 6);
        events.output(0, JobEventStream.STDOUT, "more", 4);
        events.output(0, JobEventStream.STDERR, "err", 3);
        events.output(1, JobEventStream.STDOUT, "0123456789abc", 13);
        assertEquals(List.of("stdout {\"data\":\"0123456789\",\"test\":0}", "stderr {\"data\":\"err\",\"test\":0}",
                "stdout {\"data\":\"0123456789\",\"test\":1}"), data(events.drain()));
    }
}
