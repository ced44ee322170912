package io.codeexec.api.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.codeexec.common.tenant.TokenBucket;
import java.util.Optional;
import org.junit.jupiter.api.Test;

// Header values: rate-limit seconds round up, Retry-After is never 0; credentials from Bearer or X-Auth-Token.
class HeadersTest {
    @Test
    void secondsRoundUpSoAClientIsNeverEarly() {
        assertEquals(0, RateLimitHeaders.seconds(0));
        assertEquals(1, RateLimitHeaders.seconds(1));
        assertEquals(12, RateLimitHeaders.seconds(12_000));
        assertEquals(13, RateLimitHeaders.seconds(12_001));
        assertEquals(1, RateLimitHeaders.retryAfterSeconds(new TokenBucket.Decision(false, 5, 0, 0, 0)));
        assertEquals(12, RateLimitHeaders.retryAfterSeconds(new TokenBucket.Decision(false, 5, 0, 11_500, 60_000)));
    }

    @Test
    void credentialsComeFromBearerOrXAuthToken() {
        assertEquals(Optional.of("ce_abc"), Credentials.parse("Bearer ce_abc", null));
        assertEquals(Optional.of("ce_abc"), Credentials.parse("bearer  ce_abc ", null));
        assertEquals(Optional.of("ce_j0"), Credentials.parse(null, "ce_j0"));
        assertEquals(Optional.of("ce_j0"), Credentials.parse("Basic dXNlcjpwdw==", "ce_j0"));
        assertEquals(Optional.empty(), Credentials.parse("Basic dXNlcjpwdw==", null));
        assertEquals(Optional.empty(), Credentials.parse("Bearer ", " "));
        assertEquals(Optional.empty(), Credentials.parse(null, null));
    }

    @Test
    void publicPathsNeedNoKey() {
        for (String path : new String[] {"/", "/health", "/ready", "/metrics", "/openapi.json", "/docs", "/docs/index.css",
                "/webjars/swagger-ui/5/swagger-ui.js", "/playground/app.js", "/admin/keys"}) {
            assertEquals(true, TenantFilter.isPublic(path), path);
        }
        for (String path : new String[] {"/jobs", "/jobs/abc", "/batches", "/run/python", "/languages", "/stats",
                "/api/v2/execute", "/judge0/submissions", "/healthz"}) {
            assertEquals(false, TenantFilter.isPublic(path), path);
        }
    }
}
