package io.codeexec.worker.sandbox;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the launcher wrote on stdout during a graded run: an optional compile record, one record per
 * test that ran, and "done". Each record is "\x1eCODEEXEC nonce what key=value...\n" followed by the
 * bytes it announces (outLen, then errLen). Parsing stops at the first malformed or missing byte.
 */
record GradedReport(Optional<Step> compile, List<Step> tests, boolean complete) {

    /** One process the launcher ran: how it ended and what it printed (within the caps). */
    record Step(int exitCode, int signal, long cpuMs, long maxRssKb, long wallMs, boolean timedOut, boolean oomKilled,
                byte[] stdout, long stdoutTotal, byte[] stderr, long stderrTotal) {
        boolean failed() {
            return exitCode != 0 || signal != 0 || timedOut || oomKilled;
        }
    }

    static GradedReport parse(byte[] data, int length, String nonce) {
        byte[] marker = ("\u001eCODEEXEC " + nonce + " ").getBytes(StandardCharsets.US_ASCII);
        Step compile = null;
        List<Step> tests = new ArrayList<>();
        int at = 0;
        while (startsWith(data, length, at, marker)) {
            int lineEnd = indexOf(data, length, at, (byte) '\n');
            if (lineEnd < 0) {
                break;
            }
            String[] words = new String(data, at + marker.length, lineEnd - at - marker.length, StandardCharsets.US_ASCII)
                    .trim().split(" ");
            if (words[0].equals("done")) {
                return new GradedReport(Optional.ofNullable(compile), tests, true);
            }
            Map<String, Long> values = new HashMap<>();
            for (String word : Arrays.copyOfRange(words, 1, words.length)) {
                int eq = word.indexOf('=');
                if (eq > 0) {
                    values.put(word.substring(0, eq), Long.parseLong(word.substring(eq + 1)));
                }
            }
            int outLen = values.getOrDefault("outLen", 0L).intValue();
            int errLen = values.getOrDefault("errLen", 0L).intValue();
            int bodyStart = lineEnd + 1;
            if (bodyStart + outLen + errLen > length) {
                break;
            }
            Step step = new Step(values.getOrDefault("exit", -1L).intValue(), values.getOrDefault("signal", 0L).intValue(),
                    values.getOrDefault("cpuMs", 0L), values.getOrDefault("maxRssKb", 0L), values.getOrDefault("wallMs", 0L),
                    values.getOrDefault("timedOut", 0L) == 1, values.getOrDefault("oomKilled", 0L) == 1,
                    Arrays.copyOfRange(data, bodyStart, bodyStart + outLen), values.getOrDefault("outTotal", 0L),
                    Arrays.copyOfRange(data, bodyStart + outLen, bodyStart + outLen + errLen),
                    values.getOrDefault("errTotal", 0L));
            if (words[0].equals("compile")) {
                compile = step;
            } else if (words[0].startsWith("test=")) {
                tests.add(step);
            }
            at = bodyStart + outLen + errLen;
        }
        return new GradedReport(Optional.ofNullable(compile), tests, false);
    }

    private static boolean startsWith(byte[] data, int length, int at, byte[] prefix) {
        if (at + prefix.length > length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (data[at + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] data, int length, int from, byte b) {
        for (int i = from; i < length; i++) {
            if (data[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
