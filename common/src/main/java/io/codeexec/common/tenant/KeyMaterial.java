package io.codeexec.common.tenant;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The secrets of the tenant model and how they are compared: API keys ({@value #KEY_PREFIX} + 43 base62
 * characters from SecureRandom, 256 bits), key ids (public, 64 bits), callback secrets (32 random bytes
 * as 64 hex chars), and SHA-256, the only form in which a key is ever stored.
 */
public final class KeyMaterial {
    public static final String KEY_PREFIX = "ce_";
    static final int KEY_CHARS = 43;  // 43 × log2(62) ≈ 256 bits
    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();

    private KeyMaterial() {}

    /** A new API key, shown once to the operator who created it. */
    public static String newKey() {
        StringBuilder key = new StringBuilder(KEY_PREFIX);
        for (int i = 0; i < KEY_CHARS; i++) {
            key.append(BASE62.charAt(RANDOM.nextInt(BASE62.length())));
        }
        return key.toString();
    }

    /** A key's public id ("key_" + 16 hex chars): what the admin API lists and revokes. */
    public static String newKeyId() {
        return "key_" + randomHex(8);
    }

    /** A tenant's callback signing secret: 32 random bytes, 64 hex chars. */
    public static String newCallbackSecret() {
        return randomHex(32);
    }

    /** A tenant id for a key created without one ("t-" + 12 hex chars). */
    public static String newTenantId() {
        return "t-" + randomHex(6);
    }

    public static String sha256Hex(String value) {
        return HEX.formatHex(sha256(value));
    }

    /** Constant-time equality of two secrets (their digests are compared, so the length leaks nothing either). */
    public static boolean sameSecret(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        return MessageDigest.isEqual(sha256(a), sha256(b));
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return HEX.formatHex(random);
    }
}
