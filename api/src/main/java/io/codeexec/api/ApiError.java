package io.codeexec.api;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A client-facing error: HTTP status, stable code, message and the field at fault (or null). Thrown by
 * controllers; ApiServer turns it into {"error": {...}} — or {"message": ...} on the legacy /run route.
 */
public final class ApiError extends RuntimeException {
    private final int status;
    private final String code;
    private final String field;
    private final Integer retryAfterSeconds;

    public ApiError(int status, String code, String message, String field, Integer retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.field = field;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public ApiError(int status, String code, String message, String field) {
        this(status, code, message, field, null);
    }

    public static ApiError notFound(String message) {
        return new ApiError(404, "not_found", message, null);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String field() {
        return field;
    }

    /** Seconds for a Retry-After header, or null for none. */
    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** The envelope: {"error": {"code", "message", "field"?}}. */
    public Map<String, Object> envelope() {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", getMessage());
        if (field != null) {
            error.put("field", field);
        }
        return Map.of("error", error);
    }

    /** The seed API's shape, kept for /run clients: {"message": ...}. */
    public Map<String, Object> legacyBody() {
        return Map.of("message", getMessage());
    }
}
