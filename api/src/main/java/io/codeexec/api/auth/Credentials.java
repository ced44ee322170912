package io.codeexec.api.auth;

import io.codeexec.api.ApiError;
import io.javalin.http.Context;
import java.util.Locale;
import java.util.Optional;

/**
 * The credential a request presents: {@code Authorization: Bearer <token>}, or Judge0's
 * {@code X-Auth-Token: <token>}; and the 401 that asks for one ({@code WWW-Authenticate: Bearer}).
 */
public final class Credentials {
    static final String AUTH_TOKEN_HEADER = "X-Auth-Token";
    private static final String BEARER = "bearer ";

    private Credentials() {}

    /** The presented token; empty when the request carries none (or an Authorization of another scheme). */
    public static Optional<String> of(Context ctx) {
        return parse(ctx.header("Authorization"), ctx.header(AUTH_TOKEN_HEADER));
    }

    static Optional<String> parse(String authorization, String authToken) {
        if (authorization != null && authorization.length() > BEARER.length()
                && authorization.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
            String token = authorization.substring(BEARER.length()).trim();
            if (!token.isEmpty()) {
                return Optional.of(token);
            }
        }
        if (authToken != null && !authToken.isBlank()) {
            return Optional.of(authToken.trim());
        }
        return Optional.empty();
    }

    /** 401 unauthorized with the challenge header. */
    public static ApiError unauthorized(Context ctx, String message) {
        ctx.header("WWW-Authenticate", "Bearer realm=\"codeexec\"");
        return new ApiError(401, "unauthorized", message, null);
    }
}
