package io.codeexec.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvTest {
    private final Env env = new Env(Map.of(
            "PORT", " 8081 ",
            "BLANK", "   ",
            "WORD", "abc",
            "FRACTION", "1.5",
            "BIG", "99999999999999999999",
            "NAME", "  redis://x  ",
            "YES", "On",
            "NO", "0",
            "MAYBE", "perhaps"));

    @Test
    void absentOrBlankTakesTheFallback() {
        assertEquals(7, env.number("MISSING", 7, 0, 10));
        assertEquals(7, env.number("BLANK", 7, 0, 10));
        assertEquals("x", env.string("MISSING", "x"));
        assertEquals("x", env.string("BLANK", "x"));
        assertTrue(env.flag("MISSING", true));
    }

    @Test
    void valuesAreTrimmed() {
        assertEquals(8081, env.integer("PORT", 1, 0, 65_535));
        assertEquals("redis://x", env.string("NAME", null));
    }

    @Test
    void notANumberNamesTheVariableAndValue() {
        for (String name : new String[] {"WORD", "FRACTION", "BIG"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> env.number(name, 1, 0, 10));
            assertTrue(e.getMessage().startsWith(name + " must be a whole number"), e.getMessage());
        }
    }

    @Test
    void outOfRangeNamesTheVariableAndTheRange() {
        IllegalArgumentException high = assertThrows(IllegalArgumentException.class, () -> env.integer("PORT", 1, 0, 8080));
        assertEquals("PORT must be between 0 and 8080, got 8081", high.getMessage());
        IllegalArgumentException low = assertThrows(IllegalArgumentException.class, () -> env.integer("PORT", 1, 9000, 9999));
        assertTrue(low.getMessage().startsWith("PORT must be between 9000 and 9999"), low.getMessage());
        assertEquals(8081, env.integer("PORT", 1, 8081, 8081), "bounds are inclusive");
    }

    @Test
    void flags() {
        assertTrue(env.flag("YES", false));
        assertFalse(env.flag("NO", true));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> env.flag("MAYBE", false));
        assertTrue(e.getMessage().startsWith("MAYBE must be true or false"), e.getMessage());
    }

    @Test
    void laterChangesToTheSourceMapAreNotSeen() {
        var source = new java.util.HashMap<String, String>(Map.of("X", "1"));
        Env copy = new Env(source);
        source.put("X", "2");
        assertEquals(1, copy.number("X", 0, 0, 10));
    }
}
