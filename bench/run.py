#!/usr/bin/env python3
"""Benchmark driver behind `make bench` (standard library only; see bench/README.md).

1. brings the stack up when /ready does not answer (`make up`), remembers how it found it;
2. runs the same hello-world programs several ways: bare processes in a running runner container (S1),
   one plain container per run (S2), codeexec end to end (S3), the API alone (S4), a 1,000-job batch (S5),
   a graded job (S6), the front door under wrk (S7, bench/frontdoor.py); BENCH_ONLY=S7,S4 picks rows;
   the API's and workers' resident memory is sampled throughout (bench/memory.py);
3. prints one table and writes bench/results/<timestamp>.{json,md} (+ .png via bench/chart.py);
4. leaves the stack as it found it (scaled back, or `make down` if it was down).
"""
import datetime
import http.client
import json
import os
import re
import shlex
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse

import frontdoor
import memory
import queue_cleanup

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RESULTS = os.path.join(ROOT, "bench", "results")
QUICK = os.environ.get("BENCH_QUICK", "") not in ("", "0")


def setting(name, full, quick):
    raw = os.environ.get(name)
    default = quick if QUICK else full
    if raw is None or raw == "":
        return default
    return type(default)(raw) if not isinstance(default, list) else [int(x) for x in raw.split(",") if x]


API_URL = os.environ.get("API_URL", "http://localhost:8080")
REPEATS = setting("BENCH_REPEATS", 3, 2)                    # timed repeats per row (after a warm-up)
PHYS_RUNS = setting("BENCH_PHYS_RUNS", 20, 8)               # S1: runs per loop, per language and repeat
CONTAINER_RUNS = setting("BENCH_CONTAINER_RUNS", 4, 2)      # S2: runs per thread, per language and repeat
WORKER_COUNTS = setting("BENCH_WORKERS", [1, 2, 4], [1, 2])  # S3: worker replicas to try
E2E_CONCURRENCY = setting("BENCH_CONCURRENCY", [1, 8, 32], [1, 8, 32])
E2E_JOBS = {1: setting("BENCH_C1_JOBS", 9, 6), 8: setting("BENCH_C8_JOBS", 24, 16),
            32: setting("BENCH_C32_JOBS", 48, 32)}          # S3: jobs per repeat, by concurrency
API_JOBS = setting("BENCH_API_JOBS", 2000, 500)             # S4: submissions per repeat
API_CONCURRENCY = setting("BENCH_API_CONCURRENCY", 16, 16)
BATCH_JOBS = setting("BENCH_BATCH_JOBS", 1000, 150)         # S5
BATCH_WORKERS = setting("BENCH_BATCH_WORKERS", 0, 0)        # 0 = the count with the best S3 c=32 rate
SKIP_CHART = os.environ.get("BENCH_NO_CHART", "") not in ("", "0")
SCENARIOS = ["S1", "S2", "S2c", "S3", "S4", "S5", "S6", "S7"]   # S2 includes S2b
ONLY = [x.strip().upper() for x in os.environ.get("BENCH_ONLY", "").split(",") if x.strip()]
if any(x not in SCENARIOS for x in ONLY):
    sys.exit(f"BENCH_ONLY={os.environ['BENCH_ONLY']}: scenarios are {', '.join(SCENARIOS)}")


def wanted(scenario):
    return not ONLY or scenario in ONLY

# The same programs everywhere: (language, image, argv for S1/S2, source for the API).
PROGRAMS = [
    ("python", "codeexec/runner-python:local", ["python3", "-c", "print('Hello, World!')"], "print('Hello, World!')"),
    ("javascript", "codeexec/runner-javascript:local", ["node", "-e", "console.log('Hello, World!')"],
     "console.log('Hello, World!')"),
    ("ruby", "codeexec/runner-ruby:local", ["ruby", "-e", "puts 'Hello, World!'"], "puts 'Hello, World!'"),
]
# S2b: the lockdown the worker applies (worker/.../sandbox/Hardening.java), expressed as CLI flags.
HARDENED_FLAGS = ["--read-only", "--tmpfs", "/sandbox:rw,exec,nosuid,nodev,size=4m,mode=0777",
                  "--cap-drop", "ALL", "--security-opt", "no-new-privileges", "--ipc", "none",
                  "--log-driver", "none", "--memory", "256m", "--memory-swap", "256m", "--oom-score-adj", "1000",
                  "--pids-limit", "64", "--ulimit", "core=0", "--user", "65534:65534", "--hostname", "sandbox",
                  "-w", "/sandbox"]


def log(msg):
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def run(cmd, check=True, capture=True, timeout=600, **kw):
    res = subprocess.run(cmd, cwd=ROOT, text=True, timeout=timeout,
                         stdout=subprocess.PIPE if capture else None,
                         stderr=subprocess.PIPE if capture else None, **kw)
    if check and res.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({res.returncode}): {(res.stderr or '')[-800:]}")
    return res


class LoadSampler(threading.Thread):
    """Samples the 1-minute load and whether a Maven build runs beside us, every 5 s, for the footer."""
    def __init__(self):
        super().__init__(daemon=True)
        self.loads, self.builds, self.stopped = [], [], threading.Event()

    @staticmethod
    def maven_running():
        for pid in os.listdir("/proc"):
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    if b"plexus-classworlds" in f.read():
                        return True
            except OSError:
                continue
        return False

    def run(self):
        while not self.stopped.wait(5):
            self.loads.append(load_avg()[0])
            self.builds.append(self.maven_running())

    def report(self):
        if not self.loads:
            return {}
        return {"load1_mean": round(statistics.mean(self.loads), 2), "load1_max": max(self.loads),
                "maven_share": round(sum(self.builds) / len(self.builds), 2)}


