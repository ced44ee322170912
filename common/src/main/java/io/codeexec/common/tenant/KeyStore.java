package io.codeexec.common.tenant;

import io.codeexec.common.json.Json;
import io.codeexec.common.queue.LuaScript;
import io.codeexec.common.queue.RedisKeys;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import redis.clients.jedis.UnifiedJedis;

/**
 * Tenants and their API keys in Redis (layout in {@link RedisKeys#tenant}, {@link RedisKeys#apiKey}):
 * 1. create: a random key stored only as its SHA-256, with a new tenant (plan, callback secret) or an existing one;
 * 2. resolve: key → tenant with its plan, or unknown / revoked; lastUsedAt written at most once a minute per key;
 * 3. list, revoke, and rotate a tenant's callback secret.
 */
public final class KeyStore {
    /** What creating a key produced; {@code callbackSecret} is null when the tenant already existed. */
    public record Created(KeyRecord key, String plainKey, Tenant tenant, String callbackSecret) {}

    /** The outcome of looking up a presented key. */
    public record Resolution(Outcome outcome, KeyRecord key, Tenant tenant) {
        public enum Outcome { ACTIVE, UNKNOWN, REVOKED }
    }

    /** A tenant's new callback secret. */
    public record Rotated(String tenant, String callbackSecret) {}

    /** lastUsedAt is rewritten only when older than this, so a busy key costs no write per request. */
    static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);
    private static final LuaScript CREATE = LuaScript.load("create_key");
    private static final Resolution UNKNOWN = new Resolution(Resolution.Outcome.UNKNOWN, null, null);

    private final UnifiedJedis redis;
    private final Clock clock;

    public KeyStore(UnifiedJedis redis, Clock clock) {
        this.redis = redis;
        this.clock = clock;
    }

    /**
     * Creates a key for {@code tenantId}. A new tenant is stored with {@code plan}, the key's name as its
     * name and a fresh callback secret; an existing one keeps its plan unless {@code replacePlan}.
     */
    public Created create(String tenantId, String name, Plan plan, boolean replacePlan) {
        String key = KeyMaterial.newKey();
        String keyId = KeyMaterial.newKeyId();
        String sha = KeyMaterial.sha256Hex(key);
        String secret = KeyMaterial.newCallbackSecret();
        String now = clock.instant().toString();
        List<?> reply = (List<?>) CREATE.run(redis,
                List.of(RedisKeys.tenant(tenantId), RedisKeys.apiKey(sha), RedisKeys.apiKeyId(keyId), RedisKeys.apiKeys()),
                List.of(name, Json.write(plan), secret, now, replacePlan ? "1" : "0", keyId, name, sha, tenantId));
        boolean newTenant = ((Long) reply.get(0)) == 1L;
        Tenant tenant = new Tenant(tenantId, (String) reply.get(2), parsePlan((String) reply.get(1)));
        return new Created(new KeyRecord(keyId, tenantId, name, now, null, false), key, tenant, newTenant ? secret : null);
    }

    /** Who a presented key acts for; touches lastUsedAt when it is older than a minute. */
    public Resolution resolve(String plainKey) {
        String hashKey = RedisKeys.apiKey(KeyMaterial.sha256Hex(plainKey));
        Map<String, String> fields = redis.hgetAll(hashKey);
        if (fields.isEmpty()) {
            return UNKNOWN;
        }
        KeyRecord key = record(fields);
        if (key.revoked()) {
            return new Resolution(Resolution.Outcome.REVOKED, key, null);
        }
        Optional<Tenant> tenant = tenant(key.tenant());
        if (tenant.isEmpty()) {
            return UNKNOWN;  // its tenant was deleted by hand: the key acts for nobody
        }
        touch(hashKey, key);
        return new Resolution(Resolution.Outcome.ACTIVE, key, tenant.get());
    }

    public Optional<Tenant> tenant(String tenantId) {
        List<String> fields = redis.hmget(RedisKeys.tenant(tenantId), "name", "plan");
        if (fields.get(0) == null && fields.get(1) == null) {
            return Optional.empty();
        }
        return Optional.of(new Tenant(tenantId, fields.get(0), parsePlan(fields.get(1))));
    }

    /** Every key, oldest first. */
    public List<KeyRecord> list() {
        List<KeyRecord> keys = new ArrayList<>();
        for (String id : redis.smembers(RedisKeys.apiKeys())) {
            find(id).ifPresent(keys::add);
        }
        keys.sort(Comparator.comparing(KeyRecord::createdAt).thenComparing(KeyRecord::id));
        return keys;
    }

    public Optional<KeyRecord> find(String keyId) {
        return hashKey(keyId).map(redis::hgetAll).filter(fields -> !fields.isEmpty()).map(KeyStore::record);
    }

    /** Revokes a key (idempotent); empty when there is no such key. */
    public Optional<KeyRecord> revoke(String keyId) {
        Optional<String> hashKey = hashKey(keyId).filter(redis::exists);
        hashKey.ifPresent(key -> redis.hset(key, "revoked", "1"));
        return hashKey.flatMap(key -> find(keyId));
    }

    /** Gives the key's tenant a new callback secret; empty when there is no such key. */
    public Optional<Rotated> rotateCallbackSecret(String keyId) {
        return find(keyId).map(key -> {
            String secret = KeyMaterial.newCallbackSecret();
            redis.hset(RedisKeys.tenant(key.tenant()), "callbackSecret", secret);
            return new Rotated(key.tenant(), secret);
        });
    }

    private Optional<String> hashKey(String keyId) {
        return Optional.ofNullable(redis.get(RedisKeys.apiKeyId(keyId))).map(RedisKeys::apiKey);
    }

    private void touch(String hashKey, KeyRecord key) {
        Instant now = clock.instant();
        if (key.lastUsedAt() == null || Instant.parse(key.lastUsedAt()).plus(TOUCH_INTERVAL).isBefore(now)) {
            redis.hset(hashKey, "lastUsedAt", now.toString());
        }
    }

    private static KeyRecord record(Map<String, String> fields) {
        String lastUsed = fields.get("lastUsedAt");
        return new KeyRecord(fields.get("keyId"), fields.get("tenant"), fields.get("name"), fields.get("createdAt"),
                lastUsed == null || lastUsed.isEmpty() ? null : lastUsed, "1".equals(fields.get("revoked")));
    }

    private static Plan parsePlan(String json) {
        return json == null || json.isEmpty() || "null".equals(json) ? null : Json.read(json, Plan.class);
    }
}
