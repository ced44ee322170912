package io.codeexec.worker.sandbox;

import io.codeexec.common.logging.LogContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.MDC;

/**
 * Incremental parser of what a launcher writes on stdout (protocol CE3): either the ready line of a
 * fresh host, or the records of one payload (compile, one per test, then done or error), each tagged
 * with the payload's nonce. Bytes arrive in frames that are not aligned to records; {@link #feed} keeps
 * what is incomplete. Anything else on the stream, a wrong nonce or a body over its cap makes the
 * stream {@link #malformed}: nothing a program prints reaches this stream, so that is our failure.
 * Memory stays bounded: a body is at most its cap, a header at most {@link #MAX_HEADER_BYTES}.
 * Chunk records (live output, when the payload asked for them) go to the {@link Listener} as they
 * complete, as do the compile and test records; the records kept for judging are unchanged.
 */
final class LaunchRecords {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LaunchRecords.class);
    static final byte[] READY = "\u001eCODEEXEC-READY 3\n".getBytes(StandardCharsets.US_ASCII);
    /** The compiler's output the launcher keeps at most. */
    static final int COMPILE_OUTPUT_CAP = 64 * 1024;
    static final int MAX_HEADER_BYTES = 8192;
    /** The most bytes one chunk record carries (the launcher's CHUNK_MAX). */
    static final int CHUNK_CAP = 16 * 1024;

    /** Hears records as they complete, on the thread that feeds them: must not block. */
    interface Listener {
        Listener NONE = new Listener() {};

        /** Live output of test {@code test}: {@code fd} 1 = stdout, 2 = stderr; bytes not aligned to characters. */
        default void chunk(int test, int fd, byte[] data) {}

        default void compiled(Run compile) {}

        default void tested(int index, Run run) {}
    }

    /** How one compile or test ended, as the launcher measured it over the whole run. */
    record Run(int exitCode, int signal, long cpuMs, long memoryKb, long wallMs, boolean timedOut,
               boolean cpuExceeded, boolean memoryExceeded, byte[] stdout, long stdoutTotal, byte[] stderr,
               long stderrTotal) {
        /** Non-zero exit, a signal or any limit: a compile that failed, a test that stops a stopOnFailure job. */
        boolean failed() {
            return exitCode != 0 || signal != 0 || timedOut || cpuExceeded || memoryExceeded;
        }
    }

    private final byte[] marker;
    private final int outputCap;
    private Listener listener;
    private byte[] pending = new byte[4096];
    private int pendingLength;
    private boolean ready;
    private Run compile;
    private final List<Run> tests = new ArrayList<>();
    private boolean done;
    private String error;
    private String malformed;
    /** The job of the thread that made these records: they are fed on the attach stream's thread, which has none. */
    private final String job = MDC.get(LogContext.JOB);

    private LaunchRecords(String nonce, int outputCap, Listener listener) {
        this.marker = nonce == null ? null : ("\u001eCODEEXEC " + nonce + " ").getBytes(StandardCharsets.US_ASCII);
        this.outputCap = outputCap;
        this.listener = listener;
    }

    /** Expects only the ready line of a starting host. */
    static LaunchRecords readyLine() {
        return new LaunchRecords(null, 0, Listener.NONE);
    }

    /** Expects the records of the payload tagged {@code nonce}, each test stream at most {@code outputCap} bytes. */
    static LaunchRecords forPayload(String nonce, int outputCap) {
        return forPayload(nonce, outputCap, Listener.NONE);
    }

    /** As above, telling {@code listener} about chunks, the compile and each test as they arrive. */
    static LaunchRecords forPayload(String nonce, int outputCap, Listener listener) {
        return new LaunchRecords(nonce, outputCap, listener);
    }

    /** Takes the next bytes of the stream and parses every record they complete. */
    synchronized void feed(byte[] data) {
        if (malformed != null) {
            return;
        }
        if (finished()) {
            malformed = "bytes after the end of the records";
            return;
        }
        if (pendingLength + data.length > pending.length) {
            pending = Arrays.copyOf(pending, Math.max(pendingLength + data.length, pending.length * 2));
        }
        System.arraycopy(data, 0, pending, pendingLength, data.length);
        pendingLength += data.length;
        int consumed = 0;
        while (!finished() && consumed < pendingLength) {
            int used = marker == null ? parseReady(consumed) : parseRecord(consumed);
            if (used == 0) {
                break;
            }
            consumed += used;
        }
        if (consumed > 0 && malformed == null) {
            System.arraycopy(pending, consumed, pending, 0, pendingLength - consumed);
            pendingLength -= consumed;
        }
        if (finished() && pendingLength > 0 && malformed == null) {
            malformed = "bytes after the end of the records";
        }
    }

    /** The ready line was read (or, for a payload, done / error arrived, or the stream is malformed). */
    synchronized boolean finished() {
        return malformed != null || (marker == null ? ready : done || error != null);
    }

    synchronized boolean ready() {
        return ready;
    }

    synchronized Optional<Run> compile() {
        return Optional.ofNullable(compile);
    }

    synchronized List<Run> tests() {
        return List.copyOf(tests);
    }

    synchronized boolean done() {
        return done;
    }

    /** The launcher's error record (a malformed payload or a sandbox it could not build), else null. */
    synchronized String error() {
        return error;
    }

    /** Why the stream is not a valid record stream, else null. */
    synchronized String malformed() {
        return malformed;
    }

    private int parseReady(int at) {
        int available = Math.min(pendingLength - at, READY.length);
        if (!Arrays.equals(pending, at, at + available, READY, 0, available)) {
            malformed = "expected the ready line, got " + printable(at, Math.min(pendingLength, at + 80));
            return 0;
        }
        if (available < READY.length) {
            return 0;
        }
        ready = true;
        return READY.length;
    }

    /** Parses one record at {@code at}; returns the bytes it used, 0 when it is incomplete (or malformed). */
    private int parseRecord(int at) {
        int available = Math.min(pendingLength - at, marker.length);
        if (!Arrays.equals(pending, at, at + available, marker, 0, available)) {
            malformed = "expected a record tagged with the job's nonce, got " + printable(at, Math.min(pendingLength, at + 80));
            return 0;
        }
        int lineEnd = indexOfNewline(at + marker.length);
        if (lineEnd < 0) {
            if (pendingLength - at > MAX_HEADER_BYTES) {
                malformed = "a record header longer than " + MAX_HEADER_BYTES + " bytes";
            }
            return 0;
        }
        String line = new String(pending, at + marker.length, lineEnd - at - marker.length, StandardCharsets.UTF_8);
        int headerBytes = lineEnd + 1 - at;
        if (line.equals("done")) {
            done = true;
            return headerBytes;
        }
        if (line.startsWith("error")) {
            error = line.length() > 6 ? line.substring(6) : "(no message)";
            return headerBytes;
        }
        String[] words = line.split(" ");
        if (words[0].equals("chunk")) {
            return parseChunk(words, lineEnd + 1, headerBytes);
        }
        boolean isCompile = words[0].equals("compile");
        if (!isCompile && !words[0].startsWith("test=")) {
            malformed = "unknown record '" + words[0] + "'";
            return 0;
        }
        Map<String, Long> values = values(words);
        if (values == null) {
            return 0;
        }
        long outLen = values.get("outLen");
        long errLen = isCompile ? 0 : values.get("errLen");
        long cap = isCompile ? COMPILE_OUTPUT_CAP : outputCap;
        if (outLen < 0 || errLen < 0 || outLen > cap || errLen > cap) {
            malformed = "a record announces " + outLen + "+" + errLen + " bytes, over the cap of " + cap;
            return 0;
        }
        int bodyStart = lineEnd + 1;
        if (pendingLength - bodyStart < outLen + errLen) {
            return 0;
        }
        int outEnd = bodyStart + (int) outLen;
        Run run = new Run(values.get("exit").intValue(), values.get("signal").intValue(), values.get("cpuMs"),
                values.get("memoryKb"), values.get("wallMs"), values.get("timedOut") == 1, values.get("cpuExceeded") == 1,
                values.get("memoryExceeded") == 1, Arrays.copyOfRange(pending, bodyStart, outEnd), values.get("outTotal"),
                Arrays.copyOfRange(pending, outEnd, outEnd + (int) errLen), isCompile ? 0 : values.get("errTotal"));
        if (isCompile) {
            compile = run;
            tell(l -> l.compiled(run));
        } else {
            tests.add(run);
            int index = tests.size() - 1;
            tell(l -> l.tested(index, run));
        }
        return headerBytes + (int) (outLen + errLen);
    }

    /** "chunk test=<i> fd=<1|2> len=<n>" and its bytes: of the test running now, within {@link #CHUNK_CAP}. */
    private int parseChunk(String[] words, int bodyStart, int headerBytes) {
        Map<String, Long> values = new HashMap<>();
        for (int i = 1; i < words.length; i++) {
            int eq = words[i].indexOf('=');
            try {
                values.put(words[i].substring(0, Math.max(eq, 0)), Long.parseLong(words[i].substring(eq + 1)));
            } catch (NumberFormatException e) {
                malformed = "a chunk field is not a number: " + words[i];
                return 0;
            }
        }
        Long test = values.get("test");
        Long fd = values.get("fd");
        Long len = values.get("len");
        if (test == null || fd == null || len == null || test != tests.size() || (fd != 1 && fd != 2)
                || len <= 0 || len > CHUNK_CAP) {
            malformed = "a bad chunk record: " + String.join(" ", words);
            return 0;
        }
        if (pendingLength - bodyStart < len) {
            return 0;
        }
        byte[] data = Arrays.copyOfRange(pending, bodyStart, bodyStart + len.intValue());
        tell(l -> l.chunk(test.intValue(), fd.intValue(), data));
        return headerBytes + len.intValue();
    }

    /** Live output is a convenience: a listener that fails is dropped, the records (and the job) go on. */
    private void tell(java.util.function.Consumer<Listener> call) {
        try {
            call.accept(listener);
        } catch (RuntimeException e) {
            try (var about = job == null ? null : LogContext.job(job)) {
                LOG.warn("live output stopped: its listener failed", e);
            }
            listener = Listener.NONE;
        }
    }

    private static final List<String> RUN_KEYS = List.of("exit", "signal", "cpuMs", "memoryKb", "wallMs", "timedOut",
            "cpuExceeded", "memoryExceeded", "outLen", "outTotal");

    private Map<String, Long> values(String[] words) {
        Map<String, Long> values = new HashMap<>();
        for (int i = 1; i < words.length; i++) {
            int eq = words[i].indexOf('=');
            try {
                values.put(words[i].substring(0, Math.max(eq, 0)), Long.parseLong(words[i].substring(eq + 1)));
            } catch (NumberFormatException e) {
                malformed = "a record field is not a number: " + words[i];
                return null;
            }
        }
        List<String> missing = new ArrayList<>(RUN_KEYS);
        if (!words[0].equals("compile")) {
            missing.addAll(List.of("errLen", "errTotal"));
        }
        missing.removeAll(values.keySet());
        if (!missing.isEmpty()) {
            malformed = "a " + words[0] + " record lacks " + missing;
            return null;
        }
        return values;
    }

    private int indexOfNewline(int from) {
        for (int i = from; i < pendingLength; i++) {
            if (pending[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private String printable(int from, int to) {
        return new String(pending, from, to - from, StandardCharsets.UTF_8).replace("\u001e", "\\x1e").replace("\n", "\\n");
    }
}
