package io.codeexec.common.tenant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codeexec.common.job.Limits;
import io.codeexec.common.queue.RedisConnector;
import io.codeexec.common.queue.RedisKeys;
import io.codeexec.common.testing.RedisTestServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

// Keys and tenants as stored in a real Redis: hashed keys, shared tenants, revocation, lastUsedAt pacing, rotation.
class KeyStoreIT {
    private static final Plan PLAN = new Plan(60, 100, 2, 10, null);
    private static RedisClient redis;
    private MutableClock clock;
    private KeyStore store;

    @BeforeAll
    static void connect() {
        redis = new RedisConnector(RedisTestServer.url()).pooled(4);
    }

    @AfterAll
    static void close() {
        redis.close();
    }

    @BeforeEach
    void flush() {
        redis.flushAll();
        clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        store = new KeyStore(redis, clock);
    }

    @Test
    void aKeyIsStoredOnlyAsItsHashAndResolvesToItsTenant() {
        KeyStore.Created created = store.create("acme", "ci", PLAN, false);
        assertTrue(created.callbackSecret().matches("[0-9a-f]{64}"), "a new tenant gets a secret");
        Map<String, String> keyHash = redis.hgetAll(RedisKeys.apiKey(KeyMaterial.sha256Hex(created.plainKey())));
        assertEquals("acme", keyHash.get("tenant"));
        assertEquals(created.key().id(), keyHash.get("keyId"));
        assertEquals("0", keyHash.get("revoked"));
        for (String key : redis.keys("codeexec:*")) {
            String dump = redis.type(key).equals("hash") ? redis.hgetAll(key).toString()
                    : redis.type(key).equals("string") ? redis.get(key) : redis.smembers(key).toString();
            assertFalse(dump.contains(created.plainKey()) || key.contains(created.plainKey()), "plain key in " + key);
        }
        Map<String, String> tenantHash = redis.hgetAll(RedisKeys.tenant("acme"));
        assertEquals(created.callbackSecret(), tenantHash.get("callbackSecret"));
        assertEquals("ci", tenantHash.get("name"));

        KeyStore.Resolution resolution = store.resolve(created.plainKey());
        assertEquals(KeyStore.Resolution.Outcome.ACTIVE, resolution.outcome());
        assertEquals(new Tenant("acme", "ci", PLAN), resolution.tenant());
        assertEquals(KeyStore.Resolution.Outcome.UNKNOWN, store.resolve(created.plainKey() + "x").outcome());
    }

    @Test
    void aSecondKeyForATenantReusesItsSecretAndPlanUnlessAskedToReplaceIt() {
        KeyStore.Created first = store.create("acme", "ci", PLAN, false);
        KeyStore.Created second = store.create("acme", "laptop", new Plan(1, 1, 1, 1, null), false);
        assertNull(second.callbackSecret(), "the secret was shown once, with the first key");
        assertEquals(PLAN, second.tenant().plan());
        assertEquals(first.callbackSecret(), redis.hget(RedisKeys.tenant("acme"), "callbackSecret"));
        Plan smaller = new Plan(5, 5, 1, 1, new Limits(1000, 2000, 64, 1024, 8, 0, 0, 0));
        KeyStore.Created third = store.create("acme", "grader", smaller, true);
        assertEquals(smaller, third.tenant().plan());
        assertEquals(smaller, store.resolve(first.plainKey()).tenant().plan(), "the plan is the tenant's, for all its keys");
    }

    @Test
    void revokedKeysResolveAsRevokedAndListShowsThem() {
        KeyStore.Created a = store.create("acme", "a", PLAN, false);
        clock.advance(Duration.ofSeconds(1));
        KeyStore.Created b = store.create("beta", "b", PLAN, false);
        assertEquals(a.key().id(), store.revoke(a.key().id()).orElseThrow().id());
        assertEquals(KeyStore.Resolution.Outcome.REVOKED, store.resolve(a.plainKey()).outcome());
        assertEquals(KeyStore.Resolution.Outcome.ACTIVE, store.resolve(b.plainKey()).outcome());
        List<KeyRecord> keys = store.list();
        assertEquals(List.of(a.key().id(), b.key().id()), keys.stream().map(KeyRecord::id).toList());
        assertTrue(keys.get(0).revoked());
        assertFalse(keys.get(1).revoked());
        assertTrue(store.revoke("key_0000000000000000").isEmpty());
    }

    @Test
    void lastUsedAtIsWrittenAtMostOnceAMinute() {
        KeyStore.Created created = store.create("acme", "ci", PLAN, false);
        assertNull(store.find(created.key().id()).orElseThrow().lastUsedAt());
        store.resolve(created.plainKey());
        String first = store.find(created.key().id()).orElseThrow().lastUsedAt();
        assertEquals("2026-01-01T00:00:00Z", first);
        clock.advance(Duration.ofSeconds(30));
        store.resolve(created.plainKey());
        assertEquals(first, store.find(created.key().id()).orElseThrow().lastUsedAt(), "not rewritten within a minute");
        clock.advance(Duration.ofSeconds(31));
        store.resolve(created.plainKey());
        assertEquals("2026-01-01T00:01:01Z", store.find(created.key().id()).orElseThrow().lastUsedAt());
    }

    @Test
    void rotatingGivesTheTenantANewSecret() {
        KeyStore.Created created = store.create("acme", "ci", PLAN, false);
        KeyStore.Rotated rotated = store.rotateCallbackSecret(created.key().id()).orElseThrow();
        assertEquals("acme", rotated.tenant());
        assertNotNull(rotated.callbackSecret());
        assertFalse(rotated.callbackSecret().equals(created.callbackSecret()));
        assertEquals(rotated.callbackSecret(), redis.hget(RedisKeys.tenant("acme"), "callbackSecret"));
        assertTrue(store.rotateCallbackSecret("key_0000000000000000").isEmpty());
    }

    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
