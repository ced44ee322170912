package io.codeexec.worker.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codeexec.common.job.LimitsRequest;
import io.codeexec.common.job.Verdict;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Attacks on the sandbox's walls: the read-only root, the network, secrets in files and the
 * environment, and privilege (mount, ptrace, setuid, setuid bits, kernel knobs). Each program reports
 * what happened to every attempt; the test asserts every attempt failed.
 */
class AdversarialIsolationIT extends SandboxFixture {
    private static final LimitsRequest ROOMY = new LimitsRequest(3000, 8000, 64, OUTPUT_CAP, null, null);

    /** A program that tries to write each path and prints "wrote PATH" or "denied PATH ERRNO". */
    private static String writeAttempts(String language, List<String> paths) {
        return switch (language) {
            case "python" -> "import errno\nfor p in " + pyList(paths) + ":\n"
                    + "    try:\n"
                    + "        with open(p, 'w') as f:\n"
                    + "            f.write('x')\n"
                    + "        print('wrote', p)\n"
                    + "    except OSError as e:\n"
                    + "        print('denied', p, errno.errorcode[e.errno])\n";
            case "javascript" -> "const fs = require('fs');\nfor (const p of " + pyList(paths) + ") {\n"
                    + "  try { fs.writeFileSync(p, 'x'); console.log('wrote', p); }\n"
                    + "  catch (e) { console.log('denied', p, e.code); }\n"
                    + "}\n";
            case "ruby" -> pyList(paths) + ".each do |p|\n"
                    + "  File.write(p, 'x')\n"
                    + "  puts \"wrote #{p}\"\n"
                    + "rescue SystemCallError => e\n"
                    + "  puts \"denied #{p} #{e.class.name.split('::').last}\"\n"
                    + "end\n";
            default -> throw new IllegalArgumentException(language);
        };
    }

    private static String pyList(List<String> items) {
        return items.stream().map(s -> "'" + s + "'").collect(Collectors.joining(", ", "[", "]"));
    }

    private static void assertAllDenied(Outcome run, List<String> paths) {
        assertEquals(Verdict.OK, run.verdict(), run::describe);
        List<String> lines = run.stdout().lines().toList();
        assertEquals(paths.size(), lines.size(), run::describe);
        for (int i = 0; i < paths.size(); i++) {
            String line = lines.get(i);
            assertTrue(line.matches("denied " + java.util.regex.Pattern.quote(paths.get(i)) + " E[A-Z]+"),
                    () -> "not denied: " + line + "\n" + run.describe());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"python", "javascript", "ruby"})
    void writesOutsideTheTmpfsFail(String language) {
        List<String> paths = List.of("/etc/x", "/tmp/x", "/usr/x", "/var/tmp/x", "/x", "/dev/x", "/dev/shm/x",
                "/usr/local/bin/codeexec-launch");
        Outcome run = run(language, writeAttempts(language, paths));
        assertAllDenied(run, paths);
        assertTrue(run.stdout().contains("denied /etc/x EROFS") || run.stdout().contains("denied /etc/x EACCES"), run::describe);
        assertTrue(run.stdout().contains("denied /tmp/x EROFS"), run::describe);
    }

    @ParameterizedTest
    @ValueSource(strings = {"python", "javascript", "ruby"})
    void kernelKnobsInProcAndSysAreReadOnly(String language) {
        List<String> paths = List.of("/proc/sys/kernel/hostname", "/proc/sys/kernel/core_pattern", "/proc/sys/vm/drop_caches",
                "/proc/sysrq-trigger", "/sys/kernel/mm/transparent_hugepage/enabled", "/sys/kernel/uevent_helper",
                "/sys/fs/cgroup/pids/pids.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes");
        Outcome run = run(language, writeAttempts(language, paths));
        assertAllDenied(run, paths);
        assertTrue(run.stdout().contains("denied /proc/sys/kernel/hostname EROFS"), run::describe);
    }

