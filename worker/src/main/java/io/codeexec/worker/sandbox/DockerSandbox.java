package io.codeexec.worker.sandbox;

import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.exception.ConflictException;
import io.codeexec.common.job.JobRequest;
import io.codeexec.common.job.JobResult;
import io.codeexec.common.job.Language;
import io.codeexec.common.job.Limits;
import io.codeexec.common.job.Verdict;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each job in a fresh, locked-down container (see {@link Hardening}):
 * 1. create the container and attach to its streams before it starts, so no output is lost;
 * 2. start it; the launcher inside reads the framed payload from stdin and runs the program;
 * 3. wait with our own wall-clock deadline, killing it at the deadline, on an output flood or on cancel;
 * 4. inspect it (exit code, OOM kill), judge the verdict, and always remove it.
 */
public final class DockerSandbox implements Sandbox {
    public static final String JOB_LABEL = "codeexec.job";
    public static final String WORKER_LABEL = "codeexec.worker";
    private static final Logger LOG = LoggerFactory.getLogger(DockerSandbox.class);
    private static final int REPORT_ALLOWANCE = 512;
    /** Time for the container and runtime to start, on top of the program's own wall-clock limit. */
    private static final long START_ALLOWANCE_MS = 500;
    private static final long ATTACH_TIMEOUT_MS = 10_000;
    private static final long DRAIN_TIMEOUT_MS = 2_000;
    /** The compiler's output the launcher keeps (it caps it at 64 KiB) plus its record line. */
    /** A version number in what a version command printed ("javac 21.0.13", "go1.24.4", "rustc 1.85.1 (…)"). */
    private static final Pattern VERSION = Pattern.compile("\\d+(\\.\\d+)+");
    private static final int GRADED_COMPILE_CAPTURE = 65_536 + 512;
    private static final JobResult CANCELLED = JobResult.internalError("The job was cancelled while running");

    private final DockerClients docker;
    private final SandboxConfig config;
    private final Map<String, RunHandle> runs = new ConcurrentHashMap<>();

    /** A run in progress; a cancel may arrive before its container exists, so the flag is kept too. */
    private static final class RunHandle {
        volatile String containerId;
        volatile boolean cancelled;
        volatile boolean abandoned;
    }

    public DockerSandbox(DockerClients docker, SandboxConfig config) {
        this.docker = docker;
        this.config = config;
    }

    @Override
    public JobResult run(String jobId, Language language, JobRequest request, BooleanSupplier stillWanted) {
        return runWithOutput(jobId, language, request, stillWanted).result();
    }

    @Override
    public RunOutcome runWithOutput(String jobId, Language language, JobRequest request, BooleanSupplier stillWanted) {
        RunHandle handle = runs.computeIfAbsent(jobId, id -> new RunHandle());
        PhaseTimer timer = new PhaseTimer();
        String containerId = null;
        try {
            // Registered first, asked second: a cancel is either seen here or caught by the handle.
            if (!stillWanted.getAsBoolean()) {
                return new RunOutcome(CANCELLED, null);
            }
            Language named = SourceNaming.forCode(language, request.code());
            boolean graded = request.hasTests() || named.compiled();
            containerId = create(jobId, named, request, graded);
            timer.lap("create");
            handle.containerId = containerId;
            if (handle.cancelled) {
                return new RunOutcome(CANCELLED, null);
            }
            RunOutcome outcome = graded
                    ? executeGraded(containerId, request, timer)
                    : execute(containerId, LaunchPayload.of(request), request.limits(), timer);
            if (handle.abandoned) {
                throw new SandboxUnavailableException("the worker shut down while job " + jobId + " ran", null);
            }
            return handle.cancelled ? new RunOutcome(CANCELLED, null) : outcome;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxUnavailableException("interrupted while running job " + jobId, e);
        } finally {
            runs.remove(jobId);
            if (containerId != null) {
                remove(containerId);
                timer.lap("remove");
            }
        }
    }

    @Override
    public boolean cancel(String jobId) {
        RunHandle handle = runs.get(jobId);
        if (handle == null) {
            return false;
        }
        handle.cancelled = true;
        String containerId = handle.containerId;
        if (containerId != null) {
            kill(containerId);
        }
        return true;
    }

