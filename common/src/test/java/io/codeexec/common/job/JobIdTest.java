package io.codeexec.common.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JobIdTest {
    @Test
    void idsAre32LowercaseHexCharacters() {
        for (int i = 0; i < 100; i++) {
            String id = JobId.newId();
            assertEquals(32, id.length(), id);
            assertTrue(id.matches("[0-9a-f]{32}"), id);
            assertTrue(JobId.isWellFormed(id), id);
        }
    }

    @Test
    void tenThousandIdsAreAllDifferent() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            ids.add(JobId.newId());
        }
        assertEquals(10_000, ids.size());
    }

    @Test
    void idsUseTheWholeAlphabet() {
        // A constant or counter-based id generator would not cover all 16 digits in every position.
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            all.append(JobId.newId());
        }
        for (char c : "0123456789abcdef".toCharArray()) {
            assertTrue(all.indexOf(String.valueOf(c)) >= 0, "digit " + c);
        }
        assertFalse(JobId.newId().equals(JobId.newId()));
    }

    @Test
    void isWellFormedRejectsEverythingElse() {
        String valid = "0123456789abcdef0123456789abcdef";
        assertTrue(JobId.isWellFormed(valid));
        for (String bad : new String[] {
                null, "", valid.substring(1), valid + "0", valid.toUpperCase(), "g" + valid.substring(1),
                valid.substring(0, 31) + " ", " " + valid.substring(1), valid.substring(0, 31) + "\n",
                "../../" + valid.substring(6), "0123456789abcdef-123456789abcdef", "*"}) {
            assertFalse(JobId.isWellFormed(bad), String.valueOf(bad));
        }
    }
}