    private static final Map<String, String> NETWORK = Map.of(
            "python", """
                    import os, socket
                    for host, port in (('1.1.1.1', 53), ('172.17.0.1', 6379)):
                        try:
                            socket.create_connection((host, port), timeout=2).close()
                            print('connected', host, port)
                        except OSError as e:
                            print('blocked', host, port, type(e).__name__)
                    try:
                        print('resolved', socket.getaddrinfo('example.com', 80)[0][4][0])
                    except OSError as e:
                        print('blocked example.com', type(e).__name__)
                    print('interfaces', ' '.join(sorted(os.listdir('/sys/class/net'))))
                    """,
            "javascript", """
                    const net = require('net'), dns = require('dns'), fs = require('fs');
                    function tryConnect(host, port) {
                      return new Promise(done => {
                        const s = net.connect({ host, port, timeout: 2000 });
                        s.on('connect', () => { console.log('connected', host, port); s.destroy(); done(); });
                        s.on('timeout', () => { console.log('blocked', host, port, 'timeout'); s.destroy(); done(); });
                        s.on('error', e => { console.log('blocked', host, port, e.code); done(); });
                      });
                    }
                    (async () => {
                      await tryConnect('1.1.1.1', 53);
                      await tryConnect('172.17.0.1', 6379);
                      await new Promise(done => dns.lookup('example.com', (e, a) => {
                        console.log(e ? 'blocked example.com ' + e.code : 'resolved ' + a); done(); }));
                      console.log('interfaces', fs.readdirSync('/sys/class/net').sort().join(' '));
                    })();
                    """,
            "ruby", """
                    require 'socket'
                    [['1.1.1.1', 53], ['172.17.0.1', 6379]].each do |h, p|
                      Socket.tcp(h, p, connect_timeout: 2).close
                      puts "connected #{h} #{p}"
                    rescue SystemCallError, SocketError, IOError => e
                      puts "blocked #{h} #{p} #{e.class.name.split('::').last}"
                    end
                    begin
                      puts "resolved #{Addrinfo.getaddrinfo('example.com', 80).first.ip_address}"
                    rescue SocketError, SystemCallError => e
                      puts "blocked example.com #{e.class.name}"
                    end
                    puts "interfaces #{Dir.children('/sys/class/net').sort.join(' ')}"
                    """);

    @ParameterizedTest
    @ValueSource(strings = {"python", "javascript", "ruby"})
    void noNetworkAtAll(String language) {
        Outcome run = run(language, NETWORK.get(language), new LimitsRequest(2000, 10_000, 64, OUTPUT_CAP, null, null));
        assertEquals(Verdict.OK, run.verdict(), run::describe);
        List<String> lines = run.stdout().lines().toList();
        assertEquals(4, lines.size(), run::describe);
        assertTrue(lines.get(0).startsWith("blocked 1.1.1.1 53 "), run::describe);
        assertTrue(lines.get(1).startsWith("blocked 172.17.0.1 6379 "), run::describe);
        assertTrue(lines.get(2).startsWith("blocked example.com "), run::describe);
        assertEquals("interfaces lo", lines.get(3), run::describe);
    }

    private static final Map<String, String> SECRETS = Map.of(
            "python", """
                    import os
                    try:
                        open('/etc/shadow').read()
                        print('shadow readable')
                    except OSError as e:
                        print('shadow denied', type(e).__name__)
                    try:
                        for entry in open('/proc/1/environ', 'rb').read().split(b'\\0'):
                            if entry:
                                print('pid1 ' + entry.decode())
                    except OSError as e:
                        print('pid1 denied', type(e).__name__)
                    for k, v in os.environ.items():
                        print('env ' + k + '=' + v)
                    """,
            "javascript", """
                    const fs = require('fs');
                    try { fs.readFileSync('/etc/shadow'); console.log('shadow readable'); }
                    catch (e) { console.log('shadow denied', e.code); }
                    try {
                      for (const entry of fs.readFileSync('/proc/1/environ', 'latin1').split('\\0'))
                        if (entry) console.log('pid1 ' + entry);
                    } catch (e) { console.log('pid1 denied', e.code); }
                    for (const [k, v] of Object.entries(process.env)) console.log('env ' + k + '=' + v);
                    """,
            "ruby", """
                    begin
                      File.read('/etc/shadow')
                      puts 'shadow readable'
                    rescue SystemCallError => e
                      puts "shadow denied #{e.class.name}"
                    end
                    begin
                      File.binread('/proc/1/environ').split("\\0").each { |entry| puts "pid1 #{entry}" unless entry.empty? }
                    rescue SystemCallError => e
                      puts "pid1 denied #{e.class.name}"
                    end
                    ENV.each { |k, v| puts "env #{k}=#{v}" }
                    """);

    /** What Hardening sets, what Docker adds, and what the runner images declare. */
    private static final Set<String> HARMLESS = Set.of("PATH", "HOME", "TMPDIR", "LANG", "HOSTNAME", "PYTHONDONTWRITEBYTECODE");

