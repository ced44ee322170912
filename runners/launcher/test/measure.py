"""Per-run costs inside a warm sandbox host (--measure).

The three kinds of sample are interleaved, so a change in the machine's load hits them alike:
1. a payload whose one run is `true`: the inner sandbox's setup and teardown plus the protocol;
2. a payload whose one run is python `print(1)`: what a hello-world test costs on a warm host;
3. python `print(1)` started bare inside a run (timed by the shell, no new sandbox): the interpreter.
"""
import statistics

from host import payload
from registry import py

BARE = "s=$(date +%s%N); python3 -c 'print(1)' >/dev/null; e=$(date +%s%N); echo $(( (e - s) / 1000 ))"


def measure(h, runs=21):
    true_ms, python_ms, python_wall_ms, bare_ms = [], [], [], []
    for _ in range(runs):
        _, seconds = h.py.run(payload([("x", "")], ["true"]))
        true_ms.append(seconds * 1000)
        records, seconds = h.py.run(py("print(1)"))
        python_ms.append(seconds * 1000)
        python_wall_ms.append(records[0]["wallMs"])
        records, _ = h.py.run(payload([("x", "")], ["sh", "-c", BARE]))
        bare_ms.append(int(records[0]["out"]) / 1000)  # includes one date(1), ~1 ms
    med = statistics.median
    print(f"measure: one `true` run, payload round trip: median {med(true_ms):.1f} ms over {runs}"
          " (clone, namespaces, mounts, fork/exec, teardown, records)")
    print(f"measure: python print(1) run, payload round trip: median {med(python_ms):.1f} ms (its own wallMs"
          f" {med(python_wall_ms):.1f} ms)")
    print(f"measure: python print(1) bare inside a run: median {med(bare_ms):.1f} ms; a sandboxed run costs"
          f" {med(python_ms) / med(bare_ms):.2f}x that, +{med(python_ms) - med(bare_ms):.1f} ms")
