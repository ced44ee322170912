package io.codeexec.worker.sandbox;

import java.util.Optional;

/**
 * Everything the sandbox saw of one run, before it is judged: the captured streams, what the
 * launcher reported, the container's end state and which of our limits we enforced ourselves.
 */
record RunObservation(
        BoundedOutput stdout,
        BoundedOutput stderr,
        Optional<LaunchReport> report,
        Integer containerExitCode,
        boolean oomKilled,
        boolean wallLimitHit,
        boolean outputLimitHit,
        long measuredWallMs) {}