    @ParameterizedTest
    @ValueSource(strings = {"python", "javascript", "ruby"})
    void noSecretsInFilesOrTheEnvironment(String language) {
        Outcome run = run(language, SECRETS.get(language));
        assertEquals(Verdict.OK, run.verdict(), run::describe);
        List<String> lines = run.stdout().lines().toList();
        assertTrue(lines.get(0).startsWith("shadow denied"), run::describe);

        Map<String, String> seen = new java.util.LinkedHashMap<>();
        for (String line : lines) {
            if ((line.startsWith("env ") || line.startsWith("pid1 ")) && line.contains("=")) {
                String entry = line.substring(line.indexOf(' ') + 1);
                seen.put(entry.substring(0, entry.indexOf('=')), entry.substring(entry.indexOf('=') + 1));
            }
        }
        assertTrue(seen.keySet().containsAll(Set.of("PATH", "HOME", "TMPDIR", "LANG")), run::describe);
        assertTrue(HARMLESS.containsAll(seen.keySet()), () -> "unexpected variables " + seen.keySet() + "\n" + run.describe());
        for (String name : seen.keySet()) {
            assertFalse(name.matches("(?i).*(REDIS|DOCKER|JAVA|AWS_|SECRET|TOKEN|PASSWORD|KEY).*"), name);
        }
        Set<String> fromJvm = new HashSet<>(System.getenv().keySet());
        fromJvm.removeAll(HARMLESS); // same name only by coincidence, e.g. PYTHONDONTWRITEBYTECODE from the image
        fromJvm.retainAll(seen.keySet());
        assertTrue(fromJvm.isEmpty(), () -> "the test JVM's variables leaked: " + fromJvm);
        Set<String> harmlessValues = new HashSet<>(seen.values());
        List<String> leakedValues = new ArrayList<>();
        System.getenv().forEach((name, value) -> {
            if (!Set.of("PATH", "HOME", "LANG", "HOSTNAME").contains(name) && value.length() >= 8
                    && !harmlessValues.contains(value) && run.stdout().contains(value)) {
                leakedValues.add(name);
            }
        });
        assertTrue(leakedValues.isEmpty(), () -> "values of the test JVM's variables leaked: " + leakedValues);
    }

    @ParameterizedTest
    @ValueSource(strings = {"python", "javascript", "ruby"})
    void runsAsNonRootWithoutCapabilitiesAndWithNoNewPrivs(String language) {
        String code = switch (language) {
            case "python" -> "import os\nprint('uid', os.getuid(), os.geteuid(), os.getgid())\n"
                    + "print(open('/proc/self/status').read(), end='')\n";
            case "javascript" -> "console.log('uid', process.getuid(), process.geteuid(), process.getgid());\n"
                    + "process.stdout.write(require('fs').readFileSync('/proc/self/status', 'utf8'));\n";
            default -> "puts \"uid #{Process.uid} #{Process.euid} #{Process.gid}\"\nprint File.read('/proc/self/status')\n";
        };
        Outcome run = run(language, code);
        assertEquals(Verdict.OK, run.verdict(), run::describe);
        // uid 1000 of the run's own user namespace, mapped onto its host's outer uid (never root).
        assertTrue(run.stdout().startsWith("uid 1000 1000 1000\n"), run::describe);
        Map<String, String> status = run.stdout().lines().filter(l -> l.contains(":\t"))
                .collect(Collectors.toMap(l -> l.substring(0, l.indexOf(':')), l -> l.substring(l.indexOf('\t') + 1).strip(), (a, b) -> a));
        for (String set : List.of("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb")) {
            assertEquals("0000000000000000", status.get(set), () -> set + "\n" + run.describe());
        }
        assertEquals("1", status.get("NoNewPrivs"), run::describe);
        assertEquals("2", status.get("Seccomp"), run::describe);
        assertNotEquals("0", status.get("Uid").split("\\s+")[0]);
    }

    private static final Map<String, String> SETUID_ROOT = Map.of(
            "python", """
                    import os
                    for name, call in (('setuid', os.setuid), ('setgid', os.setgid)):
                        try:
                            call(0)
                            print(name, 'succeeded')
                        except OSError:  # EPERM, or EINVAL: uid 0 is not even mapped in the run's namespace
                            print(name, 'denied')
                    """,
            "javascript", """
                    for (const name of ['setuid', 'setgid']) {
                      try { process[name](0); console.log(name, 'succeeded'); }
                      catch (e) { console.log(name, 'denied'); }
                    }
                    """,
            "ruby", """
                    %w[setuid setgid].each do |name|
                      Process::Sys.send(name, 0)
                      puts "#{name} succeeded"
                    rescue Errno::EPERM, Errno::EINVAL
                      puts "#{name} denied"
                    end
                    """);