def load_avg():
    with open("/proc/loadavg") as f:
        return [float(x) for x in f.read().split()[:3]]


# ---------------------------------------------------------------- statistics

def pct(values, p):
    """Nearest-rank percentile (p in 0..100) of a non-empty list."""
    s = sorted(values)
    k = max(0, min(len(s) - 1, int(round(p / 100.0 * len(s) + 0.5)) - 1))
    return s[k]


def summarize(row):
    """Medians across repeats plus min–max spread; p95/p99 over the pooled samples of all repeats."""
    reps = row["repeats"]
    lat = [r["latencies_ms"] for r in reps if r["latencies_ms"]]
    pooled = [x for l in lat for x in l]
    p50s = [statistics.median(l) for l in lat]
    rates = [r["rate"] for r in reps if r.get("rate")]
    row["summary"] = {
        "samples": len(pooled) or row.get("samples", 0),
        "p50_ms": statistics.median(p50s) if p50s else row.get("p50_ms"),
        "p50_min_ms": min(p50s) if len(p50s) > 1 else None,
        "p50_max_ms": max(p50s) if len(p50s) > 1 else None,
        "p95_ms": pct(pooled, 95) if pooled else row.get("p95_ms"),
        "p99_ms": pct(pooled, 99) if pooled else row.get("p99_ms"),
        "rate": statistics.median(rates) if rates else None,
        "rate_min": min(rates) if rates else None,
        "rate_max": max(rates) if rates else None,
        "errors": sum(r.get("errors", 0) for r in reps),
    }
    return row


def new_row(scenario, label, concurrency, unit="runs/s", workers=None, note=""):
    return {"scenario": scenario, "label": label, "concurrency": concurrency, "workers": workers,
            "unit": unit, "note": note, "repeats": []}


# ---------------------------------------------------------------- the stack

class Stack:
    def __init__(self):
        self.compose = ["bash", "scripts/compose.sh"]
        self.initial_ready = self.ready()
        self.initial_workers = len(self.service_ids("worker")) if self.initial_ready else None
        self.isolation = os.environ.get("ISOLATION", "nested")

    def ready(self):
        try:
            status, _ = http_call("GET", "/ready", timeout=3)
            return status == 200
        except OSError:
            return False

    def service_ids(self, service):
        res = run(self.compose + ["ps", "-q", service], check=False)
        ids = [x for x in res.stdout.split() if x]
        running = []
        for cid in ids:
            st = run(["docker", "inspect", "-f", "{{.State.Running}}", cid], check=False).stdout.strip()
            if st == "true":
                running.append(cid)
        return running

    def ensure_up(self, workers):
        if self.ready():
            log(f"stack already up at {API_URL}")
            return
        log(f"stack not up: make up WORKERS={workers}")
        res = run(["make", "--no-print-directory", "up", f"WORKERS={workers}"], check=False, capture=False, timeout=900)
        if res.returncode != 0 or not self.ready():
            log("make up failed; trying the images already built (compose up --no-build)")
            run(self.compose + ["up", "-d", "--no-build", "--scale", f"worker={workers}"], capture=False)
            run(["bash", "scripts/wait-ready.sh", f"{API_URL}/ready", "180"], capture=False)

    def redis_id(self):
        ids = self.service_ids("redis")
        if not ids:
            raise RuntimeError("no running redis container in the compose project")
        return ids[0]

    def redis_cli(self, *args, stdin=None):
        return run(["docker", "exec", "-i", self.redis_id(), "redis-cli", *args], input=stdin).stdout

    def live_workers(self):
        keys = self.redis_cli("--scan", "--pattern", "codeexec:worker:*").split()
        return len(keys)

    def scale(self, n, timeout=120, isolation=None):
        """Scales the workers to n; with `isolation`, recreates them in that mode (ISOLATION=nested|container)."""
        if isolation is not None and isolation != self.isolation:
            log(f"recreating the workers with ISOLATION={isolation}")
            run(self.compose + ["up", "-d", "--no-build", "--force-recreate", "--scale", f"worker={n}", "worker"],
                timeout=300, env={**os.environ, "ISOLATION": isolation})
            self.isolation = isolation
        log(f"scaling to {n} worker(s)")
        run(self.compose + ["up", "-d", "--no-build", "--no-recreate", "--scale", f"worker={n}"], timeout=300,
            env={**os.environ, "ISOLATION": self.isolation})
        deadline = time.time() + timeout
        while time.time() < deadline:
            containers = len(self.service_ids("worker"))
            live = self.live_workers()
            if self.ready() and containers == n and live == n:
                log(f"{n} worker(s) registered (heartbeat after probing languages)")
                return n
            time.sleep(1)
        log(f"WARNING: wanted {n} workers, see {containers} containers and {live} heartbeats; going on")
        return live

    def restore(self):
        if self.isolation != os.environ.get("ISOLATION", "nested"):
            self.scale(self.initial_workers or 1, isolation=os.environ.get("ISOLATION", "nested"))
        if self.initial_ready:
            log(f"restoring the stack as found: {self.initial_workers} worker(s)")
            run(self.compose + ["up", "-d", "--no-build", "--no-recreate", "--scale",
                                f"worker={self.initial_workers}"], check=False)
        else:
            log("the stack was down before the bench: make down")
            run(["make", "--no-print-directory", "down"], check=False, capture=False)


# ---------------------------------------------------------------- HTTP load

_URL = urllib.parse.urlsplit(API_URL)
_local = threading.local()


