package io.codeexec.worker.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BoundedOutputTest {
    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void keepsEverythingWithinTheCap() {
        BoundedOutput out = new BoundedOutput(10);
        assertTrue(out.append(ascii("hello")));
        assertTrue(out.append(ascii("world")));
        assertEquals("helloworld", out.text(10));
        assertEquals(10, out.size());
        assertEquals(10, out.total());
    }

    @Test
    void keepsExactlyTheCapAndCountsTheRest() {
        BoundedOutput out = new BoundedOutput(10);
        assertTrue(out.append(ascii("0123456")));
        assertFalse(out.append(ascii("789abc")), "passing the cap is reported");
        assertFalse(out.append(ascii("defg")));
        assertEquals(10, out.size());
        assertEquals(17, out.total());
        assertEquals("0123456789", out.text(100));
        assertEquals("01234", out.text(5));
    }

    @Test
    void growsAcrossManySmallAppendsWithoutLosingBytes() {
        int cap = 100_000;
        BoundedOutput out = new BoundedOutput(cap);
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            String chunk = Integer.toString(i % 10);
            out.append(ascii(chunk));
            expected.append(chunk);
        }
        assertEquals(expected.toString(), out.text(cap));
    }

    @Test
    void memoryStaysCappedWhateverIsWritten() {
        int cap = 4096;
        BoundedOutput out = new BoundedOutput(cap);
        byte[] chunk = new byte[64 * 1024];
        Arrays.fill(chunk, (byte) 'x');
        for (int i = 0; i < 1000; i++) {  // 64 MB in total
            out.append(chunk);
        }
        assertEquals(64L * 1024 * 1000, out.total());
        assertEquals(cap, out.size());
        assertTrue(out.buffer().length <= Math.max(cap, 1024), "buffer " + out.buffer().length);
    }

    @Test
    void aLargeCapIsNotAllocatedUpFront() {
        BoundedOutput out = new BoundedOutput(256 * 1024 * 1024);
        out.append(ascii("hi"));
        assertTrue(out.buffer().length <= 4096, "buffer " + out.buffer().length);
    }

    @Test
    void invalidUtf8BecomesReplacementCharacters() {
        BoundedOutput out = new BoundedOutput(100);
        out.append(new byte[] {'a', (byte) 0xff, 'b', (byte) 0xc3});
        assertEquals("a\uFFFDb\uFFFD", out.text(100));
    }

    @Test
    void aCharacterCutByTheCapBecomesOneReplacementCharacter() {
        BoundedOutput out = new BoundedOutput(3);
        out.append("aé€".getBytes(StandardCharsets.UTF_8));  // a(1) é(2) €(3)
        assertEquals("aé", out.text(3));
        assertEquals("a\uFFFD", out.text(2));
    }

    @Test
    void emptyAppendsAndZeroCap() {
        BoundedOutput none = new BoundedOutput(0);
        assertTrue(none.append(new byte[0]));
        assertFalse(none.append(ascii("x")));
        assertEquals("", none.text(10));
        assertEquals(1, none.total());
    }
}