    @ParameterizedTest
    @ValueSource(strings = {"python", "javascript", "ruby"})
    void becomingRootIsRefused(String language) {
        Outcome run = run(language, SETUID_ROOT.get(language));
        assertEquals(Verdict.OK, run.verdict(), run::describe);
        assertEquals("setuid denied\nsetgid denied\n", run.stdout(), run::describe);
    }

    private static final Map<String, String> MOUNT = Map.of(
            "python", """
                    import subprocess
                    try:
                        r = subprocess.run(['mount', '-t', 'tmpfs', 'none', '/mnt'], capture_output=True)
                        print('mount exit', r.returncode)
                    except OSError as e:
                        print('mount missing', type(e).__name__)
                    """,
            "javascript", """
                    const r = require('child_process').spawnSync('mount', ['-t', 'tmpfs', 'none', '/mnt']);
                    console.log(r.error ? 'mount missing ' + r.error.code : 'mount exit ' + r.status);
                    """,
            "ruby", """
                    ok = system('mount', '-t', 'tmpfs', 'none', '/mnt', out: File::NULL, err: File::NULL)
                    puts ok.nil? ? 'mount missing' : "mount exit #{$?.exitstatus}"
                    """);

    @ParameterizedTest
    @ValueSource(strings = {"python", "javascript", "ruby"})
    void mountingIsRefused(String language) {
        Outcome run = run(language, MOUNT.get(language));
        assertEquals(Verdict.OK, run.verdict(), run::describe);
        assertTrue(run.stdout().matches("mount (exit [1-9]\\d*|missing.*)\n"), run::describe);
    }

    @Test
    void mountAndNamespaceSyscallsAreRefused() {
        Outcome run = run("python", """
                import ctypes, os
                libc = ctypes.CDLL(None, use_errno=True)
                rc = libc.mount(b'none', b'/mnt', b'tmpfs', 0, None)
                print('mount', rc, os.strerror(ctypes.get_errno()))
                for name, flags in (('user', os.CLONE_NEWUSER), ('mount', os.CLONE_NEWNS), ('net', os.CLONE_NEWNET)):
                    try:
                        os.unshare(flags)
                        print('unshare', name, 'succeeded')
                    except OSError as e:
                        print('unshare', name, 'denied')
                """);
        assertEquals(Verdict.OK, run.verdict(), run::describe);
        assertEquals(List.of("mount -1", "unshare user denied", "unshare mount denied", "unshare net denied"),
                run.stdout().lines().map(l -> l.startsWith("mount") ? l.substring(0, 8) : l).toList(), run::describe);
    }

    private static final String PTRACE_ATTACH = """
            import ctypes, os
            libc = ctypes.CDLL(None, use_errno=True)
            libc.ptrace.argtypes = [ctypes.c_long, ctypes.c_long, ctypes.c_void_p, ctypes.c_void_p]
            libc.ptrace.restype = ctypes.c_long
            rc = libc.ptrace(16, TARGET, None, None)  # PTRACE_ATTACH
            print('attach', rc, os.strerror(ctypes.get_errno()) if rc else 'attached')
            """;

    @Test
    void ptraceOfTheLauncherIsRefused() {
        Outcome run = run("python", PTRACE_ATTACH.replace("TARGET", "os.getppid()"));
        assertEquals(Verdict.OK, run.verdict(), run::describe);
        assertTrue(run.stdout().startsWith("attach -1 "), run::describe);
    }

    // PID 1 is the launcher, which is non-dumpable: without CAP_SYS_PTRACE nobody may attach to it (this
    // kernel has no Yama and the default seccomp profile allows ptrace, so that is what stops it).
    @Test
    void ptraceOfPidOneIsRefused() {
        Outcome run = run("python", PTRACE_ATTACH.replace("TARGET", "1"));
        assertEquals(Verdict.OK, run.verdict(), run::describe);
        assertTrue(run.stdout().startsWith("attach -1 "), run::describe);
    }