def http_call(method, path, body=None, timeout=60, reuse=False):
    """One request; reuse=True keeps a keep-alive connection per thread (as a real client would)."""
    conn = getattr(_local, "conn", None) if reuse else None
    if conn is None:
        conn = http.client.HTTPConnection(_URL.hostname, _URL.port or 80, timeout=timeout)
    headers = {"Content-Type": "application/json"} if body is not None else {}
    data = json.dumps(body).encode() if body is not None else None
    try:
        conn.request(method, path, body=data, headers=headers)
        resp = conn.getresponse()
        payload = resp.read()
    except (OSError, http.client.HTTPException):
        conn.close()
        _local.conn = None
        raise
    if reuse:
        _local.conn = conn
    else:
        conn.close()
    return resp.status, (json.loads(payload) if payload else None)


def fan_out(items, concurrency, fn):
    """Runs fn(item) for every item on `concurrency` threads; returns (results, wall seconds)."""
    results = [None] * len(items)
    nxt = [0]
    lock = threading.Lock()

    def worker():
        while True:
            with lock:
                i = nxt[0]
                nxt[0] += 1
            if i >= len(items):
                return
            results[i] = fn(items[i])

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, time.perf_counter() - t0


def job_body(i):
    lang, _, _, code = PROGRAMS[i % len(PROGRAMS)]
    return {"language": lang, "code": code}


def submit_and_wait(i):
    t0 = time.perf_counter()
    try:
        status, doc = http_call("POST", "/jobs?wait=30", job_body(i), timeout=60, reuse=True)
    except (OSError, http.client.HTTPException) as e:
        return {"ok": False, "error": str(e), "ms": (time.perf_counter() - t0) * 1000}
    ms = (time.perf_counter() - t0) * 1000
    ok = (status == 200 and doc.get("result", {}).get("verdict") == "ok"
          and "Hello, World!" in doc["result"].get("stdout", ""))
    return {"ok": ok, "ms": ms, "status": status, "doc": doc if ok else None, "lang": PROGRAMS[i % len(PROGRAMS)][0],
            "error": None if ok else f"{status} {json.dumps(doc)[:200]}"}


def iso_ms(s):
    return datetime.datetime.fromisoformat(s.replace("Z", "+00:00")[:26] + "+00:00").timestamp() * 1000


PHASE_LABELS = {"apiMs": "API handling", "queuedMs": "queued until claimed", "acquireMs": "sandbox host acquire",
                "setupMs": "inner sandbox setup", "createMs": "container create", "attachMs": "attach",
                "startMs": "container start", "runMs": "program run (payload to report)",
                "programMs": "  of which the program itself", "drainMs": "output collection",
                "inspectMs": "inspect (exit code, OOM)", "removeMs": "container removal",
                "recycleMs": "sandbox host recycle (on path)", "storeMs": "claim + result store (rest of the worker)",
                "notifyMs": "notification + HTTP"}
NOT_PHASES = ("totalMs",)


def breakdown(results):
    """Average of each part of a job's latency, from the `timings` the system records in every job document:
    every phase the worker reports, plus the program's own wall time, the rest of the worker's time
    (claim + store) and what the client saw beyond the job's total (notification + HTTP)."""
    parts = {}
    for r in results:
        doc = r.get("doc")
        timings = (doc or {}).get("timings") or {}
        if "totalMs" not in timings:
            continue
        worker_phases = 0
        for key, value in timings.items():
            if key in NOT_PHASES:
                continue
            parts.setdefault(key, []).append(value)
            if key not in ("apiMs", "queuedMs"):
                worker_phases += value
        parts.setdefault("programMs", []).append((doc.get("result") or {}).get("wallTimeMs") or 0)
        parts.setdefault("storeMs", []).append(max(0, timings["totalMs"] - timings.get("queuedMs", 0) - worker_phases))
        parts.setdefault("notifyMs", []).append(max(0.0, r["ms"] - timings["totalMs"] - timings.get("apiMs", 0)))
    return {k: statistics.mean(v) for k, v in parts.items() if v}


# ---------------------------------------------------------------- S1: bare processes

def loop_script(loop_id, argv, n):
    cmd = " ".join(shlex.quote(a) for a in argv)
    return (f"i=0; while [ $i -lt {n} ]; do echo {loop_id} $(date +%s%N); {cmd} >/dev/null; i=$((i+1)); done; "
            f"echo {loop_id} $(date +%s%N)")


def in_container_loops(cid, argv, n, parallel):
    script = " & ".join(f"( {loop_script(k, argv, n)} )" for k in range(parallel)) + " & wait"
    out = run(["docker", "exec", cid, "sh", "-c", script]).stdout
    stamps = {}
    for line in out.strip().splitlines():
        k, ns = line.split()
        stamps.setdefault(k, []).append(int(ns))
    laps, first, last = [], None, None
    for seq in stamps.values():
        laps += [(b - a) / 1e6 for a, b in zip(seq, seq[1:])]
        first = seq[0] if first is None else min(first, seq[0])
        last = seq[-1] if last is None else max(last, seq[-1])
    return laps, (last - first) / 1e9


def scenario_physical(rows):
    log("S1 physical limit: bare processes inside one long-lived container per runner image")
    containers = {}
    try:
        for lang, image, _, _ in PROGRAMS:
            cid = run(["docker", "run", "-d", "--rm", "--network", "none", "--entrypoint", "sleep",
                       "--label", "codeexec.bench=1", image, "infinity"]).stdout.strip()
            containers[lang] = cid
        for conc in (1, 2):
            mix = new_row("S1", "bare process (all 3)", conc)
            mix["mix"] = True
            per_lang = {}
            for rep in range(REPEATS + 1):                            # repeat 0 is the warm-up
                mix_lat, mix_secs, mix_runs = [], 0.0, 0
                for lang, _, argv, _ in PROGRAMS:
                    cid = containers[lang]
                    calib, _ = in_container_loops(cid, [":"], 5, 1)   # cost of the timestamp itself
                    overhead = statistics.median(calib)
                    laps, secs = in_container_loops(cid, argv, PHYS_RUNS if rep else 3, conc)
                    if rep == 0:
                        continue
                    laps = [max(0.0, x - overhead) for x in laps]
                    runs = PHYS_RUNS * conc
                    row = per_lang.setdefault(lang, new_row("S1", f"bare process ({lang})", conc))
                    row["repeats"].append({"latencies_ms": laps, "rate": runs / secs, "errors": 0})
                    mix_lat += laps
                    mix_secs += secs
                    mix_runs += runs
                if rep:
                    mix["repeats"].append({"latencies_ms": mix_lat, "rate": mix_runs / mix_secs, "errors": 0})
            rows.append(summarize(mix))
            if conc == 1:
                rows.extend(summarize(r) for r in per_lang.values())
    finally:
        for cid in containers.values():
            run(["docker", "rm", "-f", cid], check=False)


