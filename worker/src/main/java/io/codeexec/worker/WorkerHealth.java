package io.codeexec.worker;

import io.codeexec.worker.metrics.WorkerMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this worker knows of its dependencies, for its heartbeat, /stats and its own claims. A broken
 * worker steps aside: while its engine is unreachable it claims nothing, and while a language's runner
 * image is missing it serves no job of that language; each is probed again every {@link #REPROBE}.
 */
final class WorkerHealth {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerHealth.class);  // each change once, never per probe
    static final Duration REPROBE = Duration.ofSeconds(30);

    private final long reprobeNanos;
    private volatile String redisProblem;
    private volatile String engineProblem;
    private volatile Instant engineProblemAt;
    private final AtomicLong engineProbeDue = new AtomicLong();
    /** Language id → why it is set aside; the due times of their next probes in {@link #languageProbeDue}. */
    private final Map<String, String> missingLanguages = new ConcurrentHashMap<>();
    private final Map<String, Long> languageProbeDue = new ConcurrentHashMap<>();

    private final WorkerMetrics metrics;

    WorkerHealth() {
        this(REPROBE);
    }

    WorkerHealth(Duration reprobe) {
        this(reprobe, WorkerMetrics.standalone());
    }

    WorkerHealth(Duration reprobe, WorkerMetrics metrics) {
        this.reprobeNanos = reprobe.toNanos();
        this.metrics = metrics;
    }

    void redisUp() {
        if (redisProblem != null) {
            metrics.redisReconnected();
        }
        redisProblem = null;
    }

    void redisDown(Exception e) {
        metrics.redisError();
        redisProblem = String.valueOf(e.getMessage());
    }

    /** The engine answered: claim again. */
    void dockerUp() {
        engineProblem = null;
    }

    /** The engine is unreachable: claim nothing until a probe succeeds. */
    void dockerDown(Exception e) {
        if (engineProblem == null) {
            LOG.warn("Docker engine unusable ({}): claiming nothing until a probe succeeds", e.getMessage());
            engineProblemAt = Instant.now();
            engineProbeDue.set(System.nanoTime() + reprobeNanos);
        }
        engineProblem = String.valueOf(e.getMessage());
    }

    boolean engineUsable() {
        return engineProblem == null;
    }

    /** True for one caller once per {@link #REPROBE} while the engine is set aside: that caller probes it. */
    boolean engineProbeDue() {
        long at = engineProbeDue.get();
        return engineProblem != null && System.nanoTime() - at >= 0
                && engineProbeDue.compareAndSet(at, System.nanoTime() + reprobeNanos);
    }

    /** A language's runner image is missing: jobs of it go to other workers. */
    void languageMissing(String language, Exception e) {
        if (missingLanguages.put(language, String.valueOf(e.getMessage())) == null) {
            LOG.warn("language {} set aside ({}): its jobs go to other workers until a probe finds its image",
                    language, e.getMessage());
            languageProbeDue.put(language, System.nanoTime() + reprobeNanos);
        }
    }

    void languageBack(String language) {
        missingLanguages.remove(language);
        languageProbeDue.remove(language);
    }

    boolean serves(String language) {
        return !missingLanguages.containsKey(language);
    }

    /** The set-aside languages whose probe is due now; each is handed to one caller only. */
    List<String> languageProbesDue() {
        List<String> due = new ArrayList<>();
        for (String language : missingLanguages.keySet()) {
            Long at = languageProbeDue.get(language);
            if (at != null && System.nanoTime() - at >= 0
                    && languageProbeDue.replace(language, at, System.nanoTime() + reprobeNanos)) {
                due.add(language);
            }
        }
        return due;
    }

    boolean ready() {
        return redisProblem == null && engineProblem == null;
    }

    Map<String, Object> describe() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("status", ready() ? "ready" : "degraded");
        status.put("redis", redisProblem == null ? "ok" : redisProblem);
        status.put("docker", engineProblem == null ? "ok" : engineProblem);
        Instant since = engineProblemAt;
        if (since != null && engineProblem != null) {
            status.put("dockerProblemSince", since.toString());
        }
        if (engineProblem != null || !missingLanguages.isEmpty()) {
            Map<String, Object> stepAside = new LinkedHashMap<>();
            stepAside.put("languages", new TreeMap<>(missingLanguages).keySet().stream().toList());
            stepAside.put("engine", engineProblem == null ? "ok" : engineProblem);
            status.put("stepAside", stepAside);
        }
        return status;
    }
}
