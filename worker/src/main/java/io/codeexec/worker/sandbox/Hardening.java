package io.codeexec.worker.sandbox;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.LogConfig;
import com.github.dockerjava.api.model.Ulimit;
import io.codeexec.common.job.Limits;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The outer wall: the lockdown every sandbox host gets, one line per boundary and its reason. The
 * inner wall (a fresh set of namespaces per run) is the launcher's; see docs/launcher-protocol.md.
 */
final class Hardening {
    static final String WORKDIR = "/sandbox";
    /**
     * Our seccomp profile (owned with the launcher): Docker's default plus exactly what the inner sandbox
     * needs (clone with namespace flags, mount, sethostname). Docker's default refuses unshare.
     */
    static final String SECCOMP_PROFILE = "sandbox/seccomp-host.json";
    static final String SECCOMP = seccompOption();
    private static final long MIB = 1024L * 1024L;
    /** Memory beside the largest run or compile: the launcher itself and the job's build directory. */
    static final long HOST_MEMORY_HEADROOM = 256 * MIB;
    /** Room in the build directory beside the largest file a run may write: sources, artefacts, caches. */
    static final long BUILD_DIR_HEADROOM = 256 * MIB;
    /** Pids beside a run's own budget: the launcher, the run's init, the compiler driver's helpers. */
    static final long HOST_PIDS_HEADROOM = 8;

    private Hardening() {}

    /** The engine's HostConfig with the two fields docker-java 3.7 lacks (`--security-opt systempaths=unconfined`). */
    static final class SandboxHostConfig extends HostConfig {
        /** Nothing over-mounted in the host's /proc: the kernel refuses the inner sandbox a fresh procfs otherwise. */
        @JsonProperty("MaskedPaths")
        private final List<String> maskedPaths = List.of();
        /** Same reason; /proc/sys stays read-only for the program through its own fresh, masked /proc. */
        @JsonProperty("ReadonlyPaths")
        private final List<String> readonlyPaths = List.of();

        List<String> maskedPaths() {
            return maskedPaths;
        }

        List<String> readonlyPaths() {
            return readonlyPaths;
        }
    }

    /** A host that runs under {@code uid}, sized so that the largest accepted job fits. */
    static SandboxHostConfig hostConfig(SandboxConfig config, int uid) {
        Limits maxima = config.maxima();
        long memory = Math.max(maxima.memoryMb(), maxima.compileMemoryMb()) * MIB + HOST_MEMORY_HEADROOM;
        long buildDirBytes = maxima.fileBytes() + BUILD_DIR_HEADROOM;
        SandboxHostConfig host = new SandboxHostConfig();
        host.withNetworkMode("none")                          // no network at all
                .withReadonlyRootfs(true)                     // the image cannot be changed
                // The job's build directory; tmpfs pages count against the host's memory cgroup.
                .withTmpFs(Map.of(WORKDIR, "rw,exec,nosuid,nodev,size=" + buildDirBytes + ",uid=" + uid + ",gid=" + uid
                        + ",mode=0700"))
                .withCapDrop(Capability.ALL)                  // the launcher needs none: user namespaces do the rest
                .withSecurityOpts(List.of("no-new-privileges", SECCOMP))
                .withIpcMode("none")                          // private IPC: mmap'ed files cannot escape the cgroup
                // No Docker init: the launcher is PID 1 and reaps; being non-dumpable it cannot be ptraced.
                .withInit(false)
                .withLogConfig(new LogConfig(LogConfig.LoggingType.NONE))  // nothing on the host's disk
                .withMemory(memory)
                .withMemorySwap(memory)                       // no swap
                .withOomScoreAdj(1000)                        // the kernel's first victim
                .withPidsLimit(maxima.processes() + HOST_PIDS_HEADROOM)
                .withNanoCPUs(config.nanoCpus())
                .withUlimits(List.of(new Ulimit("core", 0L, 0L)));
        if (!"runc".equals(config.runtime())) {
            host.withRuntime(config.runtime());
        }
        return host;
    }

    static List<String> environment() {
        return List.of(
                "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                "HOME=" + WORKDIR,
                "TMPDIR=" + WORKDIR,
                "LANG=C.UTF-8");
    }

    /** The profile's JSON as the Engine API takes it ({@code seccomp=<json>}). */
    private static String seccompOption() {
        try (InputStream in = Hardening.class.getClassLoader().getResourceAsStream(SECCOMP_PROFILE)) {
            if (in == null) {
                throw new IllegalStateException("the sandbox hosts' seccomp profile " + SECCOMP_PROFILE
                        + " is missing from the worker's classpath");
            }
            return "seccomp=" + new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
