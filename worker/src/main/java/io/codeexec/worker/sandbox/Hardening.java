package io.codeexec.worker.sandbox;

import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.LogConfig;
import com.github.dockerjava.api.model.Ulimit;
import io.codeexec.common.job.Limits;
import java.util.List;
import java.util.Map;

/**
 * The lockdown every runner container gets: no network, read-only root, one size-capped tmpfs, no
 * capabilities, no-new-privileges, default seccomp, private IPC, the launcher as a zombie-reaping PID 1, no logs
 * on the host's disk, memory = memory+swap, a pids limit, no core dumps, nothing from the host mounted.
 */
final class Hardening {
    static final String WORKDIR = "/sandbox";
    private static final long MIB = 1024L * 1024L;
    /** Room in the tmpfs beside the largest file the program may write: the source file and small files. */
    private static final long TMPFS_HEADROOM = 2 * MIB;
    /** Room for compilers' output and caches (Go's build cache, Rust's and Java's artifacts). */
    private static final long COMPILE_TMPFS_HEADROOM = 192 * MIB;

    private Hardening() {}

    static HostConfig hostConfig(Limits limits, SandboxConfig config) {
        return hostConfig(limits, config, false);
    }

    /**
     * For a compiled language the container gets the larger of the run and compile memory limits (a
     * test's own limit is then judged from its peak memory) and room in the tmpfs for the build.
     */
    static HostConfig hostConfig(Limits limits, SandboxConfig config, boolean compiled) {
        long memory = (compiled ? Math.max(limits.memoryMb(), limits.compileMemoryMb()) : limits.memoryMb()) * MIB;
        long tmpfsBytes = limits.fileBytes() + (compiled ? COMPILE_TMPFS_HEADROOM : TMPFS_HEADROOM);
        String uid = config.user().substring(0, config.user().indexOf(':'));
        HostConfig host = HostConfig.newHostConfig()
                .withNetworkMode("none")
                .withReadonlyRootfs(true)
                .withTmpFs(Map.of(WORKDIR, "rw,exec,nosuid,nodev,size=" + tmpfsBytes + ",uid=" + uid + ",gid=" + uid + ",mode=0700"))
                .withCapDrop(Capability.ALL)
                .withSecurityOpts(List.of("no-new-privileges"))
                .withIpcMode("none")
                // No Docker init: the launcher is PID 1. It reaps zombies like tini would, and being
                // non-dumpable it cannot be ptraced by the program, which a dumpable tini could be.
                .withInit(false)
                .withLogConfig(new LogConfig(LogConfig.LoggingType.NONE))
                .withMemory(memory)
                .withMemorySwap(memory)
                .withOomScoreAdj(1000)
                .withPidsLimit((long) limits.processes())
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
}
