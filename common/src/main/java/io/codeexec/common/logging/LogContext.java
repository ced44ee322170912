package io.codeexec.common.logging;

import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.MDC;

/**
 * The context a log line carries beside its message: the job (or batch) it is about, scoped to the code
 * that handles it, and the keys that hold for the whole process (the worker's id), which
 * {@link ProcessContextFilter} stamps on every thread that logs, virtual and pool threads included.
 * Text lines end in {@code job=… worker=…}; JSON lines carry them under {@code mdc}.
 */
public final class LogContext {
    public static final String JOB = "job";
    public static final String BATCH = "batch";
    public static final String WORKER = "worker";

    private static volatile Map<String, String> processWide = Map.of();

    private LogContext() {}

    /** Every line this process logs from now on carries {@code worker=<id>}. */
    public static void worker(String workerId) {
        processWide(WORKER, workerId);
    }

    /** Lines this thread logs carry {@code worker=<id>} (a worker's job slot; in-process test stacks run several workers). */
    public static void workerOfThisThread(String workerId) {
        MDC.put(WORKER, workerId);
    }

    static synchronized void processWide(String key, String value) {
        Map<String, String> next = new LinkedHashMap<>(processWide);
        next.put(key, value);
        processWide = Map.copyOf(next);
    }

    static Map<String, String> processWide() {
        return processWide;
    }

    /** Tests in one JVM play several processes. */
    static synchronized void forgetProcessWide() {
        processWide = Map.of();
    }

    /** Lines logged by this thread until the scope closes are about this job. */
    public static Scope job(String jobId) {
        return Scope.open(JOB, jobId);
    }

    public static Scope batch(String batchId) {
        return Scope.open(BATCH, batchId);
    }

    /** Restores what the key held before (scopes nest: a job handled inside another job's code keeps both right). */
    public record Scope(String key, String previous) implements AutoCloseable {
        static Scope open(String key, String value) {
            String previous = MDC.get(key);
            MDC.put(key, value);
            return new Scope(key, previous);
        }

        @Override
        public void close() {
            if (previous == null) {
                MDC.remove(key);
            } else {
                MDC.put(key, previous);
            }
        }
    }
}
