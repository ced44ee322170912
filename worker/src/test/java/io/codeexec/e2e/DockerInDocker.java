package io.codeexec.e2e;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import com.github.dockerjava.api.async.ResultCallback;
import io.codeexec.worker.sandbox.DockerClients;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A second Docker engine on this machine, the second "host" of {@link TwoHostIT}: a {@code dockerd} from
 * codeexec/dind (our base image and Debian's docker.io; -Dcodeexec.dindImage, built by `make images`).
 * 1. Its data root is a Docker volume of its own (overlay2 on the container's overlay root fails) and it
 *    listens on a socket in a fresh directory of this machine bind-mounted into it, so a worker here
 *    reaches it at {@link #dockerHost()} as it would reach its pod's engine sidecar.
 * 2. It gets what {@code --privileged} gives, less the capabilities this machine's bounding set lacks:
 *    an engine whose bounding set misses one (CAP_SYS_RESOURCE on this VM) refuses every privileged
 *    container with "unable to apply caps". So: every capability we have, no seccomp or AppArmor, all
 *    devices; the image's start-engine.sh makes the cgroup and sysfs mounts writable (read-only without
 *    --privileged, and then runc inside fails "mkdir /sys/fs/cgroup/cpuset/docker: read-only file
 *    system"). /proc stays masked: each sandbox host mounts its own in a mount namespace of its own. The worker's nested sandbox (user namespaces, its seccomp profile, the
 *    launcher's cgroup accounting) then works inside unchanged.
 * 3. Images come from the machine's engine (save → load), as no registry is reachable.
 * Killing it ({@link #kill}) ends the engine and every container in it at once, as a host's crash would.
 */
final class DockerInDocker implements AutoCloseable {
    static final String IMAGE = System.getProperty("codeexec.dindImage", "codeexec/dind:local");
    private static final String SOCKET_DIR = "/var/run/dind";
    private static final long READY_TIMEOUT_MS = 60_000;
    /** Capabilities by bit number (linux/capability.h), to read a bounding set. */
    private static final List<Capability> BY_BIT = List.of(
            Capability.CHOWN, Capability.DAC_OVERRIDE, Capability.DAC_READ_SEARCH, Capability.FOWNER,
            Capability.FSETID, Capability.KILL, Capability.SETGID, Capability.SETUID, Capability.SETPCAP,
            Capability.LINUX_IMMUTABLE, Capability.NET_BIND_SERVICE, Capability.NET_BROADCAST, Capability.NET_ADMIN,
            Capability.NET_RAW, Capability.IPC_LOCK, Capability.IPC_OWNER, Capability.SYS_MODULE,
            Capability.SYS_RAWIO, Capability.SYS_CHROOT, Capability.SYS_PTRACE, Capability.SYS_PACCT,
            Capability.SYS_ADMIN, Capability.SYS_BOOT, Capability.SYS_NICE, Capability.SYS_RESOURCE,
            Capability.SYS_TIME, Capability.SYS_TTY_CONFIG, Capability.MKNOD, Capability.LEASE,
            Capability.AUDIT_WRITE, Capability.AUDIT_CONTROL, Capability.SETFCAP, Capability.MAC_OVERRIDE,
            Capability.MAC_ADMIN, Capability.SYSLOG, Capability.WAKE_ALARM, Capability.BLOCK_SUSPEND,
            Capability.AUDIT_READ, Capability.PERFMON, Capability.BPF, Capability.CHECKPOINT_RESTORE);

    private final DockerClient machine;
    private final String name;  // of its container
    private final String volume;
    private final Path socketDir;
    private final DockerClient engine;

    private DockerInDocker(DockerClient machine, String name, String volume, Path socketDir) {
        this.machine = machine;
        this.name = name;
        this.volume = volume;
        this.socketDir = socketDir;
        this.engine = DockerClients.connect(dockerHost(socketDir), 1).control();
    }

    /** Starts the engine and waits until it answers; removes what it made if it never does. */
    static DockerInDocker start(String name) {
        DockerClient machine = DockerClients.connect(Stack.DOCKER_HOST, 1).control();
        try {
            machine.inspectImageCmd(IMAGE).exec();
        } catch (NotFoundException e) {
            throw new IllegalStateException(IMAGE + " is missing: `make images` (scripts/build-images.sh) builds it", e);
        }
        Path socketDir;
        try {
            socketDir = Files.createTempDirectory("codeexec-dind-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        DockerInDocker dind = new DockerInDocker(machine, name, name + "-data", socketDir);
        try {
            machine.createVolumeCmd().withName(dind.volume).withLabels(Map.of("codeexec.test", name)).exec();
            HostConfig host = HostConfig.newHostConfig()
                    .withCapAdd(Capability.ALL)
                    .withCapDrop(missingCapabilities().toArray(Capability[]::new))
                    .withSecurityOpts(List.of("seccomp=unconfined", "apparmor=unconfined"))
                    .withDeviceCgroupRules(List.of("a *:* rwm"))
                    .withBinds(new Bind(dind.volume, new Volume("/var/lib/docker")),
                            new Bind(socketDir.toString(), new Volume(SOCKET_DIR)));
            machine.createContainerCmd(IMAGE).withName(name).withLabels(Map.of("codeexec.test", name))
                    .withHostConfig(host).exec();
            machine.startContainerCmd(name).exec();
            dind.awaitReady();
            return dind;
        } catch (RuntimeException | InterruptedException e) {
            dind.close();
            throw new IllegalStateException("the second engine did not start", e);
        }
    }

    /** The DOCKER_HOST of a worker on this engine. */
    String dockerHost() {
        return dockerHost(socketDir);
    }

    private static String dockerHost(Path socketDir) {
        return "unix://" + socketDir.resolve("docker.sock");
    }

    /** A client of this engine (timeouts on every call). */
    DockerClient client() {
        return engine;
    }

    /** Copies an image from the machine's engine into this one. */
    void load(String image) {
        try (InputStream archive = machine.saveImageCmd(image).exec()) {
            engine.loadImageCmd(archive).exec();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        engine.inspectImageCmd(image).exec();
    }

    /** SIGKILLs the engine's container: dockerd, its containerd and every container in it die at once. */
    void kill() {
        machine.killContainerCmd(name).exec();
    }

    /** The engine's own log (dockerd's output), for failure messages. */
    String log() throws InterruptedException {
        StringBuilder text = new StringBuilder();
        try (ResultCallback.Adapter<Frame> callback = machine.logContainerCmd(name).withStdOut(true)
                .withStdErr(true).withTail(40).exec(new ResultCallback.Adapter<>() {
                    @Override
                    public void onNext(Frame frame) {
                        text.append(new String(frame.getPayload(), java.nio.charset.StandardCharsets.UTF_8));
                    }
                })) {
            callback.awaitCompletion(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
        return text.toString();
    }

    private void awaitReady() throws InterruptedException {
        long deadline = System.currentTimeMillis() + READY_TIMEOUT_MS;
        RuntimeException last = null;
        while (System.currentTimeMillis() < deadline) {
            try {
                engine.pingCmd().exec();
                return;
            } catch (RuntimeException e) {
                last = e;
                if (!Boolean.TRUE.equals(machine.inspectContainerCmd(name).exec().getState().getRunning())) {
                    break;
                }
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("the engine in " + IMAGE + " never answered at " + dockerHost()
                + "; its log:\n" + log(), last);
    }

    /** Capabilities this machine's bounding set lacks: the engine could not grant them. */
    static List<Capability> missingCapabilities() {
        long bounding;
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/status"))) {
            bounding = Long.parseUnsignedLong(lines.filter(l -> l.startsWith("CapBnd:")).findFirst()
                    .orElseThrow().substring("CapBnd:".length()).trim(), 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Capability> missing = new ArrayList<>();
        for (int bit = 0; bit < BY_BIT.size(); bit++) {
            if ((bounding & (1L << bit)) == 0) {
                missing.add(BY_BIT.get(bit));
            }
        }
        return missing;
    }

    /** Removes the container, its data volume and the socket directory, whatever state they are in. */
    @Override
    public void close() {
        try {
            engine.close();
        } catch (IOException | RuntimeException e) {
            // the engine may be gone already
        }
        try {
            machine.removeContainerCmd(name).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException e) {
            // already gone
        }
        try {
            machine.removeVolumeCmd(volume).exec();
        } catch (NotFoundException e) {
            // already gone
        }
        try {
            machine.close();
        } catch (IOException e) {
            // nothing left to release
        }
        try (Stream<Path> files = Files.walk(socketDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary directory: best effort
        }
    }
}
