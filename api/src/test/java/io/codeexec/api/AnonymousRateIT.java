package io.codeexec.api;

import static io.codeexec.api.Tenants.python;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

// AUTH_MODE=off: one anonymous tenant, rate-limited per client address (clients bound to 127.0.0.1 and 127.0.0.2).
class AnonymousRateIT {
    @Test
    void eachClientAddressHasItsOwnBucket() throws Exception {
        try (TestApi api = TestApi.startWithEnv(Map.of("ANON_RATE_PER_MINUTE", "3"))) {
            HttpClient first = client("127.0.0.1");
            HttpClient second = client("127.0.0.2");
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> accepted = submit(first, api);
                assertEquals(202, accepted.statusCode(), accepted.body());
                RateLimitIT.assertHeaders(accepted, 3, 2 - i);
            }
            Envelope.assertError(submit(first, api), 429, "rate_limited", null);
            HttpResponse<String> other = submit(second, api);
            assertEquals(202, other.statusCode(), "another address has its own bucket: " + other.body());
            RateLimitIT.assertHeaders(other, 3, 2);
            HttpResponse<String> languages = first.send(HttpRequest.newBuilder(uri(api, "/languages")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, languages.statusCode(), "only submissions are limited");
            RateLimitIT.assertHeaders(languages, 3, 0);
        }
    }

    @Test
    void aZeroRateTurnsTheLimitOff() throws Exception {
        try (TestApi api = TestApi.startWithEnv(Map.of("ANON_RATE_PER_MINUTE", "0"))) {
            HttpClient client = client("127.0.0.1");
            for (int i = 0; i < 5; i++) {
                assertEquals(202, submit(client, api).statusCode());
            }
        }
    }

    private static HttpClient client(String address) throws IOException {
        return HttpClient.newBuilder().localAddress(InetAddress.getByName(address)).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static URI uri(TestApi api, String path) {
        return URI.create("http://127.0.0.1:" + api.server.port() + path);
    }

    private static HttpResponse<String> submit(HttpClient client, TestApi api) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(api, "/jobs")).POST(HttpRequest.BodyPublishers.ofString(python("print(1)")))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
