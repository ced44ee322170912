package io.codeexec.common.queue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A client's Idempotency-Key: submissions with the same key from the same client within
 * {@link #TTL_SECONDS} create one job (or batch). {@code client} says whose key it is (today the
 * caller's address); the key itself is hashed into the Redis key name, never stored.
 */
public record IdempotencyKey(String client, String key) {
    /** How long a key is remembered. */
    public static final long TTL_SECONDS = 86_400;

    public IdempotencyKey {
        if (client == null || client.isEmpty() || key == null || key.isEmpty()) {
            throw new IllegalArgumentException("an idempotency key needs a client and a key");
        }
    }

    /** The Redis key that remembers what this key created. */
    public String redisKey() {
        return RedisKeys.idempotency(client, sha256(key));
    }

    /** Lowercase hex SHA-256 of the UTF-8 bytes of {@code text}. */
    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
