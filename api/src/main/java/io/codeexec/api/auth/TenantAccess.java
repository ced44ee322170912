package io.codeexec.api.auth;

import io.codeexec.api.ApiError;
import io.javalin.http.Context;
import io.codeexec.common.tenant.Tenant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Isolation between tenants: a job or batch is visible only to the tenant recorded in its hash (no
 * field: the anonymous tenant). Another tenant gets exactly the answer of a missing one (404), never 403,
 * so ids reveal nothing.
 */
public final class TenantAccess {
    private TenantAccess() {}

    /** Throws {@code notFound} unless the request's tenant owns the resource whose tenant field is {@code owner}. */
    public static void requireOwner(Context ctx, Optional<String> owner, Supplier<ApiError> notFound) {
        if (!owns(ctx, owner)) {
            throw notFound.get();
        }
    }

    /** Whether the request's tenant owns the resource whose tenant field is {@code owner} (none: anonymous). */
    public static boolean owns(Context ctx, Optional<String> owner) {
        return owner.orElse(Tenant.ANONYMOUS_ID).equals(RequestTenant.of(ctx).id());
    }
}
