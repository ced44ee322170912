package io.codeexec.worker.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codeexec.common.config.LimitPolicy;
import io.codeexec.common.job.Comparison;
import io.codeexec.common.job.JobRequest;
import io.codeexec.common.job.JobResult;
import io.codeexec.common.job.LimitsRequest;
import io.codeexec.common.job.TestCase;
import io.codeexec.common.job.TestResult;
import io.codeexec.common.job.Verdict;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Attacks that only make sense with long-lived sandbox hosts: limits measured over the whole run (not
 * one process), the launcher out of the program's reach, nothing left for the next job on the same
 * host, per-uid kernel limits not shared between concurrent jobs, and the launcher's privileges
 * (namespaces, mount, keyctl, bpf) refused to the program. After each, the next job is served.
 */
class AdversarialHostIT extends SandboxFixture {
    private static final LimitsRequest ROOMY = new LimitsRequest(1000, 8000, 64, OUTPUT_CAP, 32, null);

    @Test
    void cpuOfGrandchildrenThatOutliveTheirParentsIsCounted() {
        Outcome run = run("python", """
                import os, time
                for _ in range(2):
                    if os.fork() == 0:
                        if os.fork() == 0:
                            while True: pass   # orphaned grandchild, never waited for
                        os._exit(0)
                os.wait(); os.wait()
                time.sleep(7)
                """, ROOMY);
        assertEquals(Verdict.TIME_LIMIT_EXCEEDED, run.verdict(), run::describe);
        assertTrue(run.result().message().startsWith("CPU"), run::describe);
        assertTrue(run.elapsedMs() < 5000, "killed at the CPU limit, not the wall clock: " + run.describe());
    }

    @Test
    void memoryHeldByAChildNobodyWaitsForIsCounted() {
        Outcome run = run("python", """
                import os, time
                if os.fork() == 0:
                    hoard = bytearray(100 * 1024 * 1024)
                    for i in range(0, len(hoard), 4096): hoard[i] = 1
                    time.sleep(30)
                time.sleep(6)
                """, ROOMY);
        assertEquals(Verdict.MEMORY_LIMIT_EXCEEDED, run.verdict(), run::describe);
    }

    @Test
    void memoryInAMemfdIsCounted() {
        Outcome run = run("python", """
                import os, time
                fds = [os.memfd_create('hoard%d' % i) for i in range(5)]
                for fd in fds:
                    for _ in range(20):
                        os.write(fd, b'x' * (1024 * 1024))   # 5 x 20 MiB, each under the file size limit
                time.sleep(6)
                """, new LimitsRequest(1000, 8000, 64, OUTPUT_CAP, 32, 32L * 1024 * 1024));
        assertEquals(Verdict.MEMORY_LIMIT_EXCEEDED, run.verdict(), run::describe);
    }

    @Test
    void theLauncherIsOutOfReachOfSignalsLimitsAndNiceness() {
        Outcome run = run("python", """
                import os, resource, signal
                me = os.getpid()
                pids = sorted(int(p) for p in os.listdir('/proc') if p.isdigit())
                # PID 1 is the run's own init (forked from the launcher); the launcher itself lives outside.
                launcher = [p for p in pids if p != 1 and b'codeexec' in open(f'/proc/{p}/cmdline', 'rb').read()]
                print('launcher visible', launcher)
                for pid in [p for p in pids if p != me] + [1]:
                    for name, attack in (('prlimit', lambda p: resource.prlimit(p, resource.RLIMIT_NOFILE, (3, 3))),
                                         ('nice', lambda p: os.setpriority(os.PRIO_PROCESS, p, 19)),
                                         ('stop', lambda p: os.kill(p, signal.SIGSTOP)),
                                         ('kill', lambda p: os.kill(p, signal.SIGKILL))):
                        try:
                            attack(pid)
                        except OSError:
                            pass
                print('still here')
                """);
        assertEquals(Verdict.OK, run.verdict(), run::describe);
        assertEquals("launcher visible []\nstill here\n", run.stdout(), run::describe);
    }

    @Test
    void namespaceMountKeyringAndBpfCallsAreRefused() {
        Outcome run = run("python", """
                import ctypes, os
                libc = ctypes.CDLL(None, use_errno=True)
                def outcome(rc):
                    return 'denied' if rc == -1 else 'allowed'
                for name, flags in (('user', os.CLONE_NEWUSER), ('mount', os.CLONE_NEWNS), ('pid', os.CLONE_NEWPID)):
                    try:
                        os.unshare(flags); print('unshare', name, 'allowed')
                    except OSError:
                        print('unshare', name, 'denied')
                try:
                    fd = os.open('/proc/self/ns/net', os.O_RDONLY)
                    os.setns(fd, 0); print('setns allowed')
                except OSError:
                    print('setns denied')
                print('mount', outcome(libc.mount(b'none', b'/sandbox', b'tmpfs', 0, None)))
                print('keyctl', outcome(libc.syscall(250, 0, 0, 0, 0, 0)))   # KEYCTL_GET_KEYRING_ID
                print('add_key', outcome(libc.syscall(248, b'user', b'k', b'v', 1, -2)))
                print('bpf', outcome(libc.syscall(321, 0, None, 0)))
                print('userfaultfd', outcome(libc.syscall(323, 0)))
                print('perf_event_open', outcome(libc.syscall(298, None, 0, -1, -1, 0)))
                """);
        assertEquals(Verdict.OK, run.verdict(), run::describe);
        assertEquals(List.of("unshare user denied", "unshare mount denied", "unshare pid denied", "setns denied",
                "mount denied", "keyctl denied", "add_key denied", "bpf denied", "userfaultfd denied",
                "perf_event_open denied"), run.stdout().lines().toList(), run::describe);
    }