    @Test
    void setuidBitOnACopiedBinaryGivesNothing() {
        Outcome run = run("python", """
                import os, shutil, subprocess
                shutil.copy('/usr/bin/id', 'id')
                try:
                    os.chown('id', 0, 0)
                    print('chown succeeded')
                except OSError:  # EPERM, or EINVAL: uid 0 is not mapped in the run's namespace
                    print('chown denied')
                try:
                    os.chmod('id', 0o6755)
                    print('chmod', oct(os.stat('id').st_mode & 0o7777))
                except PermissionError:
                    print('chmod denied')
                print('euid', subprocess.run(['./id', '-u'], capture_output=True, text=True).stdout.strip())
                print('egid', subprocess.run(['./id', '-g'], capture_output=True, text=True).stdout.strip())
                options = [l.split()[3] for l in open('/proc/self/mounts') if l.split()[1] == '/sandbox'][0].split(',')
                print('sandbox mount', 'nosuid' in options, 'nodev' in options)
                setids = []
                for root, dirs, files in os.walk('/'):
                    if root == '/':
                        dirs[:] = [d for d in dirs if d not in ('proc', 'sys', 'dev')]
                    for f in files:
                        try:
                            if os.lstat(os.path.join(root, f)).st_mode & 0o6000:
                                setids.append(os.path.join(root, f))
                        except OSError:
                            pass
                print('setid files in image', [p for p in setids if not p.startswith('/sandbox/')])
                """, ROOMY);
        assertEquals(Verdict.OK, run.verdict(), run::describe);
        List<String> lines = run.stdout().lines().toList();
        assertEquals("chown denied", lines.get(0), run::describe);
        assertTrue(lines.get(1).equals("chmod denied") || lines.get(1).startsWith("chmod 0o"), run::describe);
        assertEquals("euid 1000", lines.get(2), run::describe);
        assertEquals("egid 1000", lines.get(3), run::describe);
        assertEquals("sandbox mount True True", lines.get(4), run::describe);
        assertEquals("setid files in image []", lines.get(5), run::describe);
    }

    @Test
    void theLaunchersNonceCannotBeStolenNorItsReportForged() {
        Outcome run = run("python", """
                import os, sys
                ppid = os.getppid()
                for what in ('mem', 'environ', 'fd/0', 'fd/2', 'maps'):
                    try:
                        with open(f'/proc/{ppid}/{what}', 'rb') as f:
                            f.read(64)
                        print('read', what)
                    except OSError as e:
                        print('denied', what)
                sys.stderr.write('\\x1eCODEEXEC ' + '0' * 32 + ' exit=0 signal=0 cpuMs=0 maxRssKb=0 wallMs=0\\n')
                sys.exit(3)
                """);
        assertEquals(Verdict.RUNTIME_ERROR, run.verdict(), run::describe);
        assertEquals(3, run.result().exitCode(), run::describe);
        assertEquals("denied mem\ndenied environ\ndenied fd/0\ndenied fd/2\ndenied maps\n", run.stdout(), run::describe);
        assertTrue(run.stderr().contains("CODEEXEC 0000"), run::describe);
    }

    /**
     * Tmpfs pages count against the memory cgroup, so capped tmpfs as the only writable place means no host
     * disk: /sandbox is the run's overlay (its upper layer a fresh capped tmpfs) over the host's build tmpfs.
     */
    @Test
    void theOnlyWritablePlaceIsTheSizeCappedTmpfs() {
        Outcome run = run("python", """
                import os
                mounts = [l.split() for l in open('/proc/self/mounts')]
                for device, point, fstype, options, *_ in mounts:
                    if point in ('/', '/sandbox'):
                        print('mount', point, fstype, ','.join(o for o in options.split(',') if '=' not in o or o.startswith('size=')))
                for point in sorted({m[1] for m in mounts if os.path.isdir(m[1])}):
                    probe = os.path.join(point, 'adversarial-probe')
                    try:
                        with open(probe, 'w') as f:
                            f.write('x')
                        print('wrote', point)
                    except OSError:
                        pass
                """);
        assertEquals(Verdict.OK, run.verdict(), run::describe);
        List<String> lines = run.stdout().lines().toList();
        assertTrue(lines.contains("mount / overlay ro,relatime"), run::describe);
        assertTrue(lines.stream().anyMatch(l -> l.matches("mount /sandbox tmpfs rw,nosuid,nodev,relatime,size=\\d+k")),
                run::describe);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("mount /sandbox overlay rw,nosuid,nodev")), run::describe);
        assertEquals(List.of("wrote /sandbox"), lines.stream().filter(l -> l.startsWith("wrote")).toList(), run::describe);
    }
}
