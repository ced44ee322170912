package io.codeexec.worker.sandbox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The record stream of protocol CE3, fed whole and one byte at a time. */
class LaunchRecordsTest {
    private static final String NONCE = "0123456789abcdef0123456789abcdef";
    private static final String TAG = "\u001eCODEEXEC " + NONCE + " ";

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String testRecord(int index, String out, String err, String fields) {
        return TAG + "test=" + index + " exit=0 signal=0 cpuMs=12 memoryKb=3400 wallMs=20 timedOut=0 cpuExceeded=0 "
                + "memoryExceeded=0 outLen=" + bytes(out).length + " outTotal=" + bytes(out).length + " errLen="
                + bytes(err).length + " errTotal=" + bytes(err).length + fields + "\n" + out + err;
    }

    private static final String COMPILE = TAG + "compile exit=1 signal=0 cpuMs=300 memoryKb=40000 wallMs=350 timedOut=0 "
            + "cpuExceeded=0 memoryExceeded=0 outLen=6 outTotal=6\nerror!";

    private static void feedByteByByte(LaunchRecords records, byte[] data) {
        for (byte b : data) {
            records.feed(new byte[] {b});
        }
    }

    @Test
    void readyLine() {
        LaunchRecords whole = LaunchRecords.readyLine();
        whole.feed(LaunchRecords.READY);
        assertTrue(whole.ready() && whole.finished());
        LaunchRecords split = LaunchRecords.readyLine();
        feedByteByByte(split, Arrays.copyOf(LaunchRecords.READY, LaunchRecords.READY.length - 1));
        assertFalse(split.finished());
        split.feed(new byte[] {'\n'});
        assertTrue(split.ready());
    }

    @Test
    void anythingButTheReadyLineIsMalformed() {
        LaunchRecords records = LaunchRecords.readyLine();
        records.feed(bytes("\u001eCODEEXEC-READY 2\n"));
        assertFalse(records.ready());
        assertNotNull(records.malformed());
        assertTrue(records.finished());
    }

    @Test
    void compileTestsAndDoneSplitAnywhere() {
        String stream = COMPILE.replace("exit=1", "exit=0") + testRecord(1, "3\n", "", "") + testRecord(2, "héllo", "warn\n", "")
                + TAG + "done\n";
        for (int chunk : new int[] {1, 7, 64, 100_000}) {
            LaunchRecords records = LaunchRecords.forPayload(NONCE, 1024);
            byte[] data = bytes(stream);
            for (int at = 0; at < data.length; at += chunk) {
                records.feed(Arrays.copyOfRange(data, at, Math.min(data.length, at + chunk)));
            }
            assertTrue(records.done(), "chunk " + chunk);
            assertNull(records.malformed(), records.malformed());
            assertEquals("error!", new String(records.compile().orElseThrow().stdout(), StandardCharsets.UTF_8));
            assertEquals(2, records.tests().size());
            LaunchRecords.Run second = records.tests().get(1);
            assertArrayEquals(bytes("héllo"), second.stdout());
            assertArrayEquals(bytes("warn\n"), second.stderr());
            assertEquals(12, second.cpuMs());
            assertEquals(3400, second.memoryKb());
            assertEquals(20, second.wallMs());
        }
    }

    @Test
    void limitsAndEndingAreRead() {
        LaunchRecords records = LaunchRecords.forPayload(NONCE, 1024);
        records.feed(bytes(TAG + "test=1 exit=-1 signal=9 cpuMs=1001 memoryKb=70000 wallMs=1100 timedOut=1 cpuExceeded=1 "
                + "memoryExceeded=1 outLen=0 outTotal=5000 errLen=0 errTotal=0\n" + TAG + "done\n"));
        LaunchRecords.Run run = records.tests().get(0);
        assertEquals(-1, run.exitCode());
        assertEquals(9, run.signal());
        assertTrue(run.timedOut() && run.cpuExceeded() && run.memoryExceeded() && run.failed());
        assertEquals(5000, run.stdoutTotal());
    }

    @Test
    void errorRecordEndsTheStream() {
        LaunchRecords records = LaunchRecords.forPayload(NONCE, 1024);
        records.feed(bytes(TAG + "error bad file name '../x'\n"));
        assertTrue(records.finished());
        assertFalse(records.done());
        assertEquals("bad file name '../x'", records.error());
    }

    @Test
    void anotherNonceIsMalformed() {
        LaunchRecords records = LaunchRecords.forPayload(NONCE, 1024);
        records.feed(bytes("\u001eCODEEXEC ffffffffffffffffffffffffffffffff done\n"));
        assertFalse(records.done());
        assertNotNull(records.malformed());
    }

