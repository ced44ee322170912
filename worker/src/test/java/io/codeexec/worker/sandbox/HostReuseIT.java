package io.codeexec.worker.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codeexec.common.config.LimitPolicy;
import io.codeexec.common.job.JobRequest;
import io.codeexec.common.job.JobResult;
import io.codeexec.common.job.LimitsRequest;
import io.codeexec.common.job.Verdict;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Nested isolation: one warm host serves a slot's jobs one after another, each in a clean /sandbox. */
class HostReuseIT {
    private static final String LOOK_AND_LITTER = """
            import os, subprocess
            print(sorted(os.listdir('.')), sorted(os.listdir('/tmp')) if os.access('/tmp', os.W_OK) else '-')
            open('litter-%d' % os.getpid(), 'w').write('x' * 1000)
            os.makedirs('dir/sub', exist_ok=True)
            subprocess.Popen(['sleep', '30'])  # a process left behind: it must not outlive the run
            """;

    private static JobResult run(LocalSandbox local, String jobId, String code, LimitsRequest limits) {
        JobRequest request = new JobRequest("python", code, "", List.of(), LimitPolicy.standard().resolve(limits));
        return local.sandbox().run(jobId, LocalSandbox.CATALOG.find("python").orElseThrow(), request, () -> true);
    }

    @Test
    void twentyJobsThroughOneSlotReuseOneHostAndEachSeesACleanSandbox() throws Exception {
        try (LocalSandbox local = LocalSandbox.connect(LocalSandbox.config("reuse-it", SandboxConfig.Isolation.NESTED), 1)) {
            Set<String> hosts = new HashSet<>();
            String first = null;
            for (int i = 0; i < 20; i++) {
                JobResult result = run(local, "reuse-" + i, LOOK_AND_LITTER, LimitsRequest.NONE);
                assertEquals(Verdict.OK, result.verdict(), "job " + i + ": " + result);
                if (first == null) {
                    first = result.stdout();
                    assertTrue(first.startsWith("['main.py']"), first);
                }
                assertEquals(first, result.stdout(), "job " + i + " saw what an earlier job left");
                hosts.addAll(local.containerIds());
            }
            assertEquals(1, hosts.size(), "one host served all 20 jobs: " + hosts);
            assertEquals(1, local.containerCount());
        }
    }

    @Test
    void hostIsRecycledAfterItsRunCount() throws Exception {
        SandboxConfig base = LocalSandbox.config("recycle-it", SandboxConfig.Isolation.NESTED);
        SandboxConfig config = new SandboxConfig(base.dockerHost(), base.runtime(), base.isolation(), base.nanoCpus(),
                base.workerId(), base.maxima(), 3, base.hostMaxAgeSeconds());
        try (LocalSandbox local = LocalSandbox.connect(config, 1)) {
            List<Set<String>> seen = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                assertEquals(Verdict.OK, run(local, "recycle-" + i, "print(1)", LimitsRequest.NONE).verdict());
                seen.add(local.containerIds());
            }
            Set<String> all = new HashSet<>();
            seen.forEach(all::addAll);
            assertTrue(all.size() >= 3, "7 jobs at 3 runs per host need at least 3 hosts: " + seen);
        }
    }

    @Test
    void cancelKillsTheHostAndTheNextJobGetsAFreshOne() throws Exception {
        try (LocalSandbox local = LocalSandbox.connect(LocalSandbox.config("cancel-it", SandboxConfig.Isolation.NESTED), 1)) {
            assertEquals(Verdict.OK, run(local, "warm", "print(1)", LimitsRequest.NONE).verdict());
            Set<String> before = local.containerIds();
            long started = System.nanoTime();
            CompletableFuture<JobResult> looping = CompletableFuture.supplyAsync(() ->
                    run(local, "cancel-me", "while True: pass", new LimitsRequest(10_000, 20_000, null, null, null, null)));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!local.sandbox().cancel("cancel-me") && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            JobResult cancelled = looping.get(15, TimeUnit.SECONDS);
            assertEquals(Verdict.INTERNAL_ERROR, cancelled.verdict(), cancelled.toString());
            assertTrue(cancelled.message().contains("cancelled"), cancelled.message());
            assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(8), "the cancel ended the run early");
            JobResult next = run(local, "after-cancel", "print(2)", LimitsRequest.NONE);
            assertEquals("2\n", next.stdout(), next.toString());
            assertNotEquals(before, local.containerIds(), "the killed host was replaced");
        }
    }
}
