package io.codeexec.api.auth;

import java.util.Locale;

/** AUTH_MODE: who may call the API. */
public enum AuthMode {
    /** Every caller is the anonymous tenant, rate-limited per client address (one user on their own machine). */
    OFF,
    /** Every request outside the public paths needs an API key: {@code Authorization: Bearer <key>}. */
    KEYS;

    static AuthMode parse(String raw) {
        return switch (raw.toLowerCase(Locale.ROOT)) {
            case "off" -> OFF;
            case "keys" -> KEYS;
            default -> throw new IllegalArgumentException("AUTH_MODE must be off or keys, got '" + raw + "'");
        };
    }
}
