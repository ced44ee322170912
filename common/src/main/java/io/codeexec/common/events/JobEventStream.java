package io.codeexec.common.events;

import java.util.Set;

/**
 * The shape of a job's event stream ({@link io.codeexec.common.queue.RedisKeys#jobEvents}), shared by
 * the worker that writes it, the scripts that end it and the API that serves it as Server-Sent Events:
 * each entry has a field {@link #EVENT} (one of the names below) and a field {@link #DATA} (its JSON).
 * The entry id is the SSE event id.
 */
public final class JobEventStream {
    public static final String EVENT = "event";
    public static final String DATA = "data";

    public static final String STATUS = "status";
    public static final String COMPILE = "compile";
    public static final String STDOUT = "stdout";
    public static final String STDERR = "stderr";
    public static final String TEST = "test";
    /** Only the API emits it (the job document, read when a final status arrives); never stored. */
    public static final String RESULT = "result";

    public static final Set<String> STORED = Set.of(STATUS, COMPILE, STDOUT, STDERR, TEST);

    /**
     * Approximate cap on a stream's entries (XADD MAXLEN ~). The worker bounds the output it publishes by
     * the job's own output caps; this only stops a job of many tests from growing its stream without end.
     */
    public static final long MAX_ENTRIES = 20_000;

    /** Text of one output event: at most this many bytes of output (the worker's batches). */
    public static final int CHUNK_BYTES = 16 * 1024;

    private JobEventStream() {}
}
