package io.codeexec.worker.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.codeexec.common.config.LimitPolicy;
import io.codeexec.common.job.JobRequest;
import io.codeexec.common.job.JobResult;
import io.codeexec.common.job.LimitsRequest;
import io.codeexec.common.job.Verdict;
import io.codeexec.common.queue.RedisConnector;
import io.codeexec.common.testing.RedisTestServer;
import io.codeexec.worker.events.EventPublisher;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import redis.clients.jedis.RedisClient;

/**
 * A measurement, not a check (run with -Dcodeexec.measure=true): what live output costs a job. The same
 * python print loops run on a sandbox that streams (flag + chunk records + Redis events) and one that
 * does not, alternately, and the median wall time of each is printed.
 */
@EnabledIfSystemProperty(named = "codeexec.measure", matches = "true")
class LiveOutputCostIT {
    private static final int RUNS = 9;

    @Test
    void printLoopsWithAndWithoutLiveOutput() throws Exception {
        try (RedisClient redis = new RedisConnector(RedisTestServer.url()).pooled(4);
             EventPublisher publisher = new EventPublisher(redis, 600).start();
             DockerClients liveDocker = DockerClients.connect(LocalSandbox.DOCKER_HOST, 1);
             DockerClients plainDocker = DockerClients.connect(LocalSandbox.DOCKER_HOST, 1)) {
            DockerSandbox streaming = new DockerSandbox(liveDocker, LocalSandbox.config("cost-live", SandboxConfig.Isolation.NESTED), 1, publisher);
            DockerSandbox plain = new DockerSandbox(plainDocker, LocalSandbox.config("cost-plain", SandboxConfig.Isolation.NESTED), 1);
            try {
                measure("hello world", "print('Hello, World!')", streaming, plain);
                measure("flushed print loop (50000 lines, one write each)", "for i in range(50000): print(i, flush=True)", streaming, plain);
                measure("buffered print loop (60000 lines)", "for i in range(60000): print(i)", streaming, plain);
            } finally {
                streaming.close();
                plain.close();
            }
        }
    }

    private static void measure(String name, String code, DockerSandbox streaming, DockerSandbox plain) {
        JobRequest request = new JobRequest("python", code, "", List.of(),
                LimitPolicy.standard().resolve(new LimitsRequest(10_000, 20_000, null, 1 << 20, null, null)));
        List<Long> live = new ArrayList<>();
        List<Long> off = new ArrayList<>();
        run(streaming, request);  // warm hosts
        run(plain, request);
        for (int i = 0; i < RUNS; i++) {
            live.add(run(streaming, request));
            off.add(run(plain, request));
        }
        System.out.printf("%s: median %d ms with live output, %d ms without (runs: %s / %s)%n", name, median(live),
                median(off), live, off);
    }

    /**
     * One timed run. On an engine shared with other test stacks, their workers' start-up sweep removes
     * hosts of workers their Redis does not know (ours): such a run is retried, not counted.
     */
    private static long run(DockerSandbox sandbox, JobRequest request) {
        for (int attempt = 1; ; attempt++) {
            long start = System.nanoTime();
            try {
                JobResult result = sandbox.run("cost-" + System.nanoTime(), LocalSandbox.CATALOG.find("python").orElseThrow(),
                        request, () -> true);
                assertEquals(Verdict.OK, result.verdict(), result.message());
                return (System.nanoTime() - start) / 1_000_000;
            } catch (SandboxUnavailableException e) {
                if (attempt == 5) {
                    throw e;
                }
                System.out.println("retrying a run whose host vanished: " + e.getMessage());
            }
        }
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
