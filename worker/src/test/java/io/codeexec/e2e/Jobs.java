package io.codeexec.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.codeexec.common.job.Job;
import io.codeexec.common.queue.JobStore;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Submitting numbered jobs through the API and waiting for all of them to reach a final state. */
final class Jobs {
    private Jobs() {}

    /** Submits python jobs that sleep {@code sleepSeconds} and print their number; returns their ids. */
    static List<String> submitNumbered(Stack stack, int count, double sleepSeconds) {
        return submitNumbered(stack, 0, count, sleepSeconds);
    }

    /** As above, numbered from {@code first}: a later batch of the same list keeps job i printing i. */
    static List<String> submitNumbered(Stack stack, int first, int count, double sleepSeconds) {
        List<String> ids = new ArrayList<>();
        for (int i = first; i < first + count; i++) {
            HttpResponse<String> response = stack.post("/jobs", Map.of("language", "python",
                    "code", "import time\ntime.sleep(" + sleepSeconds + ")\nprint(" + i + ")",
                    "limits", Map.of("timeMs", 2000, "wallTimeMs", 20000)));
            assertEquals(202, response.statusCode(), response.body());
            ids.add(Stack.json(response).get("id").asText());
        }
        return ids;
    }

    /** Waits until every job is final; returns them in order. Fails with the stragglers' states. */
    static List<Job> awaitAllFinal(Stack stack, List<String> ids, long timeoutMs) throws InterruptedException {
        JobStore store = new JobStore(stack.redis);
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (true) {
            List<Job> jobs = new ArrayList<>();
            List<String> pending = new ArrayList<>();
            for (String id : ids) {
                Optional<Job> job = store.find(id);
                if (job.isPresent() && job.get().status().isFinal()) {
                    jobs.add(job.get());
                } else {
                    pending.add(id + "=" + job.map(j -> j.status().wireName()).orElse("missing"));
                }
            }
            if (pending.isEmpty()) {
                return jobs;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError(pending.size() + " jobs never finished, e.g. "
                        + pending.subList(0, Math.min(5, pending.size())));
            }
            Thread.sleep(250);
        }
    }

    /** Asserts job i completed ok and printed i. */
    static void assertNumberedOutput(List<Job> jobs) {
        for (int i = 0; i < jobs.size(); i++) {
            Job job = jobs.get(i);
            assertEquals("completed", job.status().wireName(), job.toString());
            assertEquals("ok", job.result().verdict().wireName(), job.toString());
            assertEquals(i + "\n", job.result().stdout(), job.toString());
        }
    }
}
