package io.codeexec.api;

import io.codeexec.common.json.Json;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The answer to requests Jetty refuses before they reach a route (a malformed request line or header,
 * an ambiguous URI encoding such as %00, a bad Content-Length, an oversized header): the API's usual
 * JSON error envelope instead of Jetty's HTML page. Found by the API fuzzer (ApiFuzzIT).
 */
final class JsonErrorHandler extends ErrorHandler {
    private static final HttpField JSON = new HttpField(HttpHeader.CONTENT_TYPE, "application/json");

    /** Jetty writes error bodies only for GET, POST and HEAD; every method gets one here. */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int status, String message, Throwable cause,
                                    Callback callback) {
        response.getHeaders().put(JSON);
        response.write(true, ByteBuffer.wrap(body(status, message)), callback);
    }

    /** Errors found while parsing, before a request exists (e.g. a negative Content-Length). */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(JSON);
        return ByteBuffer.wrap(body(status, reason));
    }

    static byte[] body(int status, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", status == 431 ? "headers_too_large" : status == 414 ? "uri_too_long"
                : status < 500 ? "bad_request" : "internal_error");
        error.put("message", "The request was refused before it reached a route: "
                + (message == null || message.isBlank() ? "HTTP " + status : message));
        try {
            return Json.MAPPER.writeValueAsBytes(Map.of("error", error));
        } catch (Exception e) {
            return ("{\"error\":{\"code\":\"bad_request\",\"message\":\"HTTP " + status + "\"}}").getBytes();
        }
    }
}
