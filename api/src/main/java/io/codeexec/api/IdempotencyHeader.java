package io.codeexec.api;

import io.codeexec.api.auth.RequestTenant;
import io.codeexec.common.queue.IdempotencyKey;
import io.codeexec.common.tenant.Tenant;
import io.javalin.http.Context;
import java.util.Optional;

/**
 * The Idempotency-Key request header of POST /jobs and POST /batches, and the one place that says whose
 * key it is ({@link #client}). A replayed answer carries {@link #REPLAYED}: true.
 */
final class IdempotencyHeader {
    static final String NAME = "Idempotency-Key";
    static final String REPLAYED = "Idempotent-Replayed";
    static final int MAX_CHARS = 200;

    private IdempotencyHeader() {}

    /** The request's key, empty without the header; 1 to 200 printable ASCII characters, else a 400. */
    static Optional<IdempotencyKey> read(Context ctx) {
        String value = ctx.header(NAME);
        if (value == null) {
            return Optional.empty();
        }
        if (value.isEmpty() || value.length() > MAX_CHARS || !value.chars().allMatch(c -> c >= 0x20 && c <= 0x7e)) {
            throw new ApiError(400, "invalid_value",
                    NAME + " must be 1 to " + MAX_CHARS + " printable ASCII characters", NAME);
        }
        return Optional.of(new IdempotencyKey(client(ctx), value));
    }

    /**
     * Whose keys these are: two clients never share a key space. The tenant's id; with AUTH_MODE=off
     * (everyone is the anonymous tenant) the caller's address.
     */
    static String client(Context ctx) {
        String tenant = RequestTenant.of(ctx).id();
        return Tenant.ANONYMOUS_ID.equals(tenant) ? ctx.ip() : tenant;
    }

    static void markReplayed(Context ctx) {
        ctx.header(REPLAYED, "true");
    }
}
