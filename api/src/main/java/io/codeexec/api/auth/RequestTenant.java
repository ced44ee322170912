package io.codeexec.api.auth;

import io.codeexec.common.tenant.Tenant;
import io.javalin.http.Context;

/**
 * The tenant a request acts for, as resolved by the authentication before-handler (AUTH_MODE). Every
 * controller reads it from here; a request no handler resolved acts as the anonymous tenant.
 */
public final class RequestTenant {
    /** Context attribute holding the resolved {@link Tenant}. */
    public static final String ATTRIBUTE = "codeexec.tenant";
    private static final Tenant ANONYMOUS = new Tenant(Tenant.ANONYMOUS_ID, "anonymous", null);

    private RequestTenant() {}

    public static Tenant of(Context ctx) {
        Tenant tenant = ctx.attribute(ATTRIBUTE);
        return tenant == null ? ANONYMOUS : tenant;
    }

    public static void set(Context ctx, Tenant tenant) {
        ctx.attribute(ATTRIBUTE, tenant);
    }
}
