"""Limit cases: CPU and memory of the whole run, file size, wall clock, output caps, no spin."""
from host import payload
from registry import case, only_test, py


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
def wall_clock_and_output_cap(h):
    t = only_test(h.py.run(py("import time; time.sleep(30)", wall_ms=500))[0])
    assert t["timedOut"] == 1 and t["signal"] == 9 and 500 <= t["wallMs"] < 1500, t
    t = only_test(h.py.run(py("import sys\nwhile True: sys.stdout.write('y' * 4096)", output_bytes=10000))[0])
    assert t["outLen"] == 10000 and t["outTotal"] > 10000 and t["signal"] == 9, t


@case
def process_budget_is_per_run(h):
    code = """
import os, time
children = 0
for _ in range(100):
    try:
        if os.fork() == 0: time.sleep(5); os._exit(0)
        children += 1
    except OSError as e:
        print(children, e.strerror); break
"""
    t = only_test(h.py.run(py(code, processes=16))[0])
    assert t["out"] == b"15 Resource temporarily unavailable\n" and t["exit"] == 0, t  # 16 tasks in all
    t = only_test(h.py.run(py(code, processes=40))[0])
    assert t["out"] == b"39 Resource temporarily unavailable\n", t  # the previous run's children are gone


@case
def tests_keep_their_own_memory_limit_after_a_big_compile(h):
    code = r"""
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <unistd.h>
int main(int argc, char **argv) {
    size_t mb = (size_t) atoi(argv[1]);
    char *p = malloc(mb << 20);
    memset(p, 1, mb << 20);
    printf("held %zu MiB %d\n", mb, p[(mb << 20) - 1]);  /* used, so not optimised away */
    fflush(stdout);
    sleep(2);
    return 0;
}
"""
    records, _ = h.c.run(payload([("main.c", code)], ["./main"], tests=[(b"", ["16"]), (b"", ["100"])],
                                 compile=["gcc", "-O2", "-o", "main", "main.c"], memory_kb=64 * 1024,
                                 compile_memory_kb=400 * 1024, wall_ms=10000))
    compile_, small, big = records[0], records[1], records[2]
    assert compile_["exit"] == 0 and compile_["memoryExceeded"] == 0, compile_
    assert small["exit"] == 0 and small["memoryExceeded"] == 0 and 16 * 1024 <= small["memoryKb"] < 64 * 1024, small
    assert big["memoryExceeded"] == 1 and big["signal"] == 9 and big["wallMs"] < 2000, big
