package io.codeexec.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codeexec.common.testing.PrometheusText;
import io.codeexec.worker.Launcher;
import io.codeexec.worker.metrics.MetricsServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

// A worker's metrics port (issue 12): real jobs in real sandboxes, then a scrape of its own HTTP port.
class MetricsEndToEndIT {

    @Test
    void jobsPhasesAndSandboxHostsAreCountedOnTheWorkersPort() throws Exception {
        try (Stack stack = Stack.start(0, 1)) {
            Launcher worker = stack.addWorker("e2e-metrics-" + System.nanoTime(), 2);
            try (MetricsServer server = MetricsServer.start(0, worker.metrics())) {
                List<String> ids = new ArrayList<>();
                ids.add(submit(stack, "python", "print(1)"));
                ids.add(submit(stack, "python", "print(2)"));
                ids.add(submit(stack, "python", "import sys\nsys.exit(3)"));
                ids.add(submit(stack, "javascript", "console.log(4)"));
                Jobs.awaitAllFinal(stack, ids, 120_000);

                HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + server.port() + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, response.statusCode());
                PrometheusText metrics = PrometheusText.parse(response.body());

                assertEquals(Optional.of(3.0), metrics.value("codeexec_jobs_started_total", "language", "python"));
                assertEquals(Optional.of(1.0), metrics.value("codeexec_jobs_started_total", "language", "javascript"));
                assertEquals(Optional.of(2.0), metrics.value("codeexec_jobs_finished_total",
                        "language", "python", "verdict", "ok"));
                assertEquals(Optional.of(1.0), metrics.value("codeexec_jobs_finished_total",
                        "language", "python", "verdict", "runtime_error"));
                assertEquals(Optional.of(1.0), metrics.value("codeexec_jobs_finished_total",
                        "language", "javascript", "verdict", "ok"));
                for (String phase : List.of("queued", "acquire", "run", "recycle", "store")) {
                    assertEquals(Optional.of(4.0), metrics.value("codeexec_job_phase_seconds_count", "phase", phase), phase);
                    assertEquals(Optional.of(4.0), metrics.value("codeexec_job_phase_seconds_bucket",
                            "phase", phase, "le", "+Inf"), phase);
                }
                assertTrue(metrics.value("codeexec_job_phase_seconds_sum", "phase", "run").orElseThrow() > 0);
                assertTrue(metrics.value("codeexec_sandbox_hosts_started_total", "language", "python").orElseThrow() >= 1);
                assertTrue(metrics.value("codeexec_sandbox_hosts_started_total", "language", "javascript").orElseThrow() >= 1);
                assertEquals(Optional.empty(), metrics.value("codeexec_sandbox_hosts_failed_total", "language", "python"));
                assertTrue(metrics.value("jvm_threads_live_threads").orElseThrow() > 0);
                ids.forEach(id -> assertTrue(!response.body().contains(id), "a job id leaked into a label"));

                assertEquals(404, HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + server.port() + "/other")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode());
            }
        }
    }

    private static String submit(Stack stack, String language, String code) {
        HttpResponse<String> response = stack.post("/jobs", Map.of("language", language, "code", code));
        assertEquals(202, response.statusCode(), response.body());
        return Stack.json(response).get("id").asText();
    }
}
