package io.codeexec.api;

import static io.codeexec.api.TestApi.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.codeexec.common.queue.Lease;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

// The seed-compatible POST /run/{language}: its answers and its {"message": ...} errors, exactly.
class RunApiIT extends ApiTestBase {
    @Test
    void helloWorldAnswers200WithStdoutThenStderr() {
        var worker = FakeWorker.completeNext(api.queue, 200, job -> FakeWorker.ok("Hello, World!\n", "warning\n"));
        HttpResponse<String> response = api.post("/run/python", "{\"code\":\"print('Hello, World!')\",\"input\":\"abc\"}");
        assertEquals(200, response.statusCode(), response.body());
        JsonNode body = json(response);
        assertEquals("Hello, World!\nwarning\n", body.get("message").asText());
        assertEquals("Hello, World!\n", body.get("stdout").asText());
        assertEquals("warning\n", body.get("stderr").asText());
        assertEquals("ok", body.get("verdict").asText());
        assertEquals(0, body.get("exitCode").asInt());
        Lease claimed = worker.join();
        assertEquals(claimed.id(), body.get("id").asText());
        assertEquals("abc", claimed.request().stdin(), "input is the program's stdin");
        assertEquals("python", claimed.request().language());
    }

    @Test
    void timeLimitExceededIs408() {
        FakeWorker.completeNext(api.queue, 100, job -> FakeWorker.timeLimitExceeded());
        HttpResponse<String> response = api.post("/run/javascript", "{\"code\":\"while(true){}\"}");
        assertEquals(408, response.statusCode(), response.body());
        assertEquals("{\"message\":\"Timeout of 3000ms exceeded\"}", response.body());
    }

    @Test
    void missingCodeIs400CodeIsRequired() {
        for (String body : new String[] {"{}", "{\"code\":\"  \"}", "{\"code\":42}", "not json", ""}) {
            HttpResponse<String> response = api.post("/run/python", body);
            assertEquals(400, response.statusCode(), body);
            assertEquals("{\"message\":\"Code is required\"}", response.body(), body);
        }
        assertEquals(0, api.queue.pendingCount());
    }

    @Test
    void unsupportedLanguageIs400WithTheSeedMessage() {
        HttpResponse<String> response = api.post("/run/cobol", "{\"code\":\"DISPLAY 'HI'.\"}");
        assertEquals(400, response.statusCode(), response.body());
        assertEquals("{\"message\":\"Language not supported. The languages supported are: python, javascript, ruby\"}",
                response.body());
    }
}
