#!/usr/bin/env python3
"""Tests of codeexec-launch (CE3) against the real runner images and the real Docker engine.

Every case sends payloads to ONE long-lived python sandbox host (as the worker does), so each also
checks that the host keeps serving after what the previous case did; the C cases use a C host; the
malformed-payload case ends its own host. Usage: run_tests.py [--tag v2] [--measure] [-k substring]
Last line: "N passed, N failed".
"""
import argparse
import statistics
import sys
import time
import traceback

from host import SandboxHost, payload

CASES = []


def case(fn):
    CASES.append(fn)
    return fn


def py(code, tests=((b"", ()),), **kw):
    return payload([("main.py", code)], ["python3", "main.py"], tests=tests, **kw)


def only_test(records):
    assert [r["kind"] for r in records] == ["test", "done"], records
    return records[0]


@case
def hello_python(h):
    t = only_test(h.py.run(py("print('Hello, World!')"))[0])
    assert t["exit"] == 0 and t["signal"] == 0 and t["out"] == b"Hello, World!\n", t
    assert t["cpuMs"] > 0 and t["memoryKb"] > 0 and t["wallMs"] >= 0, t


@case
def stdin_to_eof_and_args(h):
    data = b"x" * 200_000 + b"\nend"
    code = "import sys; d = sys.stdin.buffer.read(); print(len(d), d[-3:].decode(), sys.argv[1:])"
    t = only_test(h.py.run(py(code, tests=[(data, ["a b", "c"])]))[0])
    assert t["out"] == b"200004 end ['a b', 'c']\n", t


@case
def identity_and_view(h):
    code = """
import os, socket
print(os.getuid(), os.getgid(), os.getpid(), socket.gethostname())
print(sorted(os.listdir('/proc/self/fd')))
masked = ['/proc/kcore', '/proc/keys', '/proc/timer_list', '/proc/sched_debug', '/proc/interrupts']
print(set(open(p, 'rb').read(10) for p in masked if os.path.exists(p)), os.listdir('/sys/firmware'),
      open('/proc/self/status').read().split('CapEff:')[1].split()[0])
print(os.listdir('/proc').count('1'), [p for p in os.listdir('/proc') if p.isdigit()].__len__() <= 3)
print(open('/proc/self/status').read().split('NoNewPrivs:')[1].split()[0], os.getcwd(), os.environ.get('HOME'))
denied = []
for path in ('/proc/1/fd', '/proc/1/mem', '/proc/1/environ'):
    try: os.listdir(path) if path.endswith('fd') else open(path, 'rb').read(1)
    except PermissionError: denied.append(path)
print(denied, sorted(k for k in os.environ if k in ('HOSTNAME', 'PYTHONDONTWRITEBYTECODE', 'TMPDIR', 'LANG')))
"""
    t = only_test(h.py.run(py(code))[0])
    lines = t["out"].decode().splitlines()
    assert lines[0] == "1000 1000 2 sandbox", t  # uid/gid 1000, PID 2 (the init is 1), own hostname
    assert lines[1] in ("['0', '1', '2', '3']", "['0', '1', '2']"), t  # 3 = the listdir fd itself
    assert lines[2] == "{b''} [] 0000000000000000", t  # Docker's masks, no capabilities
    assert lines[3] == "1 True", t  # a fresh /proc: only this run's processes
    assert lines[4] == "1 /sandbox /sandbox", t
    assert lines[5] == "['/proc/1/fd', '/proc/1/mem', '/proc/1/environ'] ['LANG', 'PYTHONDONTWRITEBYTECODE', 'TMPDIR']", t


@case
def tests_do_not_see_each_other(h):
    code = """
import os, sys
print(sorted(os.listdir('.')), os.path.exists('/dev/shm/leak'))
if sys.argv[1] == 'write':
    open('leak', 'w').write('x')
    os.makedirs('dir/sub')
    os.remove('main.py')
    print(sorted(os.listdir('.')))
"""
    records, _ = h.py.run(py(code, tests=[(b"", ["write"]), (b"", ["read"])]))
    first, second = records[0], records[1]
    assert first["out"] == b"['main.py'] False\n['dir', 'leak']\n", first
    assert second["out"] == b"['main.py'] False\n", second  # source back, nothing of test 1


