package io.codeexec.worker.sandbox;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the launcher reported about the program on its last stderr line:
 * "\x1eCODEEXEC nonce exit=N signal=N cpuMs=N maxRssKb=N wallMs=N cgroupPeakKb=N" (the last is -1
 * when the cgroup could not be read). Parsing also tells where the program's own stderr ends.
 */
public record LaunchReport(int exitCode, int signal, long cpuMs, long maxRssKb, long wallMs, int stderrEnd,
                           long cgroupPeakKb) {
    private static final byte RECORD_SEPARATOR = 0x1e;

    /** Finds the report tagged with {@code nonce} in the captured stderr, if the launcher lived to write it. */
    public static Optional<LaunchReport> find(byte[] stderr, int length, String nonce) {
        byte[] marker = ("\u001eCODEEXEC " + nonce + " ").getBytes(StandardCharsets.US_ASCII);
        int at = lastIndexOf(stderr, length, marker);
        if (at < 0) {
            return Optional.empty();
        }
        int end = at + marker.length;
        while (end < length && stderr[end] != '\n') {
            end++;
        }
        String fields = new String(stderr, at + marker.length, end - at - marker.length, StandardCharsets.US_ASCII);
        Map<String, Long> values = new HashMap<>();
        for (String pair : fields.trim().split(" ")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                try {
                    values.put(pair.substring(0, eq), Long.parseLong(pair.substring(eq + 1)));
                } catch (NumberFormatException e) {
                    return Optional.empty();
                }
            }
        }
        if (!values.keySet().containsAll(java.util.List.of("exit", "signal", "cpuMs", "maxRssKb", "wallMs"))) {
            return Optional.empty();
        }
        return Optional.of(new LaunchReport(values.get("exit").intValue(), values.get("signal").intValue(),
                values.get("cpuMs"), values.get("maxRssKb"), values.get("wallMs"), at,
                values.getOrDefault("cgroupPeakKb", -1L)));
    }

    /**
     * Peak memory: the larger of the container's cgroup peak (what the memory limit counts, tmpfs files
     * included) and the program's peak RSS (which also counts shared library pages the cgroup may not).
     */
    public long memoryKb() {
        return Math.max(cgroupPeakKb, maxRssKb);
    }

    private static int lastIndexOf(byte[] haystack, int length, byte[] needle) {
        outer:
        for (int i = length - needle.length; i >= 0; i--) {
            if (haystack[i] != RECORD_SEPARATOR) {
                continue;
            }
            for (int j = 1; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
