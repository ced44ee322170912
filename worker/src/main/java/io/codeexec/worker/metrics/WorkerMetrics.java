package io.codeexec.worker.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A worker's Prometheus meters (issue 12), served by {@link MetricsServer}. Each event is one call from
 * where it happens. Labels stay low-cardinality: language, verdict, phase, outcome; never a job or tenant.
 * 1. jobs started and finished (codeexec_jobs_started_total, codeexec_jobs_finished_total{language,verdict});
 * 2. phase timings as histograms (codeexec_job_phase_seconds{phase}: queued, acquire, run, recycle, store);
 * 3. sandbox hosts started, recycled (removed after use) and failed to start, by language;
 * 4. callback deliveries by outcome; Redis errors and reconnects; JVM memory, threads, GC.
 */
public final class WorkerMetrics implements AutoCloseable {
    /** The worker's phase timings (keys of RunOutcome.timings(), "...Ms") that become histograms. */
    private static final Map<String, String> RUN_PHASES = Map.of("acquireMs", "acquire", "runMs", "run",
            "recycleMs", "recycle");

    /** The help text of each counter, as Prometheus shows it. */
    private static final Map<String, String> HELP = Map.of(
            "codeexec.jobs.started", "Jobs this worker started running",
            "codeexec.jobs.finished", "Jobs this worker ended, by verdict",
            "codeexec.sandbox.hosts.started", "Sandbox host containers started",
            "codeexec.sandbox.hosts.failed", "Sandbox host containers that failed to start",
            "codeexec.sandbox.hosts.recycled", "Sandbox host containers removed after use (used up, too old, or unhealthy)",
            "codeexec.callback.deliveries", "Callback delivery attempts, by outcome",
            "codeexec.redis.errors", "Redis operations that failed (the worker retries them)",
            "codeexec.redis.reconnects", "Times Redis answered again after failing");
    private static final java.util.List<String> CALLBACK_OUTCOMES = java.util.List.of("delivered", "refused", "failed");

    /** The phase histograms' range: a warm host is lent in well under a millisecond; a job waits in line for minutes. */
    private static final Duration FASTEST_PHASE = Duration.ofNanos(100_000);
    private static final Duration SLOWEST_PHASE = Duration.ofMinutes(30);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private JvmGcMetrics gcListener;

    /** Meters for a worker process, with the JVM's. */
    public static WorkerMetrics withJvm() {
        WorkerMetrics metrics = new WorkerMetrics();
        new JvmMemoryMetrics().bindTo(metrics.registry);
        new JvmThreadMetrics().bindTo(metrics.registry);
        metrics.gcListener = new JvmGcMetrics();
        metrics.gcListener.bindTo(metrics.registry);
        new ProcessorMetrics().bindTo(metrics.registry);
        return metrics;
    }

    /** Meters only (parts built on their own, in tests). */
    public static WorkerMetrics standalone() {
        return new WorkerMetrics();
    }

    /** Series that exist from the start at 0, so rates over them are defined before the first event. */
    private WorkerMetrics() {
        counter("codeexec.redis.errors");
        counter("codeexec.redis.reconnects");
        for (String outcome : CALLBACK_OUTCOMES) {
            counter("codeexec.callback.deliveries", "outcome", outcome);
        }
    }

    public void jobStarted(String language, Duration queued) {
        counter("codeexec.jobs.started", "language", language).increment();
        if (queued != null && !queued.isNegative()) {
            phase("queued").record(queued);
        }
    }

    /** A job ended with {@code verdict} (its result was stored, or refused because it was taken back). */
    public void jobFinished(String language, String verdict, Map<String, Long> timings, long storeNanos) {
        counter("codeexec.jobs.finished", "language", language, "verdict", verdict).increment();
        RUN_PHASES.forEach((key, phase) -> {
            Long ms = timings.get(key);
            if (ms != null) {
                phase(phase).record(ms, TimeUnit.MILLISECONDS);
            }
        });
        phase("store").record(storeNanos, TimeUnit.NANOSECONDS);
    }

    /** A host started; the language's failure and recycle series start at 0 with it. */
    public void hostStarted(String language) {
        counter("codeexec.sandbox.hosts.started", "language", language).increment();
        counter("codeexec.sandbox.hosts.failed", "language", language);
        counter("codeexec.sandbox.hosts.recycled", "language", language);
    }

    public void hostStartFailed(String language) {
        counter("codeexec.sandbox.hosts.failed", "language", language).increment();
        counter("codeexec.sandbox.hosts.started", "language", language);
    }

    public void hostRecycled(String language) {
        counter("codeexec.sandbox.hosts.recycled", "language", language).increment();
    }

    /** One callback attempt: delivered, refused (a 4xx or a forbidden target) or failed (to be retried or dropped). */
    public void callback(String outcome) {
        assert CALLBACK_OUTCOMES.contains(outcome) : outcome;
        counter("codeexec.callback.deliveries", "outcome", outcome).increment();
    }

    public void redisError() {
        counter("codeexec.redis.errors").increment();
    }

    public void redisReconnected() {
        counter("codeexec.redis.reconnects").increment();
    }

    /** Stops listening to GC notifications. */
    @Override
    public void close() {
        if (gcListener != null) {
            gcListener.close();
        }
        registry.close();
    }

    /** Everything, in the Prometheus text format. */
    public String scrape() {
        return registry.scrape();
    }

    private Counter counter(String name, String... tags) {
        return Counter.builder(name).tags(tags).description(HELP.get(name)).register(registry);
    }

    private Timer phase(String phase) {
        return Timer.builder("codeexec.job.phase").tag("phase", phase).publishPercentileHistogram()
                .minimumExpectedValue(FASTEST_PHASE).maximumExpectedValue(SLOWEST_PHASE)
                .description("Where a job's time went, by phase").register(registry);
    }
}