@case
def grandchild_cpu_is_counted_and_killed(h):
    code = """
import os, time
if os.fork() == 0:
    if os.fork() == 0:
        while True: pass   # orphaned grandchild, never waited for
    os._exit(0)
os.wait()
time.sleep(20)
"""
    t = only_test(h.py.run(py(code, cpu_ms=1000, wall_ms=20000))[0])
    assert t["cpuExceeded"] == 1 and t["timedOut"] == 0 and t["signal"] == 9, t
    assert 1000 <= t["cpuMs"] < 2000 and t["wallMs"] < 15000, t


@case
def short_lived_grandchild_cpu_is_counted(h):
    code = """
import os, time
r, w = os.pipe()
if os.fork() == 0:
    if os.fork() == 0:
        end = time.process_time() + 0.6
        while time.process_time() < end: pass
        os._exit(0)            # never waited for by the program (the run's init reaps it)
    os._exit(0)
os.close(w)
os.wait()
os.read(r, 1)                  # end of file once the grandchild is gone
"""
    t = only_test(h.py.run(py(code))[0])
    assert t["exit"] == 0 and 550 <= t["cpuMs"] < 1500, t


@case
def memory_in_a_memfd_is_counted(h):
    code = """
import os, time
fd = os.memfd_create('hold')
for _ in range(100): os.write(fd, b'x' * (1 << 20))
print('held'); time.sleep(5)
"""
    t = only_test(h.py.run(py(code, memory_kb=64 * 1024, file_bytes=200 << 20))[0])  # fileBytes caps a memfd too
    assert t["memoryExceeded"] == 1 and t["signal"] == 9 and t["memoryKb"] > 64 * 1024, t


@case
def memory_in_a_tmpfs_file_is_counted(h):
    code = """
import time
with open('big', 'wb') as f:
    for _ in range(100): f.write(b'x' * (1 << 20)); f.flush()
print('held'); time.sleep(5)
"""
    t = only_test(h.py.run(py(code, memory_kb=64 * 1024, file_bytes=200 << 20))[0])
    assert t["memoryExceeded"] == 1 and t["memoryKb"] > 64 * 1024, t


@case
def memory_of_a_child_never_waited_for(h):
    code = """
import os, time
if os.fork() == 0:
    b = bytearray(100 << 20)
    for i in range(0, len(b), 4096): b[i] = 1
    time.sleep(10)
time.sleep(10)
"""
    t = only_test(h.py.run(py(code, memory_kb=64 * 1024, wall_ms=8000))[0])
    assert t["memoryExceeded"] == 1 and t["timedOut"] == 0, t


@case
def file_size_and_scratch_caps(h):
    code = """
import errno
try:
    open('f', 'wb').write(b'x' * (3 << 20)); print('wrote')
except OSError as e: print('refused', errno.errorcode[e.errno])
"""
    t = only_test(h.py.run(py(code, file_bytes=1 << 20))[0])
    assert t["signal"] == 25 or b"refused" in t["out"], t  # SIGXFSZ or EFBIG/ENOSPC


@case
def closed_streams_do_not_spin(h):
    code = "import os, time\nos.close(1); os.close(2)\ntime.sleep(2)\n"
    before = h.py.launcher_cpu_ms()
    t = only_test(h.py.run(py(code))[0])
    used = h.py.launcher_cpu_ms() - before
    h.notes.append(f"launcher CPU while a program sat 2 s with closed streams: {used} ms")
    assert t["exit"] == 0 and t["wallMs"] >= 2000, t
    assert used < 200, f"launcher used {used} ms of CPU in 2 s"