    /** Kills every container still running here (shutdown after the grace period); their runs fail as ours. */
    public int cancelAll() {
        List<String> jobIds = List.copyOf(runs.keySet());
        for (String jobId : jobIds) {
            RunHandle handle = runs.get(jobId);
            if (handle != null) {
                handle.abandoned = true;
                cancel(jobId);
            }
        }
        return jobIds.size();
    }

    @Override
    public String probeVersion(Language language) {
        Language probe = new Language(language.id(), language.name(), language.image(), language.sourceFile(),
                language.versionCommand(), language.versionCommand());
        Limits limits = new Limits(10_000, 20_000, 256, 4096, 64, 0);
        JobResult result = run("probe-" + language.id(), probe, new JobRequest(language.id(), "", "", List.of(), limits),
                () -> true);
        String printed = result.stdout() + result.stderr();  // some tools print their version on stderr
        if (result.verdict() != Verdict.OK || printed.isBlank()) {
            throw new SandboxUnavailableException("version probe of " + language.image() + " failed: "
                    + result.verdict().wireName() + " " + result.stderr().strip(), null);
        }
        Matcher version = VERSION.matcher(printed);
        return version.find() ? version.group() : printed.strip();
    }

    private String create(String jobId, Language language, JobRequest request, boolean graded) {
        List<String> command = new ArrayList<>();
        command.add("/usr/local/bin/codeexec-launch");
        command.add(language.sourceFile());
        if (language.compiled()) {
            command.add("--compile");
            for (String word : language.compileCommand()) {
                if (word.equals(Language.OPTIONS)) {
                    command.addAll(request.compilerOptions());  // allow-listed by the API; argv items, never a shell
                } else {
                    command.add(word);
                }
            }
            command.add("--");
        }
        command.addAll(language.runCommand());
        Limits limits = request.limits();
        try {
            CreateContainerResponse created = docker.control().createContainerCmd(language.image())
                    .withCmd(command)
                    .withEntrypoint(List.of())
                    .withLabels(Map.of(JOB_LABEL, jobId, WORKER_LABEL, config.workerId()))
                    .withUser(config.user())
                    .withWorkingDir(Hardening.WORKDIR)
                    .withEnv(Hardening.environment())
                    .withHostName("sandbox")
                    .withNetworkDisabled(true)
                    .withTty(false)
                    .withStdinOpen(true)
                    .withAttachStdin(true)
                    .withAttachStdout(true)
                    .withAttachStderr(true)
                    .withHostConfig(Hardening.hostConfig(limits, config, language.compiled()))
                    .exec();
            return created.getId();
        } catch (NotFoundException e) {
            throw SandboxUnavailableException.imageMissing("runner image " + language.image()
                    + " is missing on this engine (build it with `make images`)", e);
        } catch (RuntimeException e) {
            throw new SandboxUnavailableException("cannot create a container on the Docker engine at "
                    + config.dockerHost() + ": " + e.getMessage(), e);
        }
    }

    /** A container run to its end: what it printed, whether our deadline killed it, its final state. */
    private record Finished(OutputCollector output, boolean deadlineHit, long measuredWallMs,
                            InspectContainerResponse.ContainerState state) {
        Integer exitCode() {
            return state == null || state.getExitCodeLong() == null ? null : state.getExitCodeLong().intValue();
        }

        boolean oomKilled() {
            return state != null && Boolean.TRUE.equals(state.getOOMKilled());
        }
    }

    private RunOutcome execute(String containerId, LaunchPayload payload, Limits limits, PhaseTimer timer)
            throws InterruptedException {
        Finished finished = runContainer(containerId, payload.bytes(), limits.outputBytes(),
                limits.wallTimeMs() + START_ALLOWANCE_MS, timer);
        OutputCollector output = finished.output();
        RunObservation run = new RunObservation(
                output.stdout(),
                output.stderr(),
                LaunchReport.find(output.stderr().buffer(), output.stderr().size(), payload.nonce()),
                finished.exitCode(),
                finished.oomKilled(),
                finished.deadlineHit(),
                output.overflowed(),
                finished.measuredWallMs());
        return new RunOutcome(VerdictJudge.judge(run, limits), VerdictJudge.rawOutputIfNotText(run, limits),
                timer.laps());
    }