    @Test
    void bodyOverTheOutputCapIsMalformedBeforeItIsBuffered() {
        LaunchRecords records = LaunchRecords.forPayload(NONCE, 4);
        records.feed(bytes(TAG + "test=1 exit=0 signal=0 cpuMs=1 memoryKb=1 wallMs=1 timedOut=0 cpuExceeded=0 "
                + "memoryExceeded=0 outLen=5 outTotal=5 errLen=0 errTotal=0\n"));
        assertNotNull(records.malformed());
        assertTrue(records.malformed().contains("cap"), records.malformed());
    }

    @Test
    void missingFieldOrGarbageIsMalformed() {
        LaunchRecords missing = LaunchRecords.forPayload(NONCE, 1024);
        missing.feed(bytes(TAG + "test=1 exit=0 outLen=0 outTotal=0 errLen=0 errTotal=0\n"));
        assertTrue(missing.malformed().contains("lacks"), missing.malformed());
        LaunchRecords garbage = LaunchRecords.forPayload(NONCE, 1024);
        garbage.feed(bytes("hello\n"));
        assertNotNull(garbage.malformed());
    }

    @Test
    void bytesAfterDoneAreMalformed() {
        LaunchRecords records = LaunchRecords.forPayload(NONCE, 1024);
        records.feed(bytes(TAG + "done\nx"));
        assertTrue(records.done());
        assertNotNull(records.malformed());
    }

    @Test
    void incompleteStreamIsNeitherDoneNorMalformed() {
        LaunchRecords records = LaunchRecords.forPayload(NONCE, 1024);
        String record = testRecord(1, "abc", "", "");
        records.feed(bytes(record.substring(0, record.length() - 1)));
        assertFalse(records.finished());
        assertTrue(records.tests().isEmpty());
        assertNull(records.malformed());
    }

    @Test
    void headerWithoutNewlineIsBounded() {
        LaunchRecords records = LaunchRecords.forPayload(NONCE, 1024);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(bytes(TAG + "test=1 "));
        out.writeBytes(bytes("x".repeat(LaunchRecords.MAX_HEADER_BYTES)));
        records.feed(out.toByteArray());
        assertNotNull(records.malformed());
    }

    /** What a listener heard, in order. */
    private static final class Heard implements LaunchRecords.Listener {
        final java.util.List<String> events = new java.util.ArrayList<>();

        @Override
        public void chunk(int test, int fd, byte[] data) {
            events.add("chunk " + test + " " + fd + " " + new String(data, StandardCharsets.UTF_8));
        }

        @Override
        public void compiled(LaunchRecords.Run compile) {
            events.add("compile " + compile.exitCode());
        }

        @Override
        public void tested(int index, LaunchRecords.Run run) {
            events.add("test " + index + " " + new String(run.stdout(), StandardCharsets.UTF_8));
        }
    }

    private static String chunk(int test, int fd, String data) {
        return TAG + "chunk test=" + test + " fd=" + fd + " len=" + bytes(data).length + "\n" + data;
    }

    @Test
    void chunksGoToTheListenerInOrderAndLeaveTheRecordsAsTheyWere() {
        String stream = chunk(0, 1, "a\n") + chunk(0, 2, "\u001eCODEEXEC fake\n") + chunk(0, 1, "b\n")
                + testRecord(0, "a\nb\n", "\u001eCODEEXEC fake\n", "") + chunk(1, 1, "c") + testRecord(1, "c", "", "")
                + TAG + "done\n";
        for (boolean byteByByte : new boolean[] {false, true}) {
            Heard heard = new Heard();
            LaunchRecords records = LaunchRecords.forPayload(NONCE, 1024, heard);
            if (byteByByte) {
                feedByteByByte(records, bytes(stream));
            } else {
                records.feed(bytes(stream));
            }
            assertNull(records.malformed());
            assertTrue(records.done());
            assertEquals(java.util.List.of("chunk 0 1 a\n", "chunk 0 2 \u001eCODEEXEC fake\n", "chunk 0 1 b\n",
                    "test 0 a\nb\n", "chunk 1 1 c", "test 1 c"), heard.events);
            assertEquals("a\nb\n", new String(records.tests().get(0).stdout(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void aChunkOfAnotherTestOrOverItsCapIsMalformed() {
        LaunchRecords wrongTest = LaunchRecords.forPayload(NONCE, 1024, new Heard());
        wrongTest.feed(bytes(chunk(1, 1, "x")));
        assertNotNull(wrongTest.malformed());
        LaunchRecords wrongFd = LaunchRecords.forPayload(NONCE, 1024, new Heard());
        wrongFd.feed(bytes(chunk(0, 3, "x")));
        assertNotNull(wrongFd.malformed());
        LaunchRecords tooBig = LaunchRecords.forPayload(NONCE, 1 << 20, new Heard());
        tooBig.feed(bytes(TAG + "chunk test=0 fd=1 len=" + (LaunchRecords.CHUNK_CAP + 1) + "\n"));
        assertNotNull(tooBig.malformed());
    }
}
