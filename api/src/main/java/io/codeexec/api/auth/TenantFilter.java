package io.codeexec.api.auth;

import io.codeexec.api.ApiError;
import io.codeexec.common.tenant.KeyStore;
import io.codeexec.common.tenant.Tenant;
import io.javalin.http.Context;
import java.util.Set;

/**
 * The before-handler that resolves every request to its tenant ({@link RequestTenant#set}):
 * 1. public paths (health, metrics, docs, the playground) and /admin (its own token) are left alone;
 * 2. AUTH_MODE=off: the anonymous tenant with the anonymous plan (its bucket is per client address);
 * 3. AUTH_MODE=keys: the key's tenant, else 401 unauthorized (none or unknown) or 403 key_revoked;
 * (the RateLimit-* headers of every answer are added afterwards, by {@link SubmissionGate#describe}).
 */
final class TenantFilter {
    private static final Set<String> PUBLIC = Set.of("/", "/health", "/ready", "/metrics", "/openapi.json",
            "/favicon.ico");
    private static final Set<String> PUBLIC_PREFIXES = Set.of("/docs", "/webjars/", "/playground/", "/admin/");

    private final AuthSettings settings;
    private final KeyStore keys;
    private final Tenant anonymous;

    TenantFilter(AuthSettings settings, KeyStore keys) {
        this.settings = settings;
        this.keys = keys;
        this.anonymous = new Tenant(Tenant.ANONYMOUS_ID, "anonymous", settings.anonymousPlan());
    }

    void handle(Context ctx) {
        if (isPublic(ctx.path())) {
            return;
        }
        RequestTenant.set(ctx, settings.mode() == AuthMode.KEYS ? keyTenant(ctx) : anonymous);
    }

    private Tenant keyTenant(Context ctx) {
        String key = Credentials.of(ctx).orElseThrow(() -> Credentials.unauthorized(ctx,
                "An API key is required: send Authorization: Bearer <key>"));
        KeyStore.Resolution resolution = keys.resolve(key);
        return switch (resolution.outcome()) {
            case ACTIVE -> resolution.tenant();
            case UNKNOWN -> throw Credentials.unauthorized(ctx, "Unknown API key");
            case REVOKED -> throw new ApiError(403, "key_revoked", "This API key (" + resolution.key().id()
                    + ") has been revoked", null);
        };
    }

    static boolean isPublic(String path) {
        if (PUBLIC.contains(path) || path.equals("/admin") || path.equals("/docs")) {
            return true;
        }
        return PUBLIC_PREFIXES.stream().anyMatch(path::startsWith);
    }
}
