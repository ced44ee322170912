package io.codeexec.api;

import static io.codeexec.api.TestApi.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codeexec.common.job.SourceFile;
import io.codeexec.common.queue.Lease;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

// Multi-file submissions through the live HTTP API: what a worker claims, and path attacks answered 400
// in the usual envelope (and in the /run route's own shape).
class FilesApiIT extends ApiTestBase {
    private static final String PROGRAM = """
            {"language": "python", "entrypoint": "app/main.py", "files": [
              {"name": "lib/util.py", "content": "N = 42"},
              {"name": "app/main.py", "content": "print(1)"},
              {"name": "data.bin", "content": "AAH/", "encoding": "base64"}]}""";

    @Test
    void aWorkerClaimsTheFilesAndEntrypointAsSent() {
        var worker = FakeWorker.completeNext(api.queue, 0, job -> FakeWorker.ok("42\n", ""));
        HttpResponse<String> response = api.post("/jobs", PROGRAM);
        assertEquals(202, response.statusCode(), response.body());
        Lease claimed = worker.join();
        assertEquals(json(response).get("id").asText(), claimed.id());
        assertNull(claimed.request().code());
        assertEquals("app/main.py", claimed.request().entrypoint());
        assertEquals(List.of(new SourceFile("lib/util.py", "N = 42"), new SourceFile("app/main.py", "print(1)"),
                new SourceFile("data.bin", "AAH/", "base64")), claimed.request().files());
    }

    @Test
    void theRunRouteQueuesFilesToo() {
        var worker = FakeWorker.completeNext(api.queue, 100, job -> FakeWorker.ok("42\n", ""));
        HttpResponse<String> response = api.post("/run/python", PROGRAM.replace("\"language\": \"python\", ", ""));
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("42\n", json(response).get("stdout").asText());
        assertEquals("app/main.py", worker.join().request().entrypoint());
    }

    @Test
    void pathAttacksAreAnswered400NamingTheFile() {
        for (String name : List.of("../../etc/passwd", "/abs.py", "aux.py", "a\\\\b.py", "x/./y.py", "-rf")) {
            HttpResponse<String> response = api.post("/jobs", "{\"language\":\"python\",\"files\":["
                    + "{\"name\":\"main.py\",\"content\":\"\"},{\"name\":\"" + name + "\",\"content\":\"\"}]}");
            Envelope.assertError(response, 400, "invalid_request", "files[1].name");
        }
        Envelope.assertError(api.post("/batches", "{\"jobs\":[{\"language\":\"python\",\"files\":["
                + "{\"name\":\"main.py\",\"content\":\"\"},{\"name\":\"main.py\",\"content\":\"\"}]}]}"),
                400, "invalid_request", "jobs[0].files[1].name");
        HttpResponse<String> legacy = api.post("/run/python", "{\"files\":[{\"name\":\"../x.py\",\"content\":\"\"}]}");
        assertEquals(400, legacy.statusCode(), legacy.body());
        assertTrue(json(legacy).get("message").asText().startsWith("files[0].name '../x.py'"), legacy.body());
        assertEquals(0, api.queue.pendingCount(), "nothing rejected was queued");
    }
}
