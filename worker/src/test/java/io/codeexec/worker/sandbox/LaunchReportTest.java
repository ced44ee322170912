package io.codeexec.worker.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LaunchReportTest {
    private static final String NONCE = "0123456789abcdef0123456789abcdef";
    private static final String OTHER = "fedcba9876543210fedcba9876543210";

    static String report(String nonce, int exit, int signal, long cpuMs, long rssKb, long wallMs) {
        return "\u001eCODEEXEC " + nonce + " exit=" + exit + " signal=" + signal + " cpuMs=" + cpuMs
                + " maxRssKb=" + rssKb + " wallMs=" + wallMs + "\n";
    }

    private static Optional<LaunchReport> find(String stderr, String nonce) {
        byte[] bytes = stderr.getBytes(StandardCharsets.UTF_8);
        return LaunchReport.find(bytes, bytes.length, nonce);
    }

    @Test
    void parsesTheReportAndWhereUserStderrEnds() {
        String user = "Traceback: é\n";
        LaunchReport report = find(user + report(NONCE, 3, 0, 120, 9000, 150), NONCE).orElseThrow();
        assertEquals(3, report.exitCode());
        assertEquals(0, report.signal());
        assertEquals(120, report.cpuMs());
        assertEquals(9000, report.maxRssKb());
        assertEquals(150, report.wallMs());
        assertEquals(user.getBytes(StandardCharsets.UTF_8).length, report.stderrEnd());
    }

    @Test
    void reportAloneEndsUserStderrAtZero() {
        assertEquals(0, find(report(NONCE, 0, 0, 1, 1, 1), NONCE).orElseThrow().stderrEnd());
    }

    @Test
    void aReportWithAnotherNonceIsIgnored() {
        assertTrue(find("x\n" + report(OTHER, 0, 0, 1, 1, 1), NONCE).isEmpty());
        LaunchReport real = find(report(NONCE, 7, 0, 1, 1, 1) + report(OTHER, 0, 0, 1, 1, 1), NONCE).orElseThrow();
        assertEquals(7, real.exitCode(), "a forged report after the real one does not replace it");
    }

    @Test
    void aForgedReportEarlierInTheStreamLosesToTheRealOne() {
        // Even with the right nonce (say guessed), only the last one counts, and the launcher writes last.
        String forged = report(NONCE, 0, 0, 1, 1, 1);
        String user = "before\n" + forged + "after\n";
        LaunchReport report = find(user + report(NONCE, 1, 0, 50, 2, 60), NONCE).orElseThrow();
        assertEquals(1, report.exitCode());
        assertEquals(50, report.cpuMs());
        assertEquals(user.length(), report.stderrEnd(), "the forged line counts as the program's stderr");
    }

    @Test
    void onlyTheFirstLengthBytesAreSearched() {
        byte[] bytes = ("out\n" + report(NONCE, 0, 0, 1, 1, 1)).getBytes(StandardCharsets.US_ASCII);
        assertTrue(LaunchReport.find(bytes, 4, NONCE).isEmpty());
        byte[] padded = new byte[bytes.length + 100];
        System.arraycopy(bytes, 0, padded, 0, bytes.length);
        assertEquals(4, LaunchReport.find(padded, bytes.length, NONCE).orElseThrow().stderrEnd());
    }

    @Test
    void absentTruncatedOrMalformedReportsAreEmpty() {
        assertTrue(find("", NONCE).isEmpty());
        assertTrue(find("just a crash\n", NONCE).isEmpty());
        assertTrue(find("\u001eCODEEXEC " + NONCE + " exit=0 signal=0 cpuMs=1", NONCE).isEmpty(), "cut short");
        assertTrue(find("\u001eCODEEXEC " + NONCE + " exit=x signal=0 cpuMs=1 maxRssKb=1 wallMs=1\n", NONCE).isEmpty());
        assertTrue(find("CODEEXEC " + NONCE + " exit=0 signal=0 cpuMs=1 maxRssKb=1 wallMs=1\n", NONCE).isEmpty(),
                "without the record separator it is not a report");
    }

    @Test
    void reportWithoutTrailingNewlineStillParses() {
        String line = report(NONCE, 0, 9, 5, 6, 7);
        LaunchReport report = find("e\n" + line.substring(0, line.length() - 1), NONCE).orElseThrow();
        assertEquals(9, report.signal());
        assertEquals(7, report.wallMs());
    }

    @Test
    void bytesThatAreNotUtf8BeforeTheReportDoNotDisturbIt() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0xff, (byte) 0xfe, 0x1e, 0x1e, (byte) 0xc3});
        out.writeBytes(report(NONCE, 0, 0, 1, 1, 1).getBytes(StandardCharsets.US_ASCII));
        byte[] bytes = out.toByteArray();
        assertEquals(5, LaunchReport.find(bytes, bytes.length, NONCE).orElseThrow().stderrEnd());
    }

    @Test
    void cgroupPeakIsOptionalAndMemoryIsTheLargerPeak() {
        String line = "\u001eCODEEXEC " + NONCE + " exit=0 signal=0 cpuMs=1 maxRssKb=9000 wallMs=1 cgroupPeakKb=12000\n";
        LaunchReport withCgroup = find(line, NONCE).orElseThrow();
        assertEquals(12000, withCgroup.cgroupPeakKb());
        assertEquals(12000, withCgroup.memoryKb());
        LaunchReport without = find(report(NONCE, 0, 0, 1, 9000, 1), NONCE).orElseThrow();
        assertEquals(-1, without.cgroupPeakKb());
        assertEquals(9000, without.memoryKb(), "an unreadable cgroup falls back to the RSS");
    }
}
