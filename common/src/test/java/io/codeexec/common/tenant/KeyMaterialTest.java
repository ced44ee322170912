package io.codeexec.common.tenant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

// The shape and strength of keys and secrets, and the one hash keys are stored as.
class KeyMaterialTest {
    @Test
    void keysAreLongRandomBase62WithAPrefix() {
        Set<String> keys = new HashSet<>();
        Set<Character> alphabet = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            String key = KeyMaterial.newKey();
            assertTrue(key.matches("ce_[0-9A-Za-z]{43}"), key);
            key.substring(3).chars().forEach(c -> alphabet.add((char) c));
            keys.add(key);
        }
        assertEquals(2000, keys.size(), "no repeats");
        assertEquals(62, alphabet.size(), "every base62 character is used: the key carries log2(62) bits per character");
        assertTrue(KeyMaterial.KEY_CHARS * Math.log(62) / Math.log(2) >= 128, "at least 128 bits");
    }

    @Test
    void secretsAndIdsHaveTheirDocumentedShapes() {
        assertTrue(KeyMaterial.newCallbackSecret().matches("[0-9a-f]{64}"));
        assertTrue(KeyMaterial.newKeyId().matches("key_[0-9a-f]{16}"));
        assertTrue(KeyMaterial.newTenantId().matches("t-[0-9a-f]{12}"));
        assertNotEquals(KeyMaterial.newCallbackSecret(), KeyMaterial.newCallbackSecret());
    }

    @Test
    void sha256IsTheStandardDigestInHex() {
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", KeyMaterial.sha256Hex("abc"));
    }

    @Test
    void sameSecretComparesWholeValues() {
        assertTrue(KeyMaterial.sameSecret("an-admin-token-123", "an-admin-token-123"));
        assertFalse(KeyMaterial.sameSecret("an-admin-token-123", "an-admin-token-124"));
        assertFalse(KeyMaterial.sameSecret("an-admin-token-123", "an-admin-token-12"));
        assertFalse(KeyMaterial.sameSecret(null, "x"));
    }
}
