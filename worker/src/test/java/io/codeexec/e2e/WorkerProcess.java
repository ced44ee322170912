package io.codeexec.e2e;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A worker in its own JVM (WorkerMain), so tests can SIGKILL or SIGTERM a real process. */
final class WorkerProcess implements AutoCloseable {
    final String id;
    private final Process process;
    private final Path log;

    private WorkerProcess(String id, Process process, Path log) {
        this.id = id;
        this.process = process;
        this.log = log;
    }

    static WorkerProcess start(String redisUrl, String id, int concurrency, Map<String, String> extraEnv) {
        try {
            Path log = Files.createTempFile("codeexec-" + id + "-", ".log");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    "io.codeexec.worker.WorkerMain");
            Map<String, String> env = builder.environment();
            env.put("REDIS_URL", redisUrl);
            env.put("WORKER_ID", id);
            env.put("WORKER_CONCURRENCY", Integer.toString(concurrency));
            env.put("SHUTDOWN_GRACE_SECONDS", "20");
            env.put("METRICS_PORT", "0");  // several worker processes share this host
            env.putAll(new HashMap<>(extraEnv));
            builder.redirectErrorStream(true).redirectOutput(log.toFile());
            return new WorkerProcess(id, builder.start(), log);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** kill -9: no shutdown hook runs, nothing is handed back. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM, then waits for the graceful stop to finish. */
    boolean terminate(long timeoutSeconds) throws InterruptedException {
        process.destroy();
        return process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
    }

    boolean alive() {
        return process.isAlive();
    }

    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    static List<String> classpathEntries() {
        return List.of(System.getProperty("java.class.path").split(File.pathSeparator));
    }
}
