package io.codeexec.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OutputDiffTest {
    @Test
    void equalOutputsHaveNoDiff() {
        assertEquals("", OutputDiff.unified("1\n2\n", "1\n2\n"));
    }

    @Test
    void aChangedLineShowsAsRemovedAndAdded() {
        String diff = OutputDiff.unified("a\nb\nc\n", "a\nX\nc\n");
        assertEquals("""
                --- expected
                +++ actual
                @@ -1,3 +1,3 @@
                 a
                -b
                +X
                 c
                """, diff);
    }

    @Test
    void aMissingFinalNewlineIsVisible() {
        String diff = OutputDiff.unified("3\n", "3");
        assertTrue(diff.contains("+3 ⟨no newline at end⟩"), diff);
    }

    @Test
    void hugeDiffsAreBounded() {
        String diff = OutputDiff.unified("", "x\n".repeat(1_000));
        assertTrue(diff.lines().count() <= OutputDiff.MAX_LINES + 1, "lines: " + diff.lines().count());
        assertTrue(diff.strip().endsWith("more diff lines"), diff.substring(diff.length() - 80));
    }
}
