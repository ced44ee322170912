package io.codeexec.worker.sandbox;

import io.codeexec.common.config.Env;

/**
 * How runner containers are made, beyond the per-job limits.
 *
 * @param dockerHost the engine's address (unix socket or tcp)
 * @param runtime    OCI runtime for runner containers: "runc", or "runsc" (gVisor) where installed
 * @param user       uid:gid the program runs as; a non-root id no host user should have
 * @param nanoCpus   CPU share of one container, in billionths of a CPU
 * @param workerId   written on every container's labels, for sweeping
 */
public record SandboxConfig(String dockerHost, String runtime, String user, long nanoCpus, String workerId) {

    public static SandboxConfig fromEnv(Env env, String workerId) {
        String runtime = env.string("SANDBOX_RUNTIME", "runc");
        if (!runtime.matches("[a-z0-9_.-]+")) {
            throw new IllegalArgumentException("SANDBOX_RUNTIME must be a runtime name such as runc or runsc, got '" + runtime + "'");
        }
        int uid = env.integer("SANDBOX_UID", 60123, 1000, 2_000_000_000);
        long milliCpus = env.number("SANDBOX_MILLICPUS", 1000, 10, 64_000);
        return new SandboxConfig(env.string("DOCKER_HOST", "unix:///var/run/docker.sock"), runtime,
                uid + ":" + uid, milliCpus * 1_000_000L, workerId);
    }
}