    @Test
    void nothingAJobLeavesReachesTheNextJobOnTheSameHost() throws Exception {
        String litter = """
                import ctypes, os, socket, time
                libc = ctypes.CDLL(None, use_errno=True)
                print('shm', libc.shmget(0x5eed, 4096, 0o1666) >= 0)           # IPC_CREAT | 0666
                open('/sandbox/left-behind', 'w').write('x')
                if os.fork() == 0:
                    s = socket.socket(socket.AF_UNIX); s.bind('\\0codeexec-leftover'); s.listen()
                    time.sleep(60)
                time.sleep(0.3)
                """;
        String look = """
                import ctypes, os, socket
                libc = ctypes.CDLL(None, use_errno=True)
                print('shm', libc.shmget(0x5eed, 0, 0) >= 0)
                print('file', os.path.exists('/sandbox/left-behind'))
                s = socket.socket(socket.AF_UNIX)
                try:
                    s.connect('\\0codeexec-leftover'); print('socket', True)
                except OSError:
                    print('socket', False)
                print('processes', sorted(int(p) for p in os.listdir('/proc') if p.isdigit()) == [1, os.getpid()])
                """;
        try (LocalSandbox single = LocalSandbox.connect(LocalSandbox.config("leftovers-it", SandboxConfig.Isolation.NESTED), 1)) {
            JobResult first = runOn(single, "litter", litter);
            assertEquals("shm True\n", first.stdout(), first.toString());
            Set<String> host = single.containerIds();
            JobResult second = runOn(single, "look", look);
            assertEquals("shm False\nfile False\nsocket False\nprocesses True\n", second.stdout(), second.toString());
            assertEquals(host, single.containerIds(), "both jobs ran on the same host");
        }
    }

    @Test
    void inotifyExhaustionByOneJobDoesNotStarveAConcurrentOne() throws Exception {
        CompletableFuture<Outcome> hog = CompletableFuture.supplyAsync(() -> run("python", """
                import ctypes, time
                libc = ctypes.CDLL(None, use_errno=True)
                held = 0
                while libc.inotify_init() >= 0:
                    held += 1
                print('held', held > 0, flush=True)
                time.sleep(4)
                """, ROOMY));
        Thread.sleep(1500);
        Outcome other = run("python", """
                import ctypes
                print('inotify', ctypes.CDLL(None).inotify_init() >= 0)
                """);
        assertEquals("inotify True\n", other.stdout(), other::describe);
        Outcome hogged = hog.get(30, TimeUnit.SECONDS);
        assertEquals("held True\n", hogged.stdout(), hogged::describe);
    }

    @Test
    void memoryHeldInTmpfsFilesCountsAgainstEveryTestOfAGradedCJobAt32Mb() {
        // The file size limit allows 64 MiB, memory only 32 MiB: the test's tmpfs pages are memory of the run.
        String code = """
                #include <stdio.h>
                #include <string.h>
                #include <unistd.h>
                int main(void) {
                    static char block[1 << 20];
                    memset(block, 'x', sizeof block);
                    FILE *f = fopen("hoard.bin", "w");
                    for (int i = 0; i < 60 && f; i++) fwrite(block, 1, sizeof block, f);
                    if (f) fflush(f);
                    sleep(5);
                    puts("kept");
                    return 0;
                }
                """;
        List<TestCase> tests = List.of(new TestCase("first", "", "kept\n", List.of()),
                new TestCase("second", "", "kept\n", List.of()));
        JobRequest request = new JobRequest("c", code, "", List.of(), LimitPolicy.standard().resolve(
                new LimitsRequest(2000, 8000, 32, OUTPUT_CAP, 32, 64L * 1024 * 1024, null, null)), null, tests,
                Comparison.TRIMMED, false, List.of());
        JobResult result = sandbox.run("tmpfs-hoard-" + System.nanoTime(), CATALOG.find("c").orElseThrow(), request,
                () -> true);
        assertEquals(Verdict.MEMORY_LIMIT_EXCEEDED, result.verdict(), result.toString());
        assertEquals(List.of(Verdict.MEMORY_LIMIT_EXCEEDED, Verdict.MEMORY_LIMIT_EXCEEDED),
                result.tests().stream().map(TestResult::verdict).toList(), result.toString());
    }

    @Test
    void messageQueueExhaustionByOneJobDoesNotStarveAConcurrentOne() throws Exception {
        String open = """
                import ctypes, os, time
                libc = ctypes.CDLL(None, use_errno=True)
                libc.mq_open.restype = ctypes.c_int
                def opened(name):
                    return libc.mq_open(name.encode(), os.O_CREAT | os.O_RDWR, 0o600, None) >= 0
                """;
        CompletableFuture<Outcome> hog = CompletableFuture.supplyAsync(() -> run("python", open + """
                held = 0
                while held < 10000 and opened('/hog%d' % held):
                    held += 1
                print('held', held > 0, 'exhausted', held < 10000, flush=True)
                time.sleep(4)
                """, ROOMY));
        Thread.sleep(1500);
        Outcome other = run("python", open + "print('mqueue', opened('/mine'))\n");
        assertEquals("mqueue True\n", other.stdout(), other::describe);
        Outcome hogged = hog.get(30, TimeUnit.SECONDS);
        assertEquals("held True exhausted True\n", hogged.stdout(), hogged::describe);
    }

    private static JobResult runOn(LocalSandbox sandbox, String name, String code) {
        JobRequest request = new JobRequest("python", code, "", List.of(), LimitPolicy.standard().resolve(ROOMY));
        return sandbox.sandbox().run(name + "-" + System.nanoTime(), CATALOG.find("python").orElseThrow(), request,
                () -> true);
    }
}
