"""Isolation cases: who the program is, what it sees, what it cannot do, what it leaves behind."""
from registry import case, only_test, py


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
def prlimit_and_renice_reach_only_the_run(h):
    code = """
import os, resource
for attempt in (lambda: os.setpriority(os.PRIO_PROCESS, 1, 19),               # the run's init
                lambda: resource.prlimit(1, resource.RLIMIT_NOFILE, (3, 3))):  # what once broke later tests
    try: attempt()
    except PermissionError: pass
print([p for p in os.listdir('/proc') if p.isdigit()])        # the launcher is not even nameable
"""
    t = only_test(h.py.run(py(code))[0])
    assert t["out"] == b"['1', '2']\n" and t["exit"] == 0, t
    records, _ = h.py.run(py("import sys; print(sys.argv[1])", tests=[(b"", [str(i)]) for i in range(3)]))
    assert [r["out"] for r in records[:-1]] == [b"0\n", b"1\n", b"2\n"], records


@case
def nothing_survives_a_run(h):
    code = """
import ctypes, os, socket, subprocess, sys, time
libc = ctypes.CDLL(None, use_errno=True)
if sys.argv[1] == 'leave':
    subprocess.Popen(['sleep', '60'], start_new_session=True)
    print(libc.shmget(0x1234, 4096, 0o1666) >= 0, libc.msgget(0x1234, 0o1666) >= 0)  # SysV objects outlive processes
    open('/dev/mqueue/q', 'w').close() if os.path.isdir('/dev/mqueue') else None
    s = socket.socket(socket.AF_UNIX); s.bind(b'\\0codeexec-leftover'); s.listen()
    print('left')
else:
    print(sorted(p for p in os.listdir('/proc') if p.isdigit()))
    print(libc.shmget(0x1234, 0, 0), libc.msgget(0x1234, 0), os.listdir('/dev/mqueue') if os.path.isdir('/dev/mqueue') else [])
    try:
        socket.socket(socket.AF_UNIX).connect(b'\\0codeexec-leftover'); print('connected')
    except OSError as e: print(e.strerror)
"""
    records, _ = h.py.run(py(code, tests=[(b"", ["leave"]), (b"", ["look"])]))
    assert records[0]["out"] == b"True True\nleft\n" and records[0]["wallMs"] < 2000, records[0]
    assert records[1]["out"] == b"['1', '2']\n-1 -1 []\nConnection refused\n", records[1]
