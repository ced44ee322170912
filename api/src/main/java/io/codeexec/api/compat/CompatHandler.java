package io.codeexec.api.compat;

import io.codeexec.api.ApiError;
import io.codeexec.common.job.InvalidSubmissionException;
import io.codeexec.common.queue.QueueFullException;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Wraps a compatibility route so that every client-facing failure of the v1 path (a validation error,
 * a full queue, Redis unreachable) is answered in the foreign API's shape by {@code translate};
 * anything else stays a v1 500 (logged by ApiServer).
 */
public final class CompatHandler {
    /** What a foreign API says for a v1 failure: the status and the message its clients understand. */
    public interface Translator extends Function<RuntimeException, CompatError> {}

    private CompatHandler() {}

    public static Handler guard(Handler handler, Translator translate) {
        return ctx -> {
            try {
                handler.handle(ctx);
            } catch (RuntimeException e) {
                throw translated(e, translate);
            }
        };
    }

    /** Answers ctx asynchronously with future, translating its failure the same way. */
    public static void future(Context ctx, CompletableFuture<?> future, Translator translate) {
        ctx.future(() -> future.exceptionally(t -> {
            Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
            if (cause instanceof RuntimeException e && translated(e, translate) instanceof CompatError error) {
                error.writeTo(ctx);
                return null;
            }
            throw t instanceof RuntimeException r ? r : new CompletionException(t);
        }));
    }

    private static RuntimeException translated(RuntimeException e, Translator translate) {
        boolean client = e instanceof InvalidSubmissionException || e instanceof ApiError
                || e instanceof QueueFullException || (e instanceof JedisException && !(e instanceof JedisDataException));
        if (e instanceof CompatError || !client) {
            return e;
        }
        return translate.apply(e);
    }

    /** The HTTP status v1 would answer for a failure the translators see. */
    public static int v1Status(RuntimeException e) {
        if (e instanceof InvalidSubmissionException invalid) {
            return invalid.status();
        }
        if (e instanceof ApiError error) {
            return error.status();
        }
        return 503;  // queue full, Redis unreachable
    }
}