# ---------------------------------------------------------------- S2: a container per run

def docker_run_once(item):
    flags, image, argv = item
    t0 = time.perf_counter()
    res = subprocess.run(["docker", "run", "--rm", "--network", "none", "--label", "codeexec.bench=1",
                          *flags, image, *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    ms = (time.perf_counter() - t0) * 1000
    return {"ok": res.returncode == 0 and "Hello, World!" in res.stdout, "ms": ms, "error": res.stderr[-200:]}


def scenario_containers(rows, variants):
    """S2 and S2b, interleaved repeat by repeat so that a load change on the host hits both alike."""
    log("S2/S2b container per run: `docker run --rm` per run, timed from the host (" +
        ", ".join(v[1] for v in variants) + ")")
    for conc in (1, 2):
        out = {}
        for rep in range(REPEATS + 1):
            for sid, label, flags in variants:
                row = out.setdefault(sid, new_row(sid, label, conc))
                row["mix"] = sid == "S2"
                n = CONTAINER_RUNS * conc if rep else 1
                items = [(flags, image, argv) for _, image, argv, _ in PROGRAMS for _ in range(n)]
                items = [items[(i % 3) * n + i // 3] for i in range(len(items))]   # interleave languages
                results, secs = fan_out(items, conc, docker_run_once)
                bad = [r["error"] for r in results if not r["ok"]]
                if bad:
                    log(f"  {sid}: {len(bad)} failed runs, e.g. {bad[0]!r}")
                if rep:
                    row["repeats"].append({"latencies_ms": [r["ms"] for r in results if r["ok"]],
                                           "rate": sum(r["ok"] for r in results) / secs, "errors": len(bad)})
        rows.extend(summarize(r) for r in out.values())


# ---------------------------------------------------------------- S2c: a hardened container per run, Engine API

class UnixHTTPConnection(http.client.HTTPConnection):
    """HTTP over the engine's unix socket: what docker-java does, without the docker CLI's own cost."""
    def __init__(self, path, timeout=120):
        super().__init__("localhost", timeout=timeout)
        self.socket_path = path

    def connect(self):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        sock.connect(self.socket_path)
        self.sock = sock


def engine_call(method, path, body=None):
    conn = UnixHTTPConnection(os.environ.get("DOCKER_SOCKET", "/var/run/docker.sock"))
    try:
        conn.request(method, path, body=json.dumps(body).encode() if body is not None else None,
                     headers={"Content-Type": "application/json"} if body is not None else {})
        resp = conn.getresponse()
        data = resp.read()
        return resp.status, (json.loads(data) if data else None)
    finally:
        conn.close()


def engine_run_once(item):
    """create, start, wait, remove through the Engine API with the worker's container-per-job lockdown."""
    image, argv = item
    t0 = time.perf_counter()
    spec = {"Image": image, "Cmd": argv, "User": "65534:65534", "WorkingDir": "/sandbox", "Hostname": "sandbox",
            "NetworkDisabled": True, "Labels": {"codeexec.bench": "1"},
            "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/sandbox",
                    "TMPDIR=/sandbox", "LANG=C.UTF-8"],
            "HostConfig": {"NetworkMode": "none", "ReadonlyRootfs": True,
                           "Tmpfs": {"/sandbox": "rw,exec,nosuid,nodev,size=4m,mode=0777"}, "CapDrop": ["ALL"],
                           "SecurityOpt": ["no-new-privileges"], "IpcMode": "none", "LogConfig": {"Type": "none"},
                           "Memory": 256 << 20, "MemorySwap": 256 << 20, "OomScoreAdj": 1000, "PidsLimit": 64,
                           "NanoCpus": 1_000_000_000, "Ulimits": [{"Name": "core", "Soft": 0, "Hard": 0}]}}
    try:
        status, created = engine_call("POST", "/containers/create", spec)
        if status != 201:
            return {"ok": False, "ms": 0, "error": f"create {status} {created}"}
        cid = created["Id"]
        try:
            engine_call("POST", f"/containers/{cid}/start")
            status, waited = engine_call("POST", f"/containers/{cid}/wait")
            ok = status == 200 and waited.get("StatusCode") == 0
        finally:
            engine_call("DELETE", f"/containers/{cid}?force=1")
    except OSError as e:
        return {"ok": False, "ms": 0, "error": str(e)}
    return {"ok": ok, "ms": (time.perf_counter() - t0) * 1000, "error": None if ok else f"exit {waited}"}


def scenario_engine_api(rows):
    log("S2c hardened container per run through the Engine API (create, start, wait, remove), c=1 and c=8")
    for conc in (1, 8):
        row = new_row("S2c", "hardened container per run, Engine API", conc)
        for rep in range(REPEATS + 1):
            n = max(2, CONTAINER_RUNS * conc // 2) if rep else 1
            items = [(image, argv) for _ in range(n) for _, image, argv, _ in PROGRAMS]
            results, secs = fan_out(items, conc, engine_run_once)
            bad = [r["error"] for r in results if not r["ok"]]
            if bad:
                log(f"  S2c: {len(bad)} failed runs, e.g. {bad[0]!r}")
            if rep:
                row["repeats"].append({"latencies_ms": [r["ms"] for r in results if r["ok"]],
                                       "rate": sum(r["ok"] for r in results) / secs, "errors": len(bad)})
        summarize(row)
        log(f"  c={conc}: p50 {row['summary']['p50_ms']:.0f} ms, {row['summary']['rate']:.2f} runs/s")
        rows.append(row)


# ---------------------------------------------------------------- S3: end to end

def scenario_e2e(rows, stack, workers, breakdowns, isolation="nested"):
    actual = stack.scale(workers, isolation=isolation)
    slots = max(1, actual) * 2
    fan_out(list(range(2 * slots)), slots, submit_and_wait)         # warm-up: every slot, every language
    for conc in E2E_CONCURRENCY:
        n = E2E_JOBS.get(conc, 3 * conc)
        row = new_row("S3", f"codeexec e2e ({isolation}), {actual} worker(s)", conc, unit="jobs/s", workers=actual)
        row["isolation"] = isolation
        all_results = []
        for rep in range(REPEATS):
            results, secs = fan_out(list(range(n)), conc, submit_and_wait)
            ok = [r for r in results if r["ok"]]
            row["repeats"].append({"latencies_ms": [r["ms"] for r in ok], "rate": len(ok) / secs,
                                   "errors": len(results) - len(ok)})
            all_results += results
        errs = [r["error"] for r in all_results if not r["ok"]]
        if errs:
            log(f"  {len(errs)} failed jobs, e.g. {errs[0]}")
        if conc == 1:
            breakdowns[f"{isolation}, {actual} worker(s)"] = breakdown(all_results)
            row["per_lang_p50_ms"] = {lang: statistics.median([r["ms"] for r in all_results if r["ok"] and r["lang"] == lang])
                                      for lang, _, _, _ in PROGRAMS
                                      if any(r["ok"] and r["lang"] == lang for r in all_results)}
        summarize(row)
        s = row["summary"]
        log(f"  workers={actual} c={conc}: p50 {s['p50_ms']:.0f} ms, {s['rate']:.2f} jobs/s, errors {s['errors']}")
        rows.append(row)


# ---------------------------------------------------------------- S4: API only, next to redis-benchmark

def submit_only(i):
    t0 = time.perf_counter()
    try:
        status, doc = http_call("POST", "/jobs", job_body(i), timeout=30, reuse=True)
    except (OSError, http.client.HTTPException) as e:
        return {"ok": False, "ms": 0, "id": None, "error": str(e)}
    ok = status == 202 and doc and doc.get("id")
    return {"ok": bool(ok), "ms": (time.perf_counter() - t0) * 1000, "id": doc.get("id") if ok else None,
            "error": None if ok else f"{status} {doc}"}


def http_text(path):
    """GET path -> (status, body text), for the queue checks after a row (bench/queue_cleanup.py)."""
    conn = http.client.HTTPConnection(_URL.hostname, _URL.port or 80, timeout=30)
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        return resp.status, resp.read().decode()
    finally:
        conn.close()


def ensure_redis_benchmark():
    if shutil.which("redis-benchmark"):
        return True
    log("installing redis-tools for redis-benchmark")
    run(["bash", "-c", "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-tools"],
        check=False, timeout=300)
    return shutil.which("redis-benchmark") is not None


def scenario_api(rows, stack):
    stack.scale(0)
    row = new_row("S4", "API only: POST /jobs, 0 workers", API_CONCURRENCY, unit="submits/s", workers=0)
    for rep in range(REPEATS + 1):
        n = API_JOBS if rep else 200
        cutoff = queue_cleanup.cutoff_now()
        results, secs = fan_out(list(range(n)), API_CONCURRENCY, submit_only)
        queue_cleanup.drop_queued(stack, cutoff)                     # the jobs, their pending entries, the counts
        if rep:
            ok = [r for r in results if r["ok"]]
            row["repeats"].append({"latencies_ms": [r["ms"] for r in ok], "rate": len(ok) / secs,
                                   "errors": len(results) - len(ok)})
    rows.append(summarize(row))
    s = row["summary"]
    log(f"  API only: {s['rate']:.0f} submits/s, p99 {s['p99_ms']:.1f} ms, errors {s['errors']}")

    rb = new_row("S4", "redis-benchmark -t lpush (same Redis)", API_CONCURRENCY, unit="ops/s")
    rid = stack.redis_id()
    if ensure_redis_benchmark():
        ip = run(["docker", "inspect", "-f", "{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}", rid]
                 ).stdout.split()[0]
        cmd = ["redis-benchmark", "-h", ip]
        rb["note"] = "host redis-benchmark against the container's bridge IP"
    else:
        cmd = ["docker", "exec", rid, "redis-benchmark"]
        rb["note"] = "redis-benchmark inside the redis container"
    password = run(["docker", "exec", rid, "printenv", "REDIS_PASSWORD"], check=False).stdout.strip()
    cmd += ["-a", password] if password else []                     # compose's Redis requires it
    p50s, p95s, p99s, rates = [], [], [], []
    for rep in range(REPEATS):
        out = run(cmd + ["-t", "lpush", "-n", "100000", "-c", str(API_CONCURRENCY), "--csv"]).stdout
        line = [l for l in out.splitlines() if l.startswith('"LPUSH')][0]
        f = [x.strip('"') for x in line.split(",")]
        rates.append(float(f[1]))
        p50s.append(float(f[4]))
        p95s.append(float(f[5]))
        p99s.append(float(f[6]))
        rb["repeats"].append({"latencies_ms": [], "rate": float(f[1]), "errors": 0})
    stack.redis_cli("DEL", "mylist")                                # the list redis-benchmark filled
    rb.update(p50_ms=statistics.median(p50s), p99_ms=max(p99s), p95_ms=max(p95s), samples=100000 * REPEATS)
    summarize(rb)
    rb["summary"].update(p50_min_ms=min(p50s), p50_max_ms=max(p50s))
    rows.append(rb)


# ---------------------------------------------------------------- S5: batch

def await_job(job_id):
    t_end = time.time() + 600
    while time.time() < t_end:
        try:
            status, doc = http_call("GET", f"/jobs/{job_id}?wait=30", timeout=60, reuse=True)
        except (OSError, http.client.HTTPException):
            time.sleep(0.5)
            continue
        if status == 200:
            ok = doc.get("result", {}).get("verdict") == "ok"
            return {"ok": ok, "done": time.perf_counter(), "finishedAt": doc.get("finishedAt")}
    return {"ok": False, "done": time.perf_counter()}


def scenario_batch(rows, stack, workers):
    actual = stack.scale(workers)
    time.sleep(2)
    fan_out(list(range(6)), 6, submit_and_wait)                    # warm-up
    log(f"S5 batch: {BATCH_JOBS} jobs submitted at once to {actual} worker(s)")
    row = new_row("S5", f"batch of {BATCH_JOBS}, {actual} worker(s)", API_CONCURRENCY, unit="jobs/s",
                  workers=actual, note="one repeat; latency = submit start to observed completion")
    t0 = time.perf_counter()
    submitted, _ = fan_out(list(range(BATCH_JOBS)), API_CONCURRENCY, submit_only)
    t_submitted = time.perf_counter()
    ids = [r["id"] for r in submitted if r["ok"]]
    done, _ = fan_out(ids, API_CONCURRENCY, await_job)
    t_last = max(d["done"] for d in done) if done else time.perf_counter()
    ok = [d for d in done if d["ok"]]
    makespan = t_last - t0
    row["repeats"].append({"latencies_ms": [(d["done"] - t0) * 1000 for d in ok], "rate": len(ok) / makespan,
                           "errors": BATCH_JOBS - len(ok)})
    row["submit_seconds"] = t_submitted - t0
    row["makespan_seconds"] = makespan
    summarize(row)
    log(f"  batch: {len(ok)}/{BATCH_JOBS} ok in {makespan:.1f} s = {row['summary']['rate']:.2f} jobs/s "
        f"(all submitted after {t_submitted - t0:.1f} s)")
    rows.append(row)


# ---------------------------------------------------------------- S6: one graded job of 50 tests

GRADED_TESTS = setting("BENCH_GRADED_TESTS", 50, 50)


def graded_once(_):
    tests = [{"name": f"t{i}", "stdin": f"{i}\n", "expectedOutput": f"{i}\n"} for i in range(GRADED_TESTS)]
    t0 = time.perf_counter()
    try:
        status, doc = http_call("POST", "/jobs?wait=30", {"language": "python", "code": "print(input())",
                                                           "tests": tests}, timeout=60)
    except (OSError, http.client.HTTPException) as e:
        return {"ok": False, "ms": 0, "doc": None, "error": str(e)}
    ms = (time.perf_counter() - t0) * 1000
    ok = status == 200 and (doc.get("result") or {}).get("verdict") == "accepted"
    return {"ok": ok, "ms": ms, "doc": doc if ok else None, "error": None if ok else f"{status} {json.dumps(doc)[:200]}"}


def scenario_graded(rows, stack, workers, isolation):
    actual = stack.scale(workers, isolation=isolation)
    graded_once(0)                                                   # warm-up
    row = new_row("S6", f"python job of {GRADED_TESTS} tests ({isolation}), {actual} worker(s)", 1,
                  unit="tests/s", workers=actual, note="rate = tests per second of one job, end to end")
    for rep in range(REPEATS):
        r = graded_once(rep)
        row["repeats"].append({"latencies_ms": [r["ms"]] if r["ok"] else [],
                               "rate": GRADED_TESTS / (r["ms"] / 1000) if r["ok"] else None,
                               "errors": 0 if r["ok"] else 1})
        if not r["ok"]:
            log(f"  S6: {r['error']}")
    summarize(row)
    rows.append(row)


# ---------------------------------------------------------------- report

def add_ratios(rows):
    def ref(sid):
        mix = [r for r in rows if r["scenario"] == sid and r.get("mix")]
        c1 = next((r for r in mix if r["concurrency"] == 1), None)
        if c1 is None:                                            # not run (BENCH_ONLY)
            return None, None
        best = max(mix, key=lambda r: r["summary"]["rate"])
        return c1["summary"]["p50_ms"], best["summary"]["rate"]
    refs = {"S1": ref("S1"), "S2": ref("S2")}
    for r in rows:
        s = r["summary"]
        for sid, (p50, rate) in refs.items():
            s[f"p50_x_{sid}"] = s["p50_ms"] / p50 if s.get("p50_ms") is not None and p50 else None
            s[f"rate_x_{sid}"] = s["rate"] / rate if s.get("rate") and rate else None
    return refs


def goals(rows):
    """The three speed goals of issue 10, each with the figures it compares (None when a row is missing)."""
    def find(pred):
        return [r for r in rows if pred(r)]
    out = []
    bare = {r["label"].split("(")[1].rstrip(")"): r["summary"]["p50_ms"]
            for r in find(lambda r: r["scenario"] == "S1" and r["concurrency"] == 1 and not r.get("mix"))}
    e2e1 = find(lambda r: r["scenario"] == "S3" and r["concurrency"] == 1 and r.get("isolation") == "nested"
                and r.get("per_lang_p50_ms"))
    if e2e1 and bare:
        best = min(e2e1, key=lambda r: r["summary"]["p50_ms"])
        for lang, p50 in best["per_lang_p50_ms"].items():
            if lang in bare:
                ratio = p50 / bare[lang]
                out.append(f"goal 1 ({lang}): e2e p50 at c=1 {p50:.1f} ms = {ratio:.2f}x the bare interpreter "
                           f"({bare[lang]:.1f} ms); goal <= 3x: {'MET' if ratio <= 3 else 'NOT MET'} ({best['label']})")
    plain = find(lambda r: r["scenario"] == "S2c" and r["concurrency"] == 8)
    ours = find(lambda r: r["scenario"] == "S3" and r["concurrency"] == 8 and r.get("isolation") == "nested")
    if plain and ours:
        best = max(ours, key=lambda r: r["summary"]["rate"] or 0)
        ratio = (best["summary"]["rate"] or 0) / plain[0]["summary"]["rate"]
        out.append(f"goal 2: c=8 throughput {best['summary']['rate']:.1f} jobs/s ({best['label']}) = {ratio:.2f}x a "
                   f"hardened container per job via the Engine API ({plain[0]['summary']['rate']:.1f}/s); "
                   f"goal >= 2x: {'MET' if ratio >= 2 else 'NOT MET'}")
    bare_py = find(lambda r: r["scenario"] == "S1" and r["concurrency"] == 1 and r["label"] == "bare process (python)")
    graded = find(lambda r: r["scenario"] == "S6" and "(nested)" in r["label"])
    if bare_py and graded and graded[0]["summary"]["rate"]:
        ratio = graded[0]["summary"]["rate"] / bare_py[0]["summary"]["rate"]
        out.append(f"goal 3: a {GRADED_TESTS}-test python job runs {graded[0]['summary']['rate']:.1f} tests/s = "
                   f"{ratio:.0%} of the bare-process rate ({bare_py[0]['summary']['rate']:.1f}/s); goal >= 50%: "
                   f"{'MET' if ratio >= 0.5 else 'NOT MET'}")
    return out


def fmt(v, digits=1):
    if v is None:
        return "–"
    if abs(v) >= 100:
        return f"{v:,.0f}"
    return f"{v:.{digits}f}"


def table(rows):
    head = ["#", "scenario", "conc", "n", "p50 ms [min–max]", "p95 ms", "p99 ms", "rate/s [min–max]",
            "p50 ×S1", "p50 ×S2", "rate ÷S1", "rate ÷S2", "err"]
    lines = []
    for r in rows:
        s = r["summary"]
        p50 = fmt(s["p50_ms"]) + (f" [{fmt(s['p50_min_ms'])}–{fmt(s['p50_max_ms'])}]" if s.get("p50_min_ms") is not None else "")
        spread = f" [{fmt(s['rate_min'])}–{fmt(s['rate_max'])}]" if len(r["repeats"]) > 1 else ""
        rate = f"{fmt(s['rate'])}{spread} {r['unit'].split('/')[0]}" if s.get("rate") else "–"
        lines.append([r["scenario"], r["label"], str(r["concurrency"]), str(s["samples"]), p50, fmt(s["p95_ms"]),
                      fmt(s["p99_ms"]), rate, fmt(s["p50_x_S1"], 2) + "×", fmt(s["p50_x_S2"], 2) + "×",
                      fmt(s["rate_x_S1"], 3), fmt(s["rate_x_S2"], 3), str(s["errors"])])
    return head, lines


def render_text(head, lines):
    widths = [max(len(h), *(len(l[i]) for l in lines)) for i, h in enumerate(head)]
    out = ["  ".join(h.ljust(w) for h, w in zip(head, widths)), "  ".join("-" * w for w in widths)]
    out += ["  ".join(c.rjust(w) if i >= 2 else c.ljust(w) for i, (c, w) in enumerate(zip(l, widths))) for l in lines]
    return "\n".join(out)


def render_md(head, lines):
    out = ["| " + " | ".join(head) + " |", "|" + "|".join("---" if i < 2 else "---:" for i in range(len(head))) + "|"]
    out += ["| " + " | ".join(l) + " |" for l in lines]
    return "\n".join(out)


def render_breakdown(breakdowns):
    if not breakdowns:
        return ""
    workers = list(breakdowns)
    out = ["Where a concurrency-1 job's time goes (averages, ms, from each job document's `timings`):",
           "| part | " + " | ".join(w for w in workers) + " |",
           "|---|" + "---:|" * len(workers)]
    keys = []
    for w in workers:
        keys += [k for k in breakdowns[w] if k not in keys]
    order = list(PHASE_LABELS)
    keys.sort(key=lambda k: order.index(k) if k in order else len(order))
    for key in keys:
        label = PHASE_LABELS.get(key, key)
        out.append(f"| {label} | " + " | ".join(fmt(breakdowns[w].get(key)) for w in workers) + " |")
    return "\n".join(out)


def make_chart(src, dst):
    """bench/chart.py needs matplotlib: Debian's python3-matplotlib for /usr/bin/python3, installed if missing."""
    probe = "import matplotlib"
    py = next((p for p in ("/usr/bin/python3", sys.executable, "python3")
               if subprocess.run([p, "-c", probe], capture_output=True).returncode == 0), None)
    if py is None and os.geteuid() == 0 and shutil.which("apt-get"):
        log("installing python3-matplotlib (Debian) for the chart")
        run(["bash", "-c", "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "
                           "--no-install-recommends python3-matplotlib"], check=False, timeout=600)
        if subprocess.run(["/usr/bin/python3", "-c", probe], capture_output=True).returncode == 0:
            py = "/usr/bin/python3"
    if py is None:
        log("SKIPPING the chart: matplotlib is not importable and could not be installed "
            "(apt-get install python3-matplotlib, then: /usr/bin/python3 bench/chart.py RESULT.json)")
        return False
    res = subprocess.run([py, os.path.join(ROOT, "bench", "chart.py"), src, dst])
    return res.returncode == 0


def main():
    started = time.time()
    stamp = time.strftime("%Y%m%d-%H%M%S")
    os.makedirs(RESULTS, exist_ok=True)
    load_before = load_avg()
    log(f"{'QUICK' if QUICK else 'full'} run; load average before: {load_before}; {os.cpu_count()} cores")
    workers = list(WORKER_COUNTS)
    rows, breakdowns = [], {}
    sampler = LoadSampler()
    sampler.start()
    stack = Stack()
    stack.ensure_up(workers[0])
    mem = memory.MemorySampler()
    mem.start()
    mem_settings = {}
    door = None
    api = frontdoor.UnlimitedApi(stack, log)
    try:
        if any(wanted(x) for x in ("S3", "S4", "S5", "S6", "S7")):
            api.start()                                           # the default 600/min would refuse S4, S5, S7
        mem_settings = memory.settings()                          # as measured: the api as the bench runs it
        if wanted("S1"):
            scenario_physical(rows)
        if wanted("S2"):
            scenario_containers(rows, [("S2", "container per run (docker run --rm)", []),
                                       ("S2b", "hardened container per run (worker's flags)", HARDENED_FLAGS)])
        if wanted("S2c"):
            scenario_engine_api(rows)
        if wanted("S4"):
            scenario_api(rows, stack)
        if wanted("S7"):
            door = frontdoor.scenario_frontdoor(rows, stack, mem, API_URL, QUICK, REPEATS, log, http_text)
        if wanted("S3"):
            for w in workers:
                log(f"S3 end to end with {w} worker(s), nested isolation")
                with mem.phase(f"S3 {w} worker(s), nested"):
                    scenario_e2e(rows, stack, w, breakdowns, "nested")
        if wanted("S6"):
            scenario_graded(rows, stack, workers[0], "nested")
        if wanted("S3"):
            log(f"S3 end to end with {workers[-1]} worker(s), container isolation")
            with mem.phase(f"S3 {workers[-1]} worker(s), container"):
                scenario_e2e(rows, stack, workers[-1], breakdowns, "container")
        if wanted("S6"):
            scenario_graded(rows, stack, workers[0], "container")
        if wanted("S5"):
            stack.scale(workers[-1], isolation="nested")
            e2e = [r for r in rows if r["scenario"] == "S3"]
            best = max(e2e, key=lambda r: (r["concurrency"], r["summary"]["rate"] or 0)) if e2e else None
            with mem.phase("S5"):
                scenario_batch(rows, stack, BATCH_WORKERS or (best["workers"] if best else workers[-1]))
        mem_settings = {**memory.settings(), **mem_settings}      # the worker's, if none ran at the start
    finally:
        mem.stopped.set()
        api.restore()
        stack.restore()
    order = ["S1", "S2", "S2b", "S2c", "S3", "S4", "S7", "S5", "S6"]
    rows.sort(key=lambda r: order.index(r["scenario"]))           # stable: keeps the run order within each
    refs = add_ratios(rows)
    load_after = load_avg()
    sampler.stopped.set()
    during = sampler.report()
    head, lines = table(rows)
    meta = {"timestamp": stamp, "quick": QUICK, "seconds": round(time.time() - started, 1), "cores": os.cpu_count(),
            "load_before": load_before, "load_after": load_after, "during": during, "repeats": REPEATS,
            "references": {"S1": {"p50_ms": refs["S1"][0], "best_rate": refs["S1"][1]},
                           "S2": {"p50_ms": refs["S2"][0], "best_rate": refs["S2"][1]}},
            "docker": run(["docker", "version", "-f", "{{.Server.Version}}"], check=False).stdout.strip(),
            "only": ONLY, "memory_settings": mem_settings, "frontdoor": door}
    footer = (f"{'QUICK' if QUICK else 'full'} run {stamp}, {meta['seconds']:.0f} s, {meta['cores']} cores, "
              f"load average before {load_before[0]:.2f} / after {load_after[0]:.2f}"
              + (f", during: mean {during['load1_mean']:.1f}, max {during['load1_max']:.1f}, a Maven build ran beside"
                 f" the bench in {during['maven_share']:.0%} of the 5-s samples" if during else "")
              + f"; {REPEATS} repeats per row. "
              f"p50 = median of the repeats' p50 [min–max]; p95/p99 over all samples; rate = median [min–max]. "
              f"×S1/×S2: p50 over the S1/S2 concurrency-1 p50 (all languages); ÷S1/÷S2: rate over the best S1/S2 rate.")
    text = render_text(head, lines)
    all_goals = goals(rows) + frontdoor.goals(rows, mem)
    extra = memory.report(mem, mem_settings) + ("\n\n" + frontdoor.cleanup_line(door) if door else "")
    md = "# codeexec bench " + stamp + "\n\n" + render_md(head, lines) + "\n\n" + footer + "\n\n" + \
        render_breakdown(breakdowns) + "\n\n" + extra + "\n\n" + "\n".join(f"- {g}" for g in all_goals) + "\n"
    base = os.path.join(RESULTS, stamp)
    with open(base + ".json", "w") as f:
        json.dump({"meta": meta, "rows": rows, "breakdown": breakdowns, "memory_samples": mem.samples}, f, indent=1)
    with open(base + ".md", "w") as f:
        f.write(md)
    print()
    print(text)
    print()
    print(footer)
    print()
    print(render_breakdown(breakdowns))
    print()
    print(extra)
    print()
    for line in all_goals:
        print(line)
    print()
    charted = not SKIP_CHART and make_chart(base + ".json", base + ".png")
    log(f"wrote {base}.json, {base}.md" + (f", {base}.png" if charted else " (no chart)"))


if __name__ == "__main__":
    main()
