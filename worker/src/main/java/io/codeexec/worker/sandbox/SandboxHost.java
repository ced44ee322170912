package io.codeexec.worker.sandbox;

import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import io.codeexec.common.job.Language;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sandbox host: a long-lived, locked-down container of one language whose PID 1 is the launcher.
 * 1. start: create it under its own random uid (see {@link Hardening}), attach before start so nothing
 *    is lost, start it and wait for the ready line;
 * 2. run: write one payload to its stdin and read records until done, error, the stream's end or our
 *    deadline (then the container is killed);
 * 3. tell whether it may serve another job, and remove it.
 * A host serves one job at a time; {@link HostPool} decides which.
 */
final class SandboxHost {
    public static final String HOST_LABEL = "codeexec.host";
    private static final Logger LOG = LoggerFactory.getLogger(SandboxHost.class);
    private static final String LAUNCHER = "/usr/local/bin/codeexec-launch";
    /** Outer uids: far above any real user, never two concurrent hosts of this process on one. */
    private static final int MIN_UID = 100_000;
    private static final Set<Integer> UIDS_IN_USE = ConcurrentHashMap.newKeySet();
    /** Attaching, starting and the launcher's ready line; within JobBudget.SANDBOX_ACQUIRE_MS. */
    private static final long READY_TIMEOUT_MS = 10_000;

    /** What one payload produced: its records, whether our deadline cut it, the launcher's diagnostics. */
    record HostRun(LaunchRecords records, boolean deadlineHit, String diagnostics) {}

    private final DockerClients docker;
    private final Language language;
    private final String containerId;
    private final int uid;
    private final long startedAt = System.nanoTime();
    private final StdinPipe stdin;
    private final HostStreams streams;
    private int runs;
    private volatile boolean broken;

    private SandboxHost(DockerClients docker, Language language, String containerId, int uid, StdinPipe stdin,
                        HostStreams streams) {
        this.docker = docker;
        this.language = language;
        this.containerId = containerId;
        this.uid = uid;
        this.stdin = stdin;
        this.streams = streams;
    }

