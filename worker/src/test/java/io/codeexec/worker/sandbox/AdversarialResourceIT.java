package io.codeexec.worker.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codeexec.common.job.LimitsRequest;
import io.codeexec.common.job.Verdict;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Attacks on the sandbox's resource limits: processes, memory, disk, output, CPU and wall time,
 * children that outlive the program, and signals. Each must end in the one expected verdict, leave
 * no container behind, and leave the sandbox serving the next job (see {@link SandboxFixture}).
 */
class AdversarialResourceIT extends SandboxFixture {
    private static final int MIB = 1024 * 1024;
    /** The tmpfs is the file limit plus 2 MiB of headroom (Hardening); the file limit defaults to 1 MiB. */
    private static final long TMPFS_BYTES = 3L * MIB;
    private static final Pattern STOPPED = Pattern.compile("stopped after (\\d+) (\\w+)");

    private static final Map<String, String> FORK_BOMB = Map.of(
            "python", """
                    import os
                    while True:
                        try:
                            os.fork()
                        except OSError:
                            pass
                    """,
            "javascript", """
                    const { spawn } = require('child_process');
                    for (;;) { try { spawn('sleep', ['3600'], { stdio: 'ignore' }); } catch (e) {} }
                    """,
            "ruby", "loop { fork rescue nil }\n");

    @ParameterizedTest
    @ValueSource(strings = {"python", "javascript", "ruby"})
    void forkBombIsContainedByThePidsLimit(String language) {
        Outcome run = run(language, FORK_BOMB.get(language), new LimitsRequest(1000, 3000, 256, OUTPUT_CAP, 32, null));
        assertTrue(Set.of(Verdict.RUNTIME_ERROR, Verdict.TIME_LIMIT_EXCEEDED).contains(run.verdict()), run::describe);
    }

    private static final Map<String, String> FAST_MEMORY_BOMB = Map.of(
            "python", """
                    x = []
                    while True:
                        x.append(bytes([len(x) % 256]) * (10 << 20))
                    """,
            "javascript", "const a = []; for (;;) a.push(Buffer.alloc(10 << 20, a.length % 255 + 1));\n",
            "ruby", "a = []; loop { a << ((a.size % 256).chr * (10 << 20)) }\n");

    @ParameterizedTest
    @ValueSource(strings = {"python", "javascript", "ruby"})
    void fastMemoryBombIsAMemoryLimit(String language) {
        Outcome run = run(language, FAST_MEMORY_BOMB.get(language), new LimitsRequest(2000, 6000, 64, OUTPUT_CAP, null, null));
        assertEquals(Verdict.MEMORY_LIMIT_EXCEEDED, run.verdict(), run::describe);
        assertTrue(run.result().message().contains("64 MB"), run::describe);
    }

    private static final Map<String, String> SLOW_MEMORY_BOMB = Map.of(
            "python", """
                    import time
                    x = []
                    while True:
                        x.append(bytes([len(x) % 256]) * (1 << 20))
                        time.sleep(0.01)
                    """,
            "javascript", "const a = []; setInterval(() => a.push(Buffer.alloc(1 << 20, a.length % 255 + 1)), 10);\n",
            "ruby", "a = []; loop { a << ((a.size % 256).chr * (1 << 20)); sleep 0.01 }\n");

    @ParameterizedTest
    @ValueSource(strings = {"python", "javascript", "ruby"})
    void slowMemoryBombIsAMemoryLimit(String language) {
        Outcome run = run(language, SLOW_MEMORY_BOMB.get(language), new LimitsRequest(2000, 8000, 64, OUTPUT_CAP, null, null));
        assertEquals(Verdict.MEMORY_LIMIT_EXCEEDED, run.verdict(), run::describe);
    }

    /** Files of 512 KiB each stay under RLIMIT_FSIZE, so only the tmpfs size can stop them. */
    private static final Map<String, String> FILL_TMPFS = Map.of(
            "python", """
                    import errno
                    n = 0
                    try:
                        for i in range(1000):
                            with open(f'f{i}', 'wb', buffering=0) as f:
                                for _ in range(8):
                                    f.write(b'x' * 65536)
                                    n += 65536
                    except OSError as e:
                        print('stopped after', n, errno.errorcode[e.errno])
                        raise
                    """,
            "javascript", """
                    const fs = require('fs');
                    const chunk = Buffer.alloc(65536, 120);
                    let n = 0;
                    try {
                      for (let i = 0; i < 1000; i++) {
                        const fd = fs.openSync('f' + i, 'w');
                        for (let j = 0; j < 8; j++) { fs.writeSync(fd, chunk); n += 65536; }
                        fs.closeSync(fd);
                      }
                    } catch (e) { console.log('stopped after', n, e.code); process.exit(1); }
                    """,
            "ruby", """
                    n = 0
                    begin
                      1000.times do |i|
                        File.open("f#{i}", 'wb') { |f| 8.times { f.syswrite('x' * 65536); n += 65536 } }
                      end
                    rescue SystemCallError => e
                      puts "stopped after #{n} #{e.class.name.split('::').last}"
                      exit 1
                    end
                    """);

