package io.codeexec.api;

import static io.codeexec.api.TestApi.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codeexec.common.testing.PrometheusText;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

// GET /metrics (issue 12): read through the real endpoint after real requests, a fake worker completing one job.
class MetricsIT extends ApiTestBase {

    private PrometheusText scrape() {
        HttpResponse<String> response = api.get("/metrics");
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        return PrometheusText.parse(response.body());
    }

    private String submit(String language) {
        HttpResponse<String> response = api.post("/jobs", "{\"language\":\"" + language + "\",\"code\":\"print(1)\"}");
        assertEquals(202, response.statusCode(), response.body());
        return json(response).get("id").asText();
    }

    @Test
    void requestsSubmissionsAndQueueDepthAreCounted() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(submit("python"));
        }
        ids.add(submit("javascript"));
        FakeWorker.completeNext(api.queue, 0, lease -> FakeWorker.ok("1\n", "")).get();
        assertEquals(200, api.get("/jobs/" + ids.get(1)).statusCode());
        assertEquals(200, api.get("/jobs/" + ids.get(2)).statusCode());
        assertEquals(404, api.get("/jobs/no-such-job").statusCode());
        assertEquals(404, api.get("/nowhere/" + ids.get(0)).statusCode());
        assertEquals(400, api.post("/jobs", "{\"language\":\"cobol\",\"code\":\"x\"}").statusCode());

        PrometheusText metrics = scrape();
        assertEquals(Optional.of(3.0), metrics.value("codeexec_jobs_submitted_total", "language", "python"));
        assertEquals(Optional.of(1.0), metrics.value("codeexec_jobs_submitted_total", "language", "javascript"));
        assertEquals(Optional.empty(), metrics.value("codeexec_jobs_submitted_total", "language", "cobol"));

        String[] posted = {"route", "/jobs", "method", "POST", "status", "202"};
        assertEquals(Optional.of(4.0), metrics.value("http_server_requests_seconds_count", posted));
        assertEquals(Optional.of(4.0), metrics.value("http_server_requests_seconds_bucket", with(posted, "le", "+Inf")));
        assertTrue(metrics.matching("http_server_requests_seconds_bucket", posted).size() > 10, "a latency histogram");
        assertTrue(metrics.value("http_server_requests_seconds_sum", posted).orElseThrow() > 0);
        assertEquals(Optional.of(1.0), metrics.value("http_server_requests_seconds_count",
                "route", "/jobs", "method", "POST", "status", "400"));
        // The route label is the matched template: two ids, one series; never a raw path.
        assertEquals(Optional.of(2.0), metrics.value("http_server_requests_seconds_count",
                "route", "/jobs/{id}", "method", "GET", "status", "200"));
        assertEquals(Optional.of(1.0), metrics.value("http_server_requests_seconds_count",
                "route", "/jobs/{id}", "method", "GET", "status", "404"));
        assertEquals(Optional.of(1.0), metrics.value("http_server_requests_seconds_count",
                "route", "unmatched", "method", "GET", "status", "404"));
        String text = api.get("/metrics").body();
        ids.forEach(id -> assertFalse(text.contains(id), "a job id leaked into a label"));

        assertEquals(Optional.of(3.0), metrics.value("codeexec_queue_pending"));
        assertEquals(Optional.of(1.0), metrics.value("codeexec_queue_tenants"));
        assertEquals(Optional.of(0.0), metrics.value("codeexec_queue_delayed"));
        double age = metrics.value("codeexec_queue_oldest_pending_age_seconds").orElseThrow();
        assertTrue(age > 0 && age < 60, "oldest pending age " + age);
        assertEquals(Optional.of(0.0), metrics.value("codeexec_callbacks_backlog"));
        assertEquals(Optional.of(0.0), metrics.value("codeexec_redis_errors_total"));
        assertTrue(metrics.value("jvm_memory_used_bytes", "area", "heap", "id", "G1 Eden Space").isPresent()
                || !metrics.matching("jvm_memory_used_bytes", "area", "heap").isEmpty());
        assertTrue(metrics.value("jvm_threads_live_threads").orElseThrow() > 0);
    }

    @Test
    void metricsNeedNoKeyWhereKeysAreRequired() {
        try (TestApi keyed = TestApi.startWithEnv(java.util.Map.of("AUTH_MODE", "keys"))) {
            assertEquals(401, keyed.get("/stats").statusCode());
            HttpResponse<String> response = keyed.get("/metrics");
            assertEquals(200, response.statusCode(), response.body());
            assertTrue(PrometheusText.parse(response.body()).value("codeexec_queue_pending").isPresent());
        }
    }

    private static String[] with(String[] labels, String key, String value) {
        String[] all = java.util.Arrays.copyOf(labels, labels.length + 2);
        all[labels.length] = key;
        all[labels.length + 1] = value;
        return all;
    }
}
