package io.codeexec.api.logging;

import io.codeexec.common.logging.LogContext;
import io.javalin.http.Context;
import java.util.Map;

/**
 * The job (or batch) a request is about, for the lines logged while answering it (an unexpected error,
 * Redis failing): {@code /jobs/{id}…}, {@code /batches/{id}…} and Judge0's {@code /judge0/submissions/{token}}
 * (its token is the job id). Other routes are about no job; an admin key's id is never logged.
 */
public final class RequestLogContext {
    private RequestLogContext() {}

    /** A scope to close after logging; null (nothing to close) when the request is about no job or batch. */
    public static LogContext.Scope about(Context ctx) {
        Map<String, String> params;
        try {
            params = ctx.pathParamMap();
        } catch (RuntimeException e) {  // no endpoint matched: no parameters
            return null;
        }
        String path = ctx.path();
        if (path.startsWith("/jobs/") && params.containsKey("id")) {
            return LogContext.job(params.get("id"));
        }
        if (path.startsWith("/batches/") && params.containsKey("id")) {
            return LogContext.batch(params.get("id"));
        }
        if (path.startsWith("/judge0/submissions/") && params.containsKey("token")) {
            return LogContext.job(params.get("token"));
        }
        return null;
    }
}
