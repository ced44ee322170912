package io.codeexec.worker.sandbox;

import io.codeexec.common.config.Env;
import io.codeexec.common.config.LimitPolicy;
import io.codeexec.common.job.Limits;
import java.util.Locale;

/**
 * How sandbox hosts are made and kept, read and validated once at start.
 *
 * @param dockerHost  the engine's address (unix socket or tcp)
 * @param runtime     OCI runtime of the hosts: "runc", or "runsc" (gVisor) where installed; both modes use it
 * @param isolation   NESTED: long-lived hosts, a fresh inner sandbox per run; CONTAINER: also a fresh host per job
 * @param nanoCpus    CPU share of one host, in billionths of a CPU
 * @param workerId    written on every host's labels, for sweeping
 * @param maxima      the server's largest limits: a host is sized so that any accepted job fits
 * @param hostMaxRuns a host is recycled after this many jobs (nested mode)
 * @param hostMaxAgeSeconds a host is recycled once it is this old (nested mode)
 * @param deployment  written on every host's labels ({@link Deployment}): a worker sweeps only its own deployment's
 */
public record SandboxConfig(String dockerHost, String runtime, Isolation isolation, long nanoCpus, String workerId,
                            Limits maxima, int hostMaxRuns, int hostMaxAgeSeconds, String deployment) {
    public static final int DEFAULT_HOST_MAX_RUNS = 200;
    public static final int DEFAULT_HOST_MAX_AGE_SECONDS = 600;

    /** Where each job's program gets its outer wall. */
    public enum Isolation {
        NESTED("--serve"), CONTAINER("--once");

        private final String launcherMode;

        Isolation(String launcherMode) {
            this.launcherMode = launcherMode;
        }

        /** The launcher's argument for this mode. */
        String launcherMode() {
            return launcherMode;
        }

        static Isolation parse(String value) {
            try {
                return valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("ISOLATION must be 'nested' (a long-lived sandbox host per slot, the default) "
                        + "or 'container' (a fresh container per job), got '" + value + "'");
            }
        }
    }

    public SandboxConfig {
        if (!runtime.matches("[a-z0-9_.-]+")) {
            throw new IllegalArgumentException("SANDBOX_RUNTIME must be a runtime name such as runc or runsc, got '" + runtime + "'");
        }
        if (hostMaxRuns < 1 || hostMaxAgeSeconds < 1) {
            throw new IllegalArgumentException("SANDBOX_HOST_MAX_RUNS and SANDBOX_HOST_MAX_AGE_SECONDS must be at least 1");
        }
    }

    /** A config whose deployment is not known yet; the worker sets it from its Redis URL ({@link #withDeployment}). */
    public SandboxConfig(String dockerHost, String runtime, Isolation isolation, long nanoCpus, String workerId,
                         Limits maxima, int hostMaxRuns, int hostMaxAgeSeconds) {
        this(dockerHost, runtime, isolation, nanoCpus, workerId, maxima, hostMaxRuns, hostMaxAgeSeconds, "unset");
    }

    public SandboxConfig withDeployment(String newDeployment) {
        return new SandboxConfig(dockerHost, runtime, isolation, nanoCpus, workerId, maxima, hostMaxRuns,
                hostMaxAgeSeconds, newDeployment);
    }

    /** Defaults for everything but the engine, runtime, mode and owner (tests, tools). */
    public static SandboxConfig of(String dockerHost, String runtime, Isolation isolation, String workerId) {
        return new SandboxConfig(dockerHost, runtime, isolation, 1_000_000_000L, workerId, LimitPolicy.standard().maxima(),
                DEFAULT_HOST_MAX_RUNS, DEFAULT_HOST_MAX_AGE_SECONDS);
    }

    public static SandboxConfig fromEnv(Env env, String workerId) {
        long milliCpus = env.number("SANDBOX_MILLICPUS", 1000, 10, 64_000);
        return new SandboxConfig(env.string("DOCKER_HOST", "unix:///var/run/docker.sock"),
                env.string("SANDBOX_RUNTIME", "runc"),
                Isolation.parse(env.string("ISOLATION", "nested")),
                milliCpus * 1_000_000L,
                workerId,
                LimitPolicy.fromEnv(env).maxima(),
                env.integer("SANDBOX_HOST_MAX_RUNS", DEFAULT_HOST_MAX_RUNS, 1, 1_000_000),
                env.integer("SANDBOX_HOST_MAX_AGE_SECONDS", DEFAULT_HOST_MAX_AGE_SECONDS, 10, 86_400));
    }

    /** Whether a host serves one job only (container mode) or many (nested mode). */
    boolean singleUse() {
        return isolation == Isolation.CONTAINER;
    }
}