@case
def namespace_mount_key_bpf_calls_fail_with_eperm(h):
    code = """
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
def err(n, *a):
    r = libc.syscall(n, *a)
    return 'ok' if r >= 0 else os.strerror(ctypes.get_errno())
print(err(272, 0x10000000))                 # unshare(CLONE_NEWUSER)
print(err(165, b'none', b'/sandbox', b'tmpfs', 0, 0))  # mount
print(err(308, 0, 0))                       # setns
print(err(250, 0, 0))                       # keyctl
print(err(321, 0, 0, 0))                    # bpf
print(err(323, 0))                          # userfaultfd
print(err(425, 1, 0))                       # io_uring_setup
print(err(101, 16, 1, 0, 0))                # ptrace(PTRACE_ATTACH, 1)
print(err(56, 0x20000000 | 17, 0, 0, 0, 0)) # clone(CLONE_NEWPID|SIGCHLD)
print(err(435, 0, 0))                       # clone3
pid = os.fork()
if pid == 0: os._exit(7)
print(os.waitpid(pid, 0)[1] >> 8)           # a plain fork still works
"""
    t = only_test(h.py.run(py(code))[0])
    eperm = "Operation not permitted"
    assert t["out"].decode().splitlines() == [eperm] * 9 + ["Function not implemented", "7"], t


@case
def kill_all_does_not_hurt_the_launcher(h):
    code = """
import os, signal, time
if os.fork() == 0: time.sleep(30)
os.kill(-1, signal.SIGKILL)   # every process it may signal: its child, not the init, not the launcher
os.kill(1, signal.SIGKILL)    # the run's init ignores it
print('still here', os.wait()[1])
"""
    t = only_test(h.py.run(py(code))[0])
    assert t["out"] == b"still here 9\n" and t["exit"] == 0, t
    t = only_test(h.py.run(py("print('next')"))[0])
    assert t["out"] == b"next\n", t


@case
def nothing_survives_a_run(h):
    code = """
import os, subprocess, sys, time
if sys.argv[1] == 'leave':
    subprocess.Popen(['sleep', '60'], start_new_session=True)
    print('left')
else:
    print(sorted(p for p in os.listdir('/proc') if p.isdigit()))
"""
    records, _ = h.py.run(py(code, tests=[(b"", ["leave"]), (b"", ["look"])]))
    assert records[0]["out"] == b"left\n" and records[0]["wallMs"] < 2000, records[0]
    assert records[1]["out"] == b"['1', '2']\n", records[1]


@case
def wall_clock_and_output_cap(h):
    t = only_test(h.py.run(py("import time; time.sleep(30)", wall_ms=500))[0])
    assert t["timedOut"] == 1 and t["signal"] == 9 and 500 <= t["wallMs"] < 1500, t
    t = only_test(h.py.run(py("import sys\nwhile True: sys.stdout.write('y' * 4096)", output_bytes=10000))[0])
    assert t["outLen"] == 10000 and t["outTotal"] > 10000 and t["signal"] == 9, t


@case
def stop_on_failure(h):
    code = "import sys; print(sys.argv[1]); sys.exit(int(sys.argv[1]))"
    records, _ = h.py.run(py(code, tests=[(b"", ["0"]), (b"", ["3"]), (b"", ["0"])], stop_on_failure=True))
    assert [r["kind"] for r in records] == ["test", "test", "done"] and records[1]["exit"] == 3, records
    records, _ = h.py.run(py(code, tests=[(b"", ["0"]), (b"", ["3"]), (b"", ["0"])]))
    assert [r.get("test") for r in records] == [0, 1, 2, None], records


@case
def c_compile_and_run(h):
    code = '#include <stdio.h>\nint main(void){int c=getchar(); printf("hello %d\\n", c); return 0;}\n'
    compile = ["gcc", "-O2", "-o", "main", "main.c"]
    records, _ = h.c.run(payload([("main.c", code)], ["./main"], tests=[(b"A", ()), (b"", ())], compile=compile))
    assert [r["kind"] for r in records] == ["compile", "test", "test", "done"], records
    assert records[0]["exit"] == 0 and records[0]["cpuMs"] > 0, records[0]
    assert records[1]["out"] == b"hello 65\n" and records[2]["out"] == b"hello -1\n", records


