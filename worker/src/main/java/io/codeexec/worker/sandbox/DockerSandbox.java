package io.codeexec.worker.sandbox;

import io.codeexec.worker.metrics.WorkerMetrics;
import io.codeexec.common.job.JobBudget;
import io.codeexec.common.job.JobRequest;
import io.codeexec.common.job.JobResult;
import io.codeexec.common.job.Language;
import io.codeexec.common.job.Limits;
import io.codeexec.common.job.Verdict;
import io.codeexec.worker.events.EventPublisher;
import io.codeexec.worker.events.JobEvents;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each job on a sandbox host of its language (nested isolation: a warm host, a fresh inner
 * sandbox per run; container isolation: a fresh host per job) through the one launcher protocol:
 * 1. register the job for cancels, build its payload ({@link Launch}) and acquire a host;
 * 2. send the payload and read its records within the job's deadline ({@link JobBudget#launcherMs});
 *    at the deadline or on cancel the host is killed;
 * 3. judge the records with the one ladder ({@link Verdicts}) and hand the host back (recycled off
 *    the critical path when anything went wrong).
 */
public final class DockerSandbox implements Sandbox, AutoCloseable {
    public static final String JOB_LABEL = "codeexec.job";
    public static final String WORKER_LABEL = "codeexec.worker";
    /** A version number in what a version command printed ("javac 21.0.13", "go1.24.4", "rustc 1.85.1 (…)"). */
    private static final Pattern VERSION = Pattern.compile("\\d+(\\.\\d+)+");
    private static final Limits PROBE_LIMITS = new Limits(10_000, 20_000, 256, 4096, 64, 0);
    private static final JobResult CANCELLED = JobResult.internalError("The job was cancelled while running");
    /** What a launcher without live output answers to the stream flag (its error record). */
    private static final String LEGACY_LAUNCHER_REFUSAL = "bad flags";
    private static final Logger LOG = LoggerFactory.getLogger(DockerSandbox.class);

    private final HostPool pool;
    /** Where live output goes (issue 13); null: none, and payloads do not ask for it. */
    private final EventPublisher events;
    private final Map<String, RunHandle> runs = new ConcurrentHashMap<>();
    /** Images whose launcher predates live output (it refuses the stream flag): their jobs run without it. */
    private final Set<String> withoutLiveOutput = ConcurrentHashMap.newKeySet();

    /** A run in progress; a cancel may arrive before its host is lent, so the flag is kept too. */
    private static final class RunHandle {
        volatile SandboxHost host;
        volatile boolean cancelled;
        volatile boolean abandoned;
    }

    /** A sandbox whose pool keeps at most {@code slots} warm hosts per language. */
    public DockerSandbox(DockerClients docker, SandboxConfig config, int slots) {
        this(docker, config, slots, null);
    }

    /** As above, publishing every job's live output to {@code events} (null: none). */
    public DockerSandbox(DockerClients docker, SandboxConfig config, int slots, EventPublisher events) {
        this(docker, config, slots, events, WorkerMetrics.standalone());
    }

    /** As above, counting host starts, recycles and failures in {@code metrics}. */
    public DockerSandbox(DockerClients docker, SandboxConfig config, int slots, EventPublisher events,
                         WorkerMetrics metrics) {
        Objects.requireNonNull(Hardening.SECCOMP);  // a worker without its seccomp profile fails at start, not per job
        this.pool = new HostPool(docker, config, slots, metrics);
        this.events = events;
    }

    /** Starts hosts for these languages ahead of demand, in the background. */
    public void warm(List<Language> languages) {
        pool.warm(languages);
    }

    @Override
    public JobResult run(String jobId, Language language, JobRequest request, BooleanSupplier stillWanted) {
        return runWithOutput(jobId, language, request, stillWanted).result();
    }

    @Override
    public RunOutcome runWithOutput(String jobId, Language language, JobRequest request, BooleanSupplier stillWanted) {
        if (events == null) {
            return execute(jobId, language, request, stillWanted, null);
        }
        try (JobEvents live = events.open(jobId, request.limits().outputBytes())) {
            return execute(jobId, language, request, stillWanted, live);
        }
    }

