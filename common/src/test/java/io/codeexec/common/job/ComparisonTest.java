package io.codeexec.common.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codeexec.common.json.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ComparisonTest {
    private static final Comparison EXACT = Comparison.fromJson("exact");
    private static final Comparison TRIMMED = Comparison.fromJson("trimmed");
    private static final Comparison TOKENS = Comparison.fromJson("tokens");

    @Test
    void exactIsByteForByte() {
        assertTrue(EXACT.matches("3\n", "3\n"));
        assertFalse(EXACT.matches("3\n", "3"));
        assertFalse(EXACT.matches("3\n", "3\r\n"));
    }

    @Test
    void trimmedIgnoresTrailingSpacesTrailingBlankLinesAndCrlf() {
        assertTrue(TRIMMED.matches("1 2\n3\n", "1 2  \r\n3\t\r\n\r\n\n"));
        assertTrue(TRIMMED.matches("a", "a\n"));
        assertFalse(TRIMMED.matches("a b", "a  b"), "inner spaces still count");
        assertFalse(TRIMMED.matches("a\n\nb", "a\nb"), "inner blank lines still count");
        assertFalse(TRIMMED.matches(" a", "a"), "leading spaces still count");
        assertTrue(TRIMMED.matches("", "\n\n"));
    }

    @Test
    void tokensIgnoreAllWhitespace() {
        assertTrue(TOKENS.matches("1 2 3", "1\n2\t\t3\n"));
        assertFalse(TOKENS.matches("1 2 3", "1 2"));
        assertTrue(TOKENS.matches("", "  \n"));
    }

    @Test
    void floatToleranceIsAbsoluteOrRelative() {
        Comparison micro = Comparison.fromJson(Map.of("float", 1e-6));
        assertTrue(micro.matches("0", "1e-7"), "absolute: |1e-7 - 0| <= 1e-6");
        assertFalse(Comparison.fromJson(Map.of("float", 1e-9)).matches("0", "1e-7"));
        assertTrue(micro.matches("1000000", "1000000.5"), "relative: 0.5 <= 1e-6 * 1e6");
        assertTrue(micro.matches("yes 1.5", "yes 1.5000001"), "words must be equal, numbers close");
        assertFalse(micro.matches("yes 1.5", "no 1.5"));
        assertFalse(micro.matches("1 2", "1"));
        assertFalse(micro.matches("1", "nan"));
    }

    @Test
    void jsonForms() {
        assertEquals("\"tokens\"", Json.write(TOKENS));
        assertEquals("{\"float\":1.0E-6}", Json.write(Comparison.fromJson(Map.of("float", 1e-6))));
        assertEquals(Comparison.fromJson(Map.of("float", 0.5)), Json.read("{\"float\": 0.5}", Comparison.class));
        assertEquals(TRIMMED, Json.read("\"trimmed\"", Comparison.class));
        assertThrows(IllegalArgumentException.class, () -> Comparison.fromJson("fuzzy"));
        assertThrows(IllegalArgumentException.class, () -> Comparison.fromJson(Map.of("float", -1)));
        assertThrows(IllegalArgumentException.class, () -> Comparison.fromJson(Map.of("float", "x")));
    }
}
