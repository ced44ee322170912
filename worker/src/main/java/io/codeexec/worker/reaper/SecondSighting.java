package io.codeexec.worker.reaper;

import java.util.HashSet;
import java.util.Set;

/**
 * Remembers what one pass saw (a lapsed lease with its token, a worker without heartbeat, a stray id)
 * so the next pass acts only on what it sees again. Forgotten when Redis's reachability window
 * restarts: a sighting from before an outage confirms nothing after it.
 */
final class SecondSighting {
    private Set<String> previous = Set.of();
    private long generation = -1;

    /** Records this pass's sightings; returns those the previous pass (same window) also saw. */
    Set<String> confirm(Set<String> seenNow, long windowGeneration) {
        if (windowGeneration != generation) {
            previous = Set.of();
            generation = windowGeneration;
        }
        Set<String> confirmed = new HashSet<>(seenNow);
        confirmed.retainAll(previous);
        previous = Set.copyOf(seenNow);
        return confirmed;
    }

    void forget() {
        previous = Set.of();
    }
}