@case
def c_compile_error_and_empty_compiler_stdin(h):
    records, _ = h.c.run(payload([("main.c", "int main(void) { return x; }\n")], ["./main"],
                                 compile=["gcc", "-o", "main", "main.c"]))
    assert [r["kind"] for r in records] == ["compile", "done"] and records[0]["exit"] != 0, records
    assert b"error" in records[0]["out"], records[0]
    records, _ = h.c.run(payload([("x", "")], ["true"], compile=["sh", "-c", "wc -c; ls -A"]))
    assert records[0]["out"] == b"0\nx\n", records[0]  # empty stdin; the build dir holds only the files


@case
def nested_file_names_and_bad_names(h):
    t = only_test(h.py.run(payload([("pkg/mod.py", "V = 5\n"), ("main.py", "from pkg.mod import V; print(V)")],
                                   ["python3", "main.py"]))[0])
    assert t["out"] == b"5\n", t


@case
def once_mode_runs_one_payload_and_exits(h):
    host = SandboxHost(h.image("python"), mode="--once")
    try:
        records, _ = host.run(py("print('once')"))
        assert records[0]["out"] == b"once\n" and records[-1]["kind"] == "done", records
        assert host.close() == 0
    finally:
        host.close()


HELLO = {
    "javascript": ("main.js", "console.log('hello ' + require('fs').readFileSync(0, 'utf8'))", (), ["node", "main.js"]),
    "ruby": ("main.rb", "puts 'hello ' + STDIN.read", (), ["ruby", "main.rb"]),
    "cpp": ("main.cpp", "#include <iostream>\nint main(){std::string s; std::cin >> s; std::cout << \"hello \" << s << std::endl;}\n",
            ["g++", "-std=c++17", "-O2", "-o", "main", "main.cpp"], ["./main"]),
    "java": ("Main.java", "public class Main { public static void main(String[] a) throws Exception {"
             " System.out.println(\"hello \" + new String(System.in.readAllBytes())); } }",
             ["javac", "-J-XX:+UseSerialGC", "-J-XX:TieredStopAtLevel=1", "-encoding", "UTF-8", "Main.java"],
             ["java", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", ".", "Main"]),
    "go": ("main.go", "package main\nimport (\"fmt\"; \"io\"; \"os\")\nfunc main() { b, _ := io.ReadAll(os.Stdin); fmt.Println(\"hello \" + string(b)) }\n",
           ["codeexec-go-build", "main.go", "main"], ["./main"]),
    "rust": ("main.rs", "use std::io::Read; fn main() { let mut s = String::new(); std::io::stdin().read_to_string(&mut s).unwrap(); println!(\"hello {}\", s); }\n",
             ["rustc", "-O", "-o", "main", "main.rs"], ["./main"]),
}


@case
def every_language_compiles_and_runs_inside(h):
    for lang, (name, code, compile, run) in HELLO.items():
        host = SandboxHost(h.image(lang), memory_mb=1024, pids=256, tmpfs_mb=512)
        try:
            records, seconds = host.run(payload([(name, code)], run, tests=[(b"w1", ()), (b"w2", ())], compile=compile,
                                                memory_kb=512 * 1024, compile_memory_kb=900 * 1024))
            tests = [r for r in records if r["kind"] == "test"]
            assert [t["out"].strip() for t in tests] == [b"hello w1", b"hello w2"], (lang, records)
            h.notes.append(f"{lang}: compile+2 tests in {seconds * 1000:.0f} ms")
        finally:
            host.close()


@case
def a_host_without_the_profile_or_systempaths_reports_an_error(h):
    for options, expected in (({"seccomp": None}, "clone"), ({"systempaths": None}, "/proc")):
        host = SandboxHost(h.image("python"), **options)
        try:
            records, _ = host.run(py("print(1)"))
            assert records[-1]["kind"] == "error" and expected in records[-1]["message"], (options, records)
        finally:
            host.close()


@case
def malformed_payloads_give_an_error_record(h):
    for bad_name in ("../x", "/abs", "a//b", "a/./b", "sp ace"):
        host = SandboxHost(h.image("python"))
        try:
            records, _ = host.run(payload([(bad_name, "x")], ["true"]))
            assert records[-1]["kind"] == "error", (bad_name, records)
            assert host.close() != 0, bad_name
        finally:
            host.close()
    host = SandboxHost(h.image("python"))
    try:
        nonce = "ab" * 16
        records, _ = host.run((nonce, f"CE3 {nonce} 0\nlimits 1 2 3\n".encode()))
        assert records[-1]["kind"] == "error" and "limits" in records[-1]["message"], records
        assert host.close() != 0
    finally:
        host.close()


def measure(h, runs=21):
    """Median per-run time of a minimal run (setup + teardown) and of python print(1), warm host."""
    true_times, py_times, py_walls = [], [], []
    for _ in range(runs):
        records, seconds = h.py.run(payload([("x", "")], ["true"]))
        true_times.append(seconds * 1000)
    for _ in range(runs):
        records, seconds = h.py.run(py("print(1)"))
        py_times.append(seconds * 1000)
        py_walls.append(records[0]["wallMs"])
    # the bare interpreter inside one run: no new sandbox per start (date(1) costs ~1 ms of each sample)
    loop = ("for i in $(seq %d); do s=$(date +%%s%%N); python3 -c 'print(1)' >/dev/null;"
            " e=$(date +%%s%%N); echo $(( (e - s) / 1000 )); done" % runs)
    records, _ = h.py.run(payload([("x", "")], ["sh", "-c", loop], cpu_ms=60000, wall_ms=60000))
    bare = statistics.median(int(x) / 1000 for x in records[0]["out"].split())
    med = statistics.median
    print(f"measure: payload with one `true` run, round trip: median {med(true_times):.1f} ms over {runs}"
          " (clone, namespaces, mounts, fork/exec, teardown, records)")
    print(f"measure: python print(1) run, round trip: median {med(py_times):.1f} ms; the program's own wallMs"
          f" median {med(py_walls):.1f} ms; inner sandbox overhead ~{med(py_times) - med(py_walls):.1f} ms")
    print(f"measure: bare python3 -c 'print(1)' inside one run (no new sandbox): median {bare:.1f} ms;"
          f" a sandboxed run costs {med(py_times) / bare:.2f}x that")


class Hosts:
    def __init__(self, tag):
        self.tag = tag
        self.notes = []
        self._py = self._c = None

    def image(self, lang):
        return f"codeexec/runner-{lang}:{self.tag}"

    @property
    def py(self):
        if self._py is None or not self._py.alive():
            self._py = SandboxHost(self.image("python"))
            self._py.notes = self.notes
        return self._py

    @property
    def c(self):
        if self._c is None or not self._c.alive():
            self._c = SandboxHost(self.image("c"))
        return self._c

    def close(self):
        for host in (self._py, self._c):
            if host:
                host.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tag", default="v2")
    parser.add_argument("--measure", action="store_true")
    parser.add_argument("-k", default="")
    args = parser.parse_args()
    hosts = Hosts(args.tag)
    passed = failed = 0
    try:
        for fn in CASES:
            if args.k not in fn.__name__:
                continue
            start = time.monotonic()
            try:
                fn(hosts)
                passed += 1
                print(f"PASS {fn.__name__} ({time.monotonic() - start:.1f} s)", flush=True)
            except Exception:
                failed += 1
                print(f"FAIL {fn.__name__}\n{traceback.format_exc()}", flush=True)
        py_host = hosts._py
        if py_host is not None and py_host.alive():
            print("python host served every case above in one container: yes")
        if args.measure:
            measure(hosts)
        for note in hosts.notes:
            print("note:", note)
    finally:
        hosts.close()
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
