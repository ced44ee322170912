package io.codeexec.worker.reaper;

/**
 * One reaper pass as its duties see it.
 *
 * @param redisNowMs Redis's clock (TIME) at the start of the pass
 * @param reachableMs how long this reaper has reached Redis without a break, by Redis's clock
 * @param windowGeneration changes whenever that window restarts (sightings before it are void)
 * @param lock the reaper lock held for the pass
 */
public record Pass(long redisNowMs, long reachableMs, long windowGeneration, ReaperLock.Held lock) {
    /** True when a lapse of {@code ttlMs} is real: Redis was reachable for longer than that. */
    boolean covers(long ttlMs) {
        return reachableMs > ttlMs;
    }

    /** Called before each write: extends the lock when needed, throws if the pass outlived it. */
    void keepLock() {
        lock.keep();
    }
}