    @ParameterizedTest
    @ValueSource(strings = {"python", "javascript", "ruby"})
    void fillingTheTmpfsEndsInNoSpace(String language) {
        Outcome run = run(language, FILL_TMPFS.get(language));
        assertEquals(Verdict.RUNTIME_ERROR, run.verdict(), run::describe);
        Matcher stopped = STOPPED.matcher(run.stdout());
        assertTrue(stopped.find(), run::describe);
        assertEquals("ENOSPC", stopped.group(2), run::describe);
        assertTrue(Long.parseLong(stopped.group(1)) <= TMPFS_BYTES + 65536, run::describe);
    }

    /** One growing file meets RLIMIT_FSIZE (1 MiB) first: EFBIG where SIGXFSZ is ignored, else SIGXFSZ. */
    private static final Map<String, String> GROW_ONE_FILE = Map.of(
            "python", """
                    import errno
                    n = 0
                    try:
                        with open('big', 'wb', buffering=0) as f:
                            while True:
                                f.write(b'x' * 65536)
                                n += 65536
                    except OSError as e:
                        print('stopped after', n, errno.errorcode[e.errno])
                        raise
                    """,
            "javascript", """
                    const fs = require('fs');
                    const chunk = Buffer.alloc(65536, 120);
                    let n = 0;
                    const fd = fs.openSync('big', 'w');
                    try { for (;;) { fs.writeSync(fd, chunk); n += 65536; } }
                    catch (e) { console.log('stopped after', n, e.code); process.exit(1); }
                    """,
            "ruby", """
                    n = 0
                    begin
                      File.open('big', 'wb') { |f| loop { f.syswrite('x' * 65536); n += 65536 } }
                    rescue SystemCallError => e
                      puts "stopped after #{n} #{e.class.name.split('::').last}"
                      exit 1
                    end
                    """);

    @ParameterizedTest
    @ValueSource(strings = {"python", "javascript", "ruby"})
    void growingOneFileMeetsTheFileSizeLimit(String language) {
        Outcome run = run(language, GROW_ONE_FILE.get(language));
        assertEquals(Verdict.RUNTIME_ERROR, run.verdict(), run::describe);
        Matcher stopped = STOPPED.matcher(run.stdout());
        if (stopped.find()) {
            assertEquals("EFBIG", stopped.group(2), run::describe);
            assertTrue(Long.parseLong(stopped.group(1)) <= MIB, run::describe);
        } else {
            assertEquals("SIGXFSZ", run.result().signal(), run::describe);
            assertTrue(run.result().message().contains("File size limit"), run::describe);
        }
    }

    private static final Map<String, String> FLOOD = Map.of(
            "python", """
                    import sys
                    chunk = b'x' * (1 << 20)
                    for _ in range(1024):
                        sys.STREAM.buffer.write(chunk)
                    """,
            "javascript", """
                    const fs = require('fs');
                    const chunk = Buffer.alloc(1 << 20, 120);
                    for (let i = 0; i < 1024; i++) fs.writeSync(FD, chunk);
                    """,
            "ruby", "chunk = 'x' * (1 << 20); 1024.times { $STREAM.write(chunk) }\n");

    private static final LimitsRequest FLOOD_LIMITS = new LimitsRequest(5000, 10_000, 64, OUTPUT_CAP, null, null);

    @ParameterizedTest
    @ValueSource(strings = {"python", "javascript", "ruby"})
    void gibibyteOnStdoutIsCutAtTheCapQuickly(String language) {
        Outcome run = run(language, FLOOD.get(language).replace("STREAM", "stdout").replace("FD", "1"), FLOOD_LIMITS);
        assertEquals(Verdict.OUTPUT_LIMIT_EXCEEDED, run.verdict(), run::describe);
        assertEquals(OUTPUT_CAP, run.stdout().length(), run::describe);
        assertEquals("x".repeat(OUTPUT_CAP), run.stdout());
        assertTrue(run.result().stdoutTruncated(), run::describe);
        assertTrue(run.result().message().startsWith("stdout"), run::describe);
        assertTrue(run.result().wallTimeMs() < 3000, run::describe); // killed at the cap, not at the 10 s wall
    }

