package io.codeexec.api.admin;

import io.codeexec.api.ApiError;
import io.codeexec.api.auth.Credentials;
import io.codeexec.common.tenant.KeyMaterial;
import io.codeexec.common.tenant.KeyStore;
import io.javalin.http.Context;

/**
 * Who may call /admin: only a request presenting ADMIN_TOKEN (compared in constant time). Without
 * ADMIN_TOKEN configured the admin API is off (403 admin_disabled); a tenant's key gets 403 admin_only;
 * no or another token gets 401 unauthorized.
 */
final class AdminGuard {
    private final String adminToken;
    private final KeyStore keys;

    AdminGuard(String adminToken, KeyStore keys) {
        this.adminToken = adminToken;
        this.keys = keys;
    }

    void check(Context ctx) {
        if (adminToken == null) {
            throw new ApiError(403, "admin_disabled", "The admin API is disabled: set ADMIN_TOKEN on the API"
                    + " (make up generates one into .env)", null);
        }
        String token = Credentials.of(ctx).orElseThrow(() -> Credentials.unauthorized(ctx,
                "The admin API needs Authorization: Bearer <ADMIN_TOKEN>"));
        if (KeyMaterial.sameSecret(token, adminToken)) {
            return;
        }
        if (keys.resolve(token).outcome() != KeyStore.Resolution.Outcome.UNKNOWN) {
            throw new ApiError(403, "admin_only", "This is a tenant's API key; the admin API needs ADMIN_TOKEN", null);
        }
        throw Credentials.unauthorized(ctx, "Wrong admin token");
    }
}