    /** Creates, attaches and starts a host of {@code language}, and waits until its launcher is ready. */
    static SandboxHost start(DockerClients docker, SandboxConfig config, Language language) {
        int uid = newUid();
        StdinPipe stdin = new StdinPipe();
        HostStreams streams = new HostStreams();
        String containerId = null;
        try {
            containerId = create(docker, config, language, uid);
            LaunchRecords ready = LaunchRecords.readyLine();
            streams.expect(ready);
            docker.streaming().attachContainerCmd(containerId)
                    .withStdIn(stdin).withStdOut(true).withStdErr(true).withFollowStream(true)
                    .exec(streams);
            if (!streams.awaitStarted(READY_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                throw new SandboxUnavailableException("attaching to sandbox host " + containerId + " timed out", null);
            }
            docker.control().startContainerCmd(containerId).exec();
            if (!streams.await(ready, READY_TIMEOUT_MS) || !ready.ready()) {
                throw new SandboxUnavailableException("sandbox host of " + language.image() + " did not get ready: "
                        + (ready.malformed() != null ? ready.malformed() : streams.diagnostics()), null);
            }
            streams.expectNothing();
            return new SandboxHost(docker, language, containerId, uid, stdin, streams);
        } catch (NotFoundException e) {
            discard(docker, containerId, uid, stdin, streams);
            throw SandboxUnavailableException.imageMissing("runner image " + language.image()
                    + " is missing on this engine (build it with `make images`)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            discard(docker, containerId, uid, stdin, streams);
            throw new SandboxUnavailableException("interrupted while starting a sandbox host", e);
        } catch (SandboxUnavailableException e) {
            discard(docker, containerId, uid, stdin, streams);
            throw e;
        } catch (RuntimeException e) {
            discard(docker, containerId, uid, stdin, streams);
            throw new SandboxUnavailableException("cannot start a sandbox host on the Docker engine at "
                    + config.dockerHost() + ": " + e.getMessage(), e);
        }
    }

    private static String create(DockerClients docker, SandboxConfig config, Language language, int uid) {
        return docker.control().createContainerCmd(language.image())
                .withCmd(List.of(LAUNCHER, config.isolation().launcherMode()))
                .withEntrypoint(List.of())
                .withLabels(Map.of(DockerSandbox.WORKER_LABEL, config.workerId(), HOST_LABEL, language.id(),
                        Deployment.LABEL, config.deployment()))
                .withUser(uid + ":" + uid)
                .withWorkingDir(Hardening.WORKDIR)
                .withEnv(Hardening.environment())
                .withHostName("sandbox")
                .withNetworkDisabled(true)
                .withTty(false)
                .withStdinOpen(true)
                .withAttachStdin(true)
                .withAttachStdout(true)
                .withAttachStderr(true)
                .withHostConfig(Hardening.hostConfig(config, uid))
                .exec()
                .getId();
    }

    /** Sends one payload and reads its records until done, the stream's end or {@code deadlineMs}. */
    HostRun run(Launch launch, int outputCap, long deadlineMs) throws InterruptedException {
        return run(launch, outputCap, deadlineMs, LaunchRecords.Listener.NONE);
    }

    /** As above, telling {@code listener} about the records as they arrive (live output). */
    HostRun run(Launch launch, int outputCap, long deadlineMs, LaunchRecords.Listener listener) throws InterruptedException {
        LaunchRecords records = LaunchRecords.forPayload(launch.nonce(), outputCap, listener);
        streams.expect(records);
        runs++;
        try {
            stdin.write(launch.bytes());
            boolean inTime = streams.await(records, deadlineMs);
            if (!inTime) {
                kill();
            }
            if (!inTime || !records.done() || records.malformed() != null || streams.broken()) {
                broken = true;
            }
            return new HostRun(records, !inTime, streams.diagnostics());
        } finally {
            streams.expectNothing();
        }
    }

    /** Kills the container (cancel, deadline): the run in it ends and the host is not used again. */
    void kill() {
        broken = true;
        try {
            docker.control().killContainerCmd(containerId).exec();
        } catch (NotFoundException | ConflictException | NotModifiedException e) {
            // Already stopped or gone.
        } catch (RuntimeException e) {
            LOG.warn("cannot kill sandbox host {}: {}", containerId, e.getMessage());
        }
    }

    /** Whether it may serve another job: healthy, within its run count and its age. */
    boolean reusable(int maxRuns, long maxAgeSeconds) {
        return !broken && !streams.broken() && runs < maxRuns
                && System.nanoTime() - startedAt < TimeUnit.SECONDS.toNanos(maxAgeSeconds);
    }

    /** Removes the container and frees its uid. */
    void remove() {
        discard(docker, containerId, uid, stdin, streams);
    }

    Language language() {
        return language;
    }

    private static int newUid() {
        while (true) {
            int uid = ThreadLocalRandom.current().nextInt(MIN_UID, Integer.MAX_VALUE);
            if (UIDS_IN_USE.add(uid)) {
                return uid;
            }
        }
    }

    /** Ends the stdin copy and the attach stream (freeing its connection), removes the container, frees the uid. */
    private static void discard(DockerClients docker, String containerId, int uid, StdinPipe stdin, HostStreams streams) {
        stdin.close();
        try {
            streams.close();
        } catch (IOException e) {
            LOG.debug("closing the streams of {}: {}", containerId, e.getMessage());
        }
        try {
            if (containerId != null) {
                docker.control().removeContainerCmd(containerId).withForce(true).withRemoveVolumes(true).exec();
            }
        } catch (NotFoundException e) {
            // Already removed.
        } catch (ConflictException e) {
            // "removal already in progress": an earlier request for it (e.g. a DELETE the transport retried) finishes it.
            LOG.debug("sandbox host {} is already being removed: {}", containerId, e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("cannot remove sandbox host {} (the sweeper will): {}", containerId, e.getMessage());
        } finally {
            UIDS_IN_USE.remove(uid);
        }
    }
}