    @ParameterizedTest
    @ValueSource(strings = {"python", "javascript", "ruby"})
    void gibibyteOnStderrIsCutAtTheCapQuickly(String language) {
        Outcome run = run(language, FLOOD.get(language).replace("STREAM", "stderr").replace("FD", "2"), FLOOD_LIMITS);
        assertEquals(Verdict.OUTPUT_LIMIT_EXCEEDED, run.verdict(), run::describe);
        assertEquals(OUTPUT_CAP, run.stderr().length(), run::describe);
        assertEquals("x".repeat(OUTPUT_CAP), run.stderr());
        assertTrue(run.result().stderrTruncated(), run::describe);
        assertTrue(run.result().message().startsWith("stderr"), run::describe);
        assertTrue(run.result().wallTimeMs() < 3000, run::describe); // killed at the cap, not at the 10 s wall
    }

    private static final Map<String, String> ONE_HUGE_LINE = Map.of(
            "python", "import sys\nsys.stdout.buffer.write(b'x' * (100 << 20))\n",
            "javascript", "require('fs').writeSync(1, Buffer.alloc(100 << 20, 120));\n",
            "ruby", "$stdout.write('x' * (100 << 20))\n");

    @ParameterizedTest
    @ValueSource(strings = {"python", "javascript", "ruby"})
    void singleHundredMebibyteLineIsAnOutputLimit(String language) {
        Outcome run = run(language, ONE_HUGE_LINE.get(language), new LimitsRequest(5000, 10_000, 384, OUTPUT_CAP, null, null));
        assertEquals(Verdict.OUTPUT_LIMIT_EXCEEDED, run.verdict(), run::describe);
        assertEquals(OUTPUT_CAP, run.stdout().length(), run::describe);
        assertTrue(run.result().stdoutTruncated(), run::describe);
    }

    private static final Map<String, String> INFINITE_LOOP = Map.of(
            "python", "while True: pass\n",
            "javascript", "for (;;) {}\n",
            "ruby", "loop {}\n");

    @ParameterizedTest
    @ValueSource(strings = {"python", "javascript", "ruby"})
    void infiniteLoopIsACpuTimeLimit(String language) {
        // A wall clock far above the CPU limit, so a loaded host cannot turn the CPU verdict into a wall one.
        Outcome run = run(language, INFINITE_LOOP.get(language), new LimitsRequest(1000, 10_000, 64, OUTPUT_CAP, null, null));
        assertEquals(Verdict.TIME_LIMIT_EXCEEDED, run.verdict(), run::describe);
        assertTrue(run.result().message().contains("CPU"), run::describe);
    }

    private static final Map<String, String> SLEEP = Map.of(
            "python", "import time\ntime.sleep(3600)\n",
            "javascript", "setTimeout(() => {}, 3600 * 1000);\n",
            "ruby", "sleep 3600\n");

    @ParameterizedTest
    @ValueSource(strings = {"python", "javascript", "ruby"})
    void sleepingAnHourIsAWallTimeLimit(String language) {
        Outcome run = run(language, SLEEP.get(language), new LimitsRequest(1000, 2000, 64, OUTPUT_CAP, null, null));
        assertEquals(Verdict.TIME_LIMIT_EXCEEDED, run.verdict(), run::describe);
        assertTrue(run.result().message().contains("Wall"), run::describe);
        assertTrue(run.elapsedMs() < 10_000, run::describe);
    }

    /** Children in their own sessions, one still holding stdout, then the parent exits with 3. */
    private static final Map<String, String> SURVIVORS = Map.of(
            "python", """
                    import os, subprocess, sys, time
                    pid = os.fork()
                    if pid == 0:
                        os.setsid()
                        if os.fork() == 0:
                            time.sleep(3600)
                        os._exit(0)
                    os.waitpid(pid, 0)
                    subprocess.Popen(['sleep', '3600'], start_new_session=True)
                    print('parent done')
                    sys.exit(3)
                    """,
            "javascript", """
                    const { spawn } = require('child_process');
                    spawn('sleep', ['3600'], { detached: true, stdio: 'inherit' }).unref();
                    spawn('sh', ['-c', '(sleep 3600 &); exit 0'], { detached: true, stdio: 'ignore' }).unref();
                    console.log('parent done');
                    process.exitCode = 3;
                    """,
            "ruby", """
                    pid = fork { Process.setsid; fork { sleep 3600 }; exit!(0) }
                    Process.wait(pid)
                    Process.detach(spawn('sleep', '3600', pgroup: true))
                    puts 'parent done'
                    exit 3
                    """);