    /** Compile once and run every test in this container; the launcher caps each test's output itself. */
    private RunOutcome executeGraded(String containerId, JobRequest request, PhaseTimer timer) throws InterruptedException {
        GradedPayload payload = GradedPayload.of(request);
        long perTest = 2L * request.limits().outputBytes() + REPORT_ALLOWANCE;
        int capture = (int) Math.min(Integer.MAX_VALUE - 1024L,
                GRADED_COMPILE_CAPTURE + payload.testCount() * perTest + REPORT_ALLOWANCE);
        Finished finished = runContainer(containerId, payload.bytes(), capture,
                GradedPayload.totalWallMs(request) + START_ALLOWANCE_MS, timer);
        OutputCollector output = finished.output();
        GradedReport report = GradedReport.parse(output.stdout().buffer(), output.stdout().size(), payload.nonce());
        JobResult result = GradeJudge.judge(report, request, finished.deadlineHit(),
                output.stderr().text(output.stderr().size()));
        return new RunOutcome(result, null, timer.laps());
    }

    private Finished runContainer(String containerId, byte[] payload, int captureBytes, long deadlineMs, PhaseTimer timer)
            throws InterruptedException {
        // The kill must not run on the stream's thread: the engine cannot finish the container's exit
        // while an attached reader stops reading (it blocks broadcasting output), so kill beside it.
        OutputCollector output = new OutputCollector(captureBytes, REPORT_ALLOWANCE,
                () -> Thread.startVirtualThread(() -> kill(containerId)));
        try (output) {
            docker.streaming().attachContainerCmd(containerId)
                    .withStdIn(new ByteArrayInputStream(payload))
                    .withStdOut(true)
                    .withStdErr(true)
                    .withFollowStream(true)
                    .exec(output);
            if (!output.awaitStarted(ATTACH_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                throw new SandboxUnavailableException("attaching to container " + containerId + " timed out", null);
            }
            timer.lap("attach");
            long started = System.nanoTime();
            try {
                docker.control().startContainerCmd(containerId).exec();
                timer.lap("start");
            } catch (RuntimeException e) {
                throw new SandboxUnavailableException("cannot start container " + containerId + ": " + e.getMessage(), e);
            }
            boolean deadlineHit = !awaitExit(containerId, deadlineMs);
            if (deadlineHit) {
                kill(containerId);
            }
            long measuredWallMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            timer.lap("run");
            output.awaitCompletion(DRAIN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            timer.lap("drain");
            InspectContainerResponse.ContainerState state = inspect(containerId);
            timer.lap("inspect");
            return new Finished(output, deadlineHit, measuredWallMs, state);
        } catch (java.io.IOException e) {
            throw new SandboxUnavailableException("closing the attach stream failed", e);
        }
    }

    /** Waits for the container to stop; false when the deadline passed first. */
    private boolean awaitExit(String containerId, long deadlineMs) {
        try (WaitContainerResultCallback wait = docker.streaming().waitContainerCmd(containerId)
                .exec(new WaitContainerResultCallback())) {
            wait.awaitStatusCode(deadlineMs, TimeUnit.MILLISECONDS);
            return true;
        } catch (DockerClientException e) {
            if (e.getMessage() != null && e.getMessage().contains("timeout")) {
                return false;
            }
            throw new SandboxUnavailableException("waiting for container " + containerId + " failed: " + e.getMessage(), e);
        } catch (java.io.IOException e) {
            throw new SandboxUnavailableException("closing the wait stream failed", e);
        }
    }

    private InspectContainerResponse.ContainerState inspect(String containerId) {
        try {
            return docker.control().inspectContainerCmd(containerId).exec().getState();
        } catch (RuntimeException e) {
            LOG.warn("cannot inspect container {}: {}", containerId, e.getMessage());
            return null;
        }
    }

    private void kill(String containerId) {
        try {
            docker.control().killContainerCmd(containerId).exec();
        } catch (NotFoundException | ConflictException | NotModifiedException e) {
            // Already stopped or gone: nothing left to kill.
        } catch (RuntimeException e) {
            LOG.warn("cannot kill container {}: {}", containerId, e.getMessage());
        }
    }

    private void remove(String containerId) {
        try {
            docker.control().removeContainerCmd(containerId).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException e) {
            // Already removed.
        } catch (RuntimeException e) {
            LOG.warn("cannot remove container {} (the sweeper will): {}", containerId, e.getMessage());
        }
    }
}
