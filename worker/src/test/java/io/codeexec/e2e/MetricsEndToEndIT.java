package io.codeexec.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.codeexec.common.json.Json;
import io.codeexec.common.testing.PrometheusText;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
                Jobs.awaitAllFinal(stack, ids, 60_000);

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
                assertEquals(Optional.of(0.0), metrics.value("codeexec_sandbox_hosts_failed_total", "language", "python"));
                assertTrue(metrics.value("jvm_threads_live_threads").orElseThrow() > 0);
                ids.forEach(id -> assertTrue(!response.body().contains(id), "a job id leaked into a label"));

                dashboardNamesOnlyExportedMetrics(metrics, PrometheusText.parse(stack.get("/metrics").body()));

                assertEquals(404, HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + server.port() + "/other")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode());
            }
        }
    }

    /**
     * deploy/grafana/codeexec.json parses, every panel has a query, and every metric a query names is one
     * the API or this worker exported just now (read through their real endpoints).
     */
    private static void dashboardNamesOnlyExportedMetrics(PrometheusText worker, PrometheusText api) throws Exception {
        JsonNode dashboard = Json.MAPPER.readTree(Files.readString(Path.of("..", "deploy", "grafana", "codeexec.json")));
        Set<String> exported = new TreeSet<>(worker.names());
        exported.addAll(api.names());
        Pattern metricName = Pattern.compile("\\b(?:codeexec|http_server|jvm|process|system)_[a-z0-9_]+");
        int queries = 0;
        assertTrue(dashboard.get("panels").size() >= 8, "panels");
        for (JsonNode panel : dashboard.get("panels")) {
            assertTrue(panel.get("targets").size() > 0, panel.get("title").asText());
            for (JsonNode target : panel.get("targets")) {
                String expr = target.get("expr").asText();
                Matcher names = metricName.matcher(expr);
                assertTrue(names.find(), "no metric in " + expr);
                do {
                    assertTrue(exported.contains(names.group()), names.group() + " (in \"" + panel.get("title").asText()
                            + "\") is not exported");
                } while (names.find());
                queries++;
            }
        }
        assertTrue(queries >= 15, queries + " queries");
    }

    /**
     * Runs one job to its end (?wait): one at a time, so each job starts exactly once. (Concurrent first
     * runs on a runner image whose launcher predates live output can release one job to be run again,
     * which the started counter rightly counts twice.)
     */
    private static String submit(Stack stack, String language, String code) {
        HttpResponse<String> response = stack.post("/jobs?wait=30", Map.of("language", language, "code", code));
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("completed", Stack.json(response).get("status").asText(), response.body());
        return Stack.json(response).get("id").asText();
    }
}