    @ParameterizedTest
    @ValueSource(strings = {"python", "javascript", "ruby"})
    void childrenThatOutliveTheProgramDoNotKeepTheJob(String language) {
        Outcome run = run(language, SURVIVORS.get(language), new LimitsRequest(1000, 10_000, 64, OUTPUT_CAP, null, null));
        assertEquals(Verdict.RUNTIME_ERROR, run.verdict(), run::describe);
        assertEquals(3, run.result().exitCode(), run::describe);
        assertEquals("parent done\n", run.stdout(), run::describe);
        assertTrue(run.elapsedMs() < 9000, run::describe); // not held until the 10 s wall clock
    }

    @Test
    void daemonizedGrandchildLeavesAnOkVerdict() {
        Outcome run = run("python", """
                import os, time
                if os.fork() == 0:
                    os.setsid()
                    if os.fork() == 0:
                        os.close(1)
                        time.sleep(3600)
                    os._exit(0)
                os.wait()
                print('parent done')
                """, new LimitsRequest(1000, 10_000, 64, OUTPUT_CAP, null, null));
        assertEquals(Verdict.OK, run.verdict(), run::describe);
        assertEquals("parent done\n", run.stdout(), run::describe);
        assertTrue(run.elapsedMs() < 9000, run::describe); // not held until the 10 s wall clock
    }

    private static final Map<String, String> IGNORE_TERM = Map.of(
            "python", """
                    import signal, time
                    for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGQUIT):
                        signal.signal(s, signal.SIG_IGN)
                    print('ignoring', flush=True)
                    time.sleep(3600)
                    """,
            "javascript", """
                    for (const s of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(s, () => {});
                    console.log('ignoring');
                    setInterval(() => {}, 1000);
                    """,
            "ruby", "%w[TERM INT HUP QUIT].each { |s| trap(s) {} }\nputs 'ignoring'\n$stdout.flush\nsleep\n");

    @ParameterizedTest
    @ValueSource(strings = {"python", "javascript", "ruby"})
    void ignoringSigtermStillEndsAtTheWallClock(String language) {
        Outcome run = run(language, IGNORE_TERM.get(language), new LimitsRequest(1000, 2000, 64, OUTPUT_CAP, null, null));
        assertEquals(Verdict.TIME_LIMIT_EXCEEDED, run.verdict(), run::describe);
        assertTrue(run.result().message().contains("Wall"), run::describe);
        assertEquals("ignoring\n", run.stdout(), run::describe);
        assertTrue(run.elapsedMs() < 10_000, run::describe);
    }

    private static final Map<String, String> KILL_EVERYONE = Map.of(
            "python", "import os, time\nprint('before', flush=True)\nos.kill(-1, 9)\ntime.sleep(5)\nprint('survived')\n",
            "javascript", "console.log('before');\nprocess.kill(-1, 'SIGKILL');\nsetTimeout(() => console.log('survived'), 5000);\n",
            "ruby", "puts 'before'\n$stdout.flush\nProcess.kill(:KILL, -1)\nsleep 5\nputs 'survived'\n");

    @ParameterizedTest
    @ValueSource(strings = {"python", "javascript", "ruby"})
    void killingEveryProcessOfTheUidCannotTouchTheSupervisor(String language) {
        // kill(-1) spares the caller and PID 1, and the launcher is PID 1: there is nobody to kill, the
        // call fails with ESRCH, the program dies of the exception and the supervisor reports it.
        Outcome run = run(language, KILL_EVERYONE.get(language), new LimitsRequest(1000, 8000, 64, OUTPUT_CAP, null, null));
        assertEquals(Verdict.RUNTIME_ERROR, run.verdict(), run::describe);
        assertEquals(1, run.result().exitCode(), run::describe);
        assertEquals("Exited with code 1", run.result().message(), run::describe);
        assertEquals("before\n", run.stdout(), run::describe);
        assertTrue(run.result().stderr().contains("ESRCH") || run.result().stderr().contains("ProcessLookupError")
                || run.result().stderr().contains("No such process"), run::describe);
    }

    @Test
    void stoppingItselfIsAWallTimeLimit() {
        Outcome run = run("python", "import os, signal\nprint('stopping', flush=True)\nos.kill(os.getpid(), signal.SIGSTOP)\n",
                new LimitsRequest(1000, 2000, 64, OUTPUT_CAP, null, null));
        assertEquals(Verdict.TIME_LIMIT_EXCEEDED, run.verdict(), run::describe);
        assertTrue(run.result().message().contains("Wall"), run::describe);
        assertEquals("stopping\n", run.stdout(), run::describe);
    }
}
