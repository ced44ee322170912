package io.codeexec.worker;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** What this worker knows of its dependencies, for its heartbeat and its /ready answer. */
final class WorkerHealth {
    private volatile String redisProblem;
    private volatile String dockerProblem;
    private volatile Instant dockerProblemAt;

    void redisUp() {
        redisProblem = null;
    }

    void redisDown(Exception e) {
        redisProblem = String.valueOf(e.getMessage());
    }

    void dockerUp() {
        dockerProblem = null;
    }

    void dockerDown(Exception e) {
        dockerProblem = String.valueOf(e.getMessage());
        dockerProblemAt = Instant.now();
    }

    boolean ready() {
        return redisProblem == null && dockerProblem == null;
    }

    Map<String, Object> describe() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("status", ready() ? "ready" : "degraded");
        status.put("redis", redisProblem == null ? "ok" : redisProblem);
        status.put("docker", dockerProblem == null ? "ok" : dockerProblem);
        if (dockerProblemAt != null && dockerProblem != null) {
            status.put("dockerProblemSince", dockerProblemAt.toString());
        }
        return status;
    }
}
