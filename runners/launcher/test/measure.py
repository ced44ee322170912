"""Per-run costs inside a warm sandbox host (--measure)."""
import statistics

from host import payload
from registry import py


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
