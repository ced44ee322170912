package io.codeexec.worker.sandbox;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Measures consecutive phases of one run: each {@code lap} records the time since the previous one. */
final class PhaseTimer {
    private final Map<String, Long> laps = Collections.synchronizedMap(new LinkedHashMap<>());
    private long last = System.nanoTime();

    void lap(String phase) {
        long now = System.nanoTime();
        laps.put(phase + "Ms", TimeUnit.NANOSECONDS.toMillis(now - last));
        last = now;
    }

    /** The laps so far; later laps (e.g. removal) still appear in the same map. */
    Map<String, Long> laps() {
        return laps;
    }
}
