package io.codeexec.api.compat;

/**
 * An error answered in a foreign API's own shape ({"message": ...} for Piston, {"error": ...} or
 * {"field": ["..."]} for Judge0): ApiServer writes {@code body} as JSON with {@code status}.
 */
public final class CompatError extends RuntimeException {
    private final int status;
    private final transient Object body;
    private final Integer retryAfterSeconds;

    public CompatError(int status, Object body, Integer retryAfterSeconds) {
        super("HTTP " + status, null, false, false);
        this.status = status;
        this.body = body;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public CompatError(int status, Object body) {
        this(status, body, null);
    }

    public int status() {
        return status;
    }

    public Object body() {
        return body;
    }

    /** Seconds for a Retry-After header, or null. */
    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** Writes this error to the exchange (also used where an async answer failed). */
    public void writeTo(io.javalin.http.Context ctx) {
        if (retryAfterSeconds != null) {
            ctx.header("Retry-After", retryAfterSeconds.toString());
        }
        ctx.status(status).json(body);
    }
}
