package io.codeexec.worker.sandbox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
    /** Server maxima: run memory 1024, compile memory 2048, 256 pids, 64 MiB files. */
    private static final Limits MAXIMA = new Limits(15_000, 30_000, 1024, 8 * 1024 * 1024, 256, 64 * MIB, 30_000, 2048);
    private static final SandboxConfig RUNC = new SandboxConfig("unix:///var/run/docker.sock", "runc",
            SandboxConfig.Isolation.NESTED, 500_000_000L, "w1", MAXIMA, 200, 600);

    private final HostConfig host = Hardening.hostConfig(RUNC, 123_456);

    @Test
    void noNetworkAndReadOnlyRoot() {
        assertEquals("none", host.getNetworkMode());
        assertEquals(Boolean.TRUE, host.getReadonlyRootfs());
    }

    @Test
    void noPrivilegesAndOurOwnSeccompProfile() throws Exception {
        assertArrayEquals(new Capability[] {Capability.ALL}, host.getCapDrop());
        assertNull(host.getCapAdd());
        assertEquals(2, host.getSecurityOpts().size(), host.getSecurityOpts().toString());
        assertEquals("no-new-privileges", host.getSecurityOpts().get(0));
        String seccomp = host.getSecurityOpts().get(1);
        assertTrue(seccomp.startsWith("seccomp={"), "the profile's JSON itself, as the Engine API takes it");
        JsonNode profile = new ObjectMapper().readTree(seccomp.substring("seccomp=".length()));
        assertEquals("SCMP_ACT_ERRNO", profile.get("defaultAction").asText(), "deny by default");
        assertTrue(profile.toString().contains("\"unshare\""), "the inner sandbox needs unshare");
        assertTrue(host.getPrivileged() == null || !host.getPrivileged());
        assertTrue(host.getBinds() == null || host.getBinds().length == 0, "nothing from the host is mounted");
    }

    @Test
    void maskedPathsAreLiftedInTheEngineRequest() throws Exception {
        JsonNode json = new ObjectMapper().valueToTree(host);
        assertTrue(json.get("MaskedPaths").isArray() && json.get("MaskedPaths").isEmpty(), json.toString());
        assertTrue(json.get("ReadonlyPaths").isArray() && json.get("ReadonlyPaths").isEmpty(), json.toString());
    }

    @Test
    void initPrivateIpcAndNoLogs() {
        assertEquals(Boolean.FALSE, host.getInit(), "the launcher is PID 1, not a dumpable Docker init");
        assertEquals("none", host.getIpcMode());
        assertEquals(LogConfig.LoggingType.NONE, host.getLogConfig().getType());
    }

    @Test
    void memoryFitsTheLargestRunOrCompileWithoutSwap() {
        assertEquals(2048 * MIB + Hardening.HOST_MEMORY_HEADROOM, host.getMemory());
        assertEquals(host.getMemory(), host.getMemorySwap(), "memory == memory+swap: no swap");
        assertEquals(256L + Hardening.HOST_PIDS_HEADROOM, host.getPidsLimit());
        assertEquals(500_000_000L, host.getNanoCPUs());
        Ulimit core = host.getUlimits()[0];
        assertEquals("core", core.getName());
        assertEquals(0L, core.getSoftLong());
        assertEquals(0L, core.getHardLong());
    }

    @Test
    void oneBuildDirectoryOwnedByTheHostsUid() {
        Map<String, String> tmpfs = host.getTmpFs();
        assertEquals(1, tmpfs.size());
        String options = tmpfs.get(Hardening.WORKDIR);
        assertTrue(options.contains("size=" + (64 * MIB + Hardening.BUILD_DIR_HEADROOM)), options);
        assertTrue(options.contains("uid=123456"), options);
        assertTrue(options.contains("gid=123456"), options);
        assertTrue(options.contains("nosuid"), options);
        assertTrue(options.contains("nodev"), options);
        assertTrue(options.contains("mode=0700"), options);
    }

    @Test
    void runtimeIsSetOnlyWhenNotRunc() {
        assertNull(host.getRuntime(), "runc is the engine's default and is left unset");
        SandboxConfig gvisor = new SandboxConfig("unix:///var/run/docker.sock", "runsc",
                SandboxConfig.Isolation.CONTAINER, 1_000_000_000L, "w1", MAXIMA, 200, 600);
        assertEquals("runsc", Hardening.hostConfig(gvisor, 100_001).getRuntime());
    }

    @Test
    void environmentIsMinimalAndPointsHomeAtTheSandbox() {
        List<String> env = Hardening.environment();
        assertTrue(env.contains("HOME=" + Hardening.WORKDIR), env.toString());
        assertTrue(env.contains("TMPDIR=" + Hardening.WORKDIR), env.toString());
        assertEquals(4, env.size(), env.toString());
    }
}