    /** One run; {@code live}: where its live events go (null: nowhere, and the launcher sends no chunk). */
    private RunOutcome execute(String jobId, Language language, JobRequest request, BooleanSupplier stillWanted,
                               JobEvents live) {
        RunHandle handle = runs.computeIfAbsent(jobId, id -> new RunHandle());
        PhaseTimer timer = new PhaseTimer();
        try {
            // Registered first, asked second: a cancel is either seen here or caught by the handle.
            if (!stillWanted.getAsBoolean()) {
                return new RunOutcome(CANCELLED, null);
            }
            Launch launch;
            try {
                launch = Launch.of(language, request, live != null && !withoutLiveOutput.contains(language.image()));
            } catch (SourceNaming.Unnameable | Launch.Refused e) {
                return new RunOutcome(compileError(e.getMessage()), null);
            }
            SandboxHost host = pool.acquire(language);
            timer.lap("acquire");
            handle.host = host;
            SandboxHost.HostRun run;
            try {
                if (handle.cancelled) {
                    host.kill();
                    return new RunOutcome(CANCELLED, null);
                }
                run = host.run(launch, request.limits().outputBytes(), JobBudget.launcherMs(request, launch.compiled()),
                        live == null ? LaunchRecords.Listener.NONE : new LiveOutput(live, request, launch.tests()));
                timer.lap("run");
            } finally {
                handle.host = null;
                pool.release(host);
                timer.lap("recycle");
            }
            if (live != null && LEGACY_LAUNCHER_REFUSAL.equals(run.records().error())
                    && withoutLiveOutput.add(language.image())) {
                LOG.warn("the launcher of {} predates live output (rebuild the runner images); its jobs run without it",
                        language.image());
                return execute(jobId, language, request, stillWanted, null);
            }
            if (handle.abandoned) {
                throw new SandboxUnavailableException("the worker shut down while job " + jobId + " ran", null);
            }
            if (handle.cancelled) {
                return new RunOutcome(CANCELLED, null);
            }
            return new RunOutcome(judge(jobId, launch, request, run), Verdicts.rawOutputIfNotText(run.records(), request),
                    timer.laps());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxUnavailableException("interrupted while running job " + jobId, e);
        } finally {
            runs.remove(jobId);
        }
    }

    /** The result of a launch, or our failure when the launcher did not report it properly. */
    private static JobResult judge(String jobId, Launch launch, JobRequest request, SandboxHost.HostRun run) {
        LaunchRecords records = run.records();
        if (records.error() != null) {
            throw new SandboxUnavailableException("the launcher refused job " + jobId + ": " + records.error(), null);
        }
        if (!records.done() && !run.deadlineHit()) {
            // Bytes after `done` only cost the host (it is recycled); a stream broken before it costs the job.
            String why = records.malformed() != null ? "its records are malformed: " + records.malformed()
                    : "the sandbox host ended" + (run.diagnostics().isEmpty() ? "" : ": " + run.diagnostics());
            throw new SandboxUnavailableException("job " + jobId + " did not finish: " + why, null);
        }
        return Verdicts.judge(records, launch.tests(), request, run.deadlineHit());
    }

    private static JobResult compileError(String message) {
        return new JobResult(Verdict.COMPILE_ERROR, null, null, "", "", false, false, null, null, null, message);
    }

    @Override
    public boolean cancel(String jobId) {
        RunHandle handle = runs.get(jobId);
        if (handle == null) {
            return false;
        }
        handle.cancelled = true;
        SandboxHost host = handle.host;
        if (host != null) {
            host.kill();
        }
        return true;
    }

    /** Kills every host running a job here (shutdown after the grace period); their runs fail as ours. */
    @Override
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

    /** Runs the language's version command on one of its hosts, like any job. */
    @Override
    public String probeVersion(Language language) {
        Language probe = new Language(language.id(), language.name(), language.image(), language.sourceFile(),
                List.of(), language.versionCommand(), language.versionCommand(), List.of());
        JobResult result = execute("probe-" + language.id(), probe,
                new JobRequest(language.id(), "", "", List.of(), PROBE_LIMITS), () -> true, null).result();
        String printed = result.stdout() + result.stderr();  // some tools print their version on stderr
        if (result.verdict() != Verdict.OK || printed.isBlank()) {
            throw new SandboxUnavailableException("version probe of " + language.image() + " failed: "
                    + result.verdict().wireName() + " " + result.message() + " " + result.stderr().strip(), null);
        }
        Matcher version = VERSION.matcher(printed);
        return version.find() ? version.group() : printed.strip();
    }

    /** Removes every idle host. */
    @Override
    public void close() {
        pool.close();
    }
}
