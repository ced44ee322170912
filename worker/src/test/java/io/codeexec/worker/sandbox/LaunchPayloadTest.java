package io.codeexec.worker.sandbox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codeexec.common.job.JobRequest;
import io.codeexec.common.job.Limits;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LaunchPayloadTest {
    private static final Limits LIMITS = new Limits(2500, 6000, 128, 4096, 64, 1_048_576L);

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static int headerEnd(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        throw new AssertionError("no header line");
    }

    @Test
    void headerThenCodeStdinAndArgs() {
        LaunchPayload payload = LaunchPayload.of(new JobRequest("python", "print(1)", "in\n", List.of("a", "bc"), LIMITS));
        byte[] bytes = payload.bytes();
        int nl = headerEnd(bytes);
        String header = new String(bytes, 0, nl, StandardCharsets.US_ASCII);
        assertEquals("CE1 " + payload.nonce() + " 2500 1048576 8 3 2 1 2", header);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(utf8("print(1)"));
        body.writeBytes(utf8("in\n"));
        body.writeBytes(utf8("a"));
        body.writeBytes(utf8("bc"));
        assertArrayEquals(body.toByteArray(), Arrays.copyOfRange(bytes, nl + 1, bytes.length));
    }

    @Test
    void lengthsAreUtf8BytesNotCharacters() {
        String code = "print('héllo 世界 🎉')";
        String stdin = "ü";
        String arg = "ñ世";
        LaunchPayload payload = LaunchPayload.of(new JobRequest("python", code, stdin, List.of(arg), LIMITS));
        byte[] bytes = payload.bytes();
        int nl = headerEnd(bytes);
        String[] fields = new String(bytes, 0, nl, StandardCharsets.US_ASCII).split(" ");
        assertEquals(utf8(code).length, Integer.parseInt(fields[4]));
        assertTrue(utf8(code).length > code.length(), "the test text really is multi-byte");
        assertEquals(2, Integer.parseInt(fields[5]));
        assertEquals("1", fields[6]);
        assertEquals(5, Integer.parseInt(fields[7]));
        assertEquals(nl + 1 + utf8(code).length + 2 + 5, bytes.length, "exactly the announced bytes follow");
        int at = nl + 1;
        assertEquals(code, new String(bytes, at, utf8(code).length, StandardCharsets.UTF_8));
        at += utf8(code).length;
        assertEquals(stdin, new String(bytes, at, 2, StandardCharsets.UTF_8));
        assertEquals(arg, new String(bytes, at + 2, 5, StandardCharsets.UTF_8));
    }

    @Test
    void noArgsAndEmptyStdin() {
        LaunchPayload payload = LaunchPayload.of(new JobRequest("ruby", "puts 1", null, null, LIMITS));
        String expected = "CE1 " + payload.nonce() + " 2500 1048576 6 0 0\nputs 1";
        assertEquals(expected, new String(payload.bytes(), StandardCharsets.US_ASCII));
    }

    @Test
    void codeContainingNewlinesAndHeaderLookalikesIsCarriedVerbatim() {
        String code = "x = 1\nCE1 fake 1 1 1 1 0\n";
        LaunchPayload payload = LaunchPayload.of(new JobRequest("python", code, "", List.of(), LIMITS));
        byte[] bytes = payload.bytes();
        int nl = headerEnd(bytes);
        assertEquals(code, new String(bytes, nl + 1, bytes.length - nl - 1, StandardCharsets.UTF_8));
        assertTrue(new String(bytes, 0, nl, StandardCharsets.US_ASCII).endsWith(" " + utf8(code).length + " 0 0"));
    }

    @Test
    void nonceIs32HexAndDifferentEachTime() {
        Set<String> nonces = new HashSet<>();
        JobRequest request = new JobRequest("python", "x", "", List.of(), LIMITS);
        for (int i = 0; i < 1000; i++) {
            String nonce = LaunchPayload.of(request).nonce();
            assertTrue(nonce.matches("[0-9a-f]{32}"), nonce);
            nonces.add(nonce);
        }
        assertEquals(1000, nonces.size());
        assertNotEquals(LaunchPayload.of(request).nonce(), LaunchPayload.of(request).nonce());
    }
}
