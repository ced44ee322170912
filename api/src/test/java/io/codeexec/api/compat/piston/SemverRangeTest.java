package io.codeexec.api.compat.piston;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SemverRangeTest {
    private static boolean matches(String range, String version) {
        return SemverRange.parse(range).matches(version);
    }

    @Test
    void wildcardsAndExactVersions() {
        assertTrue(matches("*", "3.13.5"));
        assertTrue(matches("x", "0.0.1"));
        assertTrue(matches("3.13.5", "3.13.5"));
        assertFalse(matches("3.13.4", "3.13.5"));
    }

    @Test
    void partialAndXRanges() {
        assertTrue(matches("3", "3.13.5"));
        assertTrue(matches("3.x", "3.13.5"));
        assertTrue(matches("3.13", "3.13.5"));
        assertTrue(matches("3.13.x", "3.13.0"));
        assertFalse(matches("3.12", "3.13.5"));
        assertFalse(matches("2.x", "3.0.0"));
    }

    @Test
    void caretTildeAndComparators() {
        assertTrue(matches("^3.10.0", "3.13.5"));
        assertFalse(matches("^3.10.0", "4.0.0"));
        assertTrue(matches("^0.2.3", "0.2.9"));
        assertFalse(matches("^0.2.3", "0.3.0"));
        assertTrue(matches("~3.13.0", "3.13.5"));
        assertFalse(matches("~3.13.0", "3.14.0"));
        assertTrue(matches(">=3.10 <4", "3.13.5"));
        assertFalse(matches(">=3.10 <3.13", "3.13.5"));
        assertTrue(matches(">3.13", "3.14.0"));
        assertFalse(matches(">3.13", "3.13.9"));
        assertTrue(matches("<=3.13", "3.13.9"));
        assertTrue(matches("2.x || >=3.13.5", "3.13.5"));
        assertFalse(matches("2.x || 4.x", "3.13.5"));
    }

    @Test
    void versionsAreReadFromWhatRunnersPrint() {
        assertEquals("1.24.4", SemverRange.normalized("go1.24.4"));
        assertEquals("1.85.0", SemverRange.normalized("rustc 1.85.0 (4d91de4e4 2025-02-17)"));
        assertEquals("21.0.0", SemverRange.normalized("21"));
        assertEquals("14.2.0", SemverRange.normalized("14.2"));
    }

    @Test
    void garbageIsNotARange() {
        assertThrows(IllegalArgumentException.class, () -> SemverRange.parse("latest"));
        assertThrows(IllegalArgumentException.class, () -> SemverRange.parse(">= banana"));
    }
}
