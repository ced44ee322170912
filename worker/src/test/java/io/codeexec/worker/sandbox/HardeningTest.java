package io.codeexec.worker.sandbox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.LogConfig;
import com.github.dockerjava.api.model.Ulimit;
import io.codeexec.common.job.Limits;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HardeningTest {
    private static final long MIB = 1024L * 1024L;
    private static final Limits LIMITS = new Limits(3000, 7000, 128, 65_536, 64, 5 * MIB);
    private static final SandboxConfig RUNC = new SandboxConfig("unix:///var/run/docker.sock", "runc", "60123:60123",
            500_000_000L, "w1");

    private final HostConfig host = Hardening.hostConfig(LIMITS, RUNC);

    @Test
    void noNetworkAndReadOnlyRoot() {
        assertEquals("none", host.getNetworkMode());
        assertEquals(Boolean.TRUE, host.getReadonlyRootfs());
    }

    @Test
    void noPrivileges() {
        assertArrayEquals(new Capability[] {Capability.ALL}, host.getCapDrop());
        assertNull(host.getCapAdd());
        assertEquals(List.of("no-new-privileges"), host.getSecurityOpts());
        assertTrue(host.getPrivileged() == null || !host.getPrivileged());
        assertTrue(host.getBinds() == null || host.getBinds().length == 0, "nothing from the host is mounted");
    }

    @Test
    void initPrivateIpcAndNoLogs() {
        assertEquals(Boolean.FALSE, host.getInit(), "the launcher is PID 1, not a dumpable Docker init");
        assertEquals("none", host.getIpcMode());
        assertEquals(LogConfig.LoggingType.NONE, host.getLogConfig().getType());
    }

    @Test
    void memoryWithoutSwapPidsCpuAndNoCoreDumps() {
        assertEquals(128 * MIB, host.getMemory());
        assertEquals(host.getMemory(), host.getMemorySwap(), "memory == memory+swap: no swap");
        assertEquals(64L, host.getPidsLimit());
        assertEquals(500_000_000L, host.getNanoCPUs());
        Ulimit core = host.getUlimits()[0];
        assertEquals("core", core.getName());
        assertEquals(0L, core.getSoftLong());
        assertEquals(0L, core.getHardLong());
    }

    @Test
    void oneTmpfsSizedForTheLargestFilePlusHeadroom() {
        Map<String, String> tmpfs = host.getTmpFs();
        assertEquals(1, tmpfs.size());
        String options = tmpfs.get(Hardening.WORKDIR);
        assertTrue(options.contains("size=" + (5 * MIB + 2 * MIB)), options);
        assertTrue(options.contains("uid=60123"), options);
        assertTrue(options.contains("gid=60123"), options);
        assertTrue(options.contains("nosuid"), options);
        assertTrue(options.contains("nodev"), options);
        assertTrue(options.contains("mode=0700"), options);
    }

    @Test
    void tmpfsFollowsTheJobsFileLimit() {
        Limits none = new Limits(3000, 7000, 256, 65_536, 16, 0);
        HostConfig small = Hardening.hostConfig(none, RUNC);
        assertTrue(small.getTmpFs().get(Hardening.WORKDIR).contains("size=" + 2 * MIB), small.getTmpFs().toString());
        assertEquals(256 * MIB, small.getMemory());
        assertEquals(16L, small.getPidsLimit());
    }

    @Test
    void runtimeIsSetOnlyWhenNotRunc() {
        assertNull(host.getRuntime(), "runc is the engine's default and is left unset");
        SandboxConfig gvisor = new SandboxConfig("unix:///var/run/docker.sock", "runsc", "60123:60123", 1_000_000_000L, "w1");
        assertEquals("runsc", Hardening.hostConfig(LIMITS, gvisor).getRuntime());
    }

    @Test
    void environmentIsMinimalAndPointsHomeAtTheSandbox() {
        List<String> env = Hardening.environment();
        assertTrue(env.contains("HOME=" + Hardening.WORKDIR), env.toString());
        assertTrue(env.contains("TMPDIR=" + Hardening.WORKDIR), env.toString());
        assertEquals(4, env.size(), env.toString());
    }
}
