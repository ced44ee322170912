#!/usr/bin/env python3
"""make soak: hours of realistic mixed load on the running stack, sampled every 10 s (issue 14).

1. Brings the stack up (make up) when /ready does not answer, then drives it for SOAK_MINUTES (default
   30; 60 for the documented hour) with a mix: interactive jobs (?wait), long polls, graded batches,
   cancels, hostile programs (fork bomb, memory hog, busy loop, output flood, sleeper), and a worker
   restart every SOAK_RESTART_EVERY seconds (default 180).
2. Samples every SOAK_SAMPLE_SECONDS (10): API and worker RSS, threads and open descriptors, Redis
   memory and keys by prefix (and keys without a TTL), containers on the engine, queue depth, and the
   interval's job latency percentiles.
3. Writes bench/results/soak-<ts>.csv, .json (samples + verdict) and .png, and prints the verdict:
   flat memory and descriptors, keys bounded (nothing without a TTL piles up), no leftover containers,
   no errors (no 5xx, no connection error, no internal_error verdict, every accepted job final).
Exit status 0 when the verdict passes. Settings: SOAK_MINUTES, SOAK_RESTART_EVERY, SOAK_SAMPLE_SECONDS,
SOAK_RATE (interactive jobs per second, default 3), API_URL, CODEEXEC_KEY (when AUTH_MODE=keys).
"""
import csv
import datetime
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
API_URL = os.environ.get("API_URL", "http://localhost:8080")
MINUTES = float(os.environ.get("SOAK_MINUTES", "30"))
RESTART_EVERY = float(os.environ.get("SOAK_RESTART_EVERY", "180"))
SAMPLE_EVERY = float(os.environ.get("SOAK_SAMPLE_SECONDS", "10"))
RATE = float(os.environ.get("SOAK_RATE", "3"))
KEY = os.environ.get("CODEEXEC_KEY", "")
COMPOSE = ["bash", os.path.join(ROOT, "scripts", "compose.sh")]
URL = urllib.parse.urlsplit(API_URL)

HOSTILE = [
    ("python", "import os\nwhile True:\n    os.fork()"),
    ("python", "x = bytearray(1)\nwhile True:\n    x += bytearray(10**7)"),
    ("c", "int main(){for(;;);}"),
    ("python", "while True:\n    print('y' * 1000)"),
    ("python", "import time\ntime.sleep(60)"),
    ("javascript", "const a=[];for(;;)a.push(new Array(1e6).fill(1));"),
]
NO_TTL_OK = 40  # keys without a TTL may grow by this much (worker ids, languages, a queue appearing)


def log(msg):
    print(f"[soak {datetime.datetime.now():%H:%M:%S}] {msg}", flush=True)


def run(cmd, timeout=60):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=ROOT)


class Tally:
    """Everything the load threads observed, shared under one lock."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latencies = []       # (finished at, ms) of interactive jobs
        self.errors = []          # (time, what)
        self.accepted = set()     # job ids the API accepted
        self.verdicts = {}
        self.requests = 0

    def error(self, what):
        with self.lock:
            self.errors.append((time.time(), what))
        log(f"ERROR {what}")


def call(tally, method, path, body=None, timeout=70):
    headers = {"Content-Type": "application/json"} if body is not None else {}
    if KEY:
        headers["Authorization"] = f"Bearer {KEY}"
    conn = http.client.HTTPConnection(URL.hostname, URL.port or 80, timeout=timeout)
    try:
        conn.request(method, path, body=json.dumps(body).encode() if body is not None else None, headers=headers)
        resp = conn.getresponse()
        data = resp.read()
    except (OSError, http.client.HTTPException) as e:
        tally.error(f"{method} {path}: {type(e).__name__} {e}")
        return None, None
    finally:
        conn.close()
    with tally.lock:
        tally.requests += 1
    if resp.status >= 500:
        tally.error(f"{method} {path}: {resp.status} {data[:200]!r}")
    try:
        return resp.status, json.loads(data) if data else None
    except ValueError:
        tally.error(f"{method} {path}: {resp.status} not JSON: {data[:200]!r}")
        return resp.status, None


def record_final(tally, job):
    if not job or "result" not in job or not job.get("result"):
        return
    verdict = job["result"].get("verdict")
    with tally.lock:
        tally.verdicts[verdict] = tally.verdicts.get(verdict, 0) + 1
    if verdict == "internal_error":
        tally.error(f"job {job.get('id')} internal_error: {job['result'].get('message')}")


def submit(tally, body, wait=None):
    status, doc = call(tally, "POST", "/jobs" + (f"?wait={wait}" if wait else ""), body)
    if status in (200, 202) and doc and doc.get("id"):
        with tally.lock:
            tally.accepted.add(doc["id"])
        return status, doc
    if status is not None and status != 429:
        tally.error(f"POST /jobs answered {status}: {str(doc)[:200]}")
    return status, None


def interactive(tally, stop):
    rng = random.Random(1)
    programs = [("python", "print(sum(range(1000)))"), ("javascript", "console.log(6*7)"),
                ("ruby", "puts gets.to_s.upcase"), ("c", "#include <stdio.h>\nint main(){puts(\"hi\");}")]
    while not stop.is_set():
        started = time.time()
        language, code = rng.choice(programs)
        status, doc = submit(tally, {"language": language, "code": code, "stdin": "soak"}, wait=25)
        if status == 200:
            with tally.lock:
                tally.latencies.append((time.time(), (time.time() - started) * 1000))
            record_final(tally, doc)
        time.sleep(max(0.0, rng.expovariate(RATE / 2) - (time.time() - started)))  # two such threads


def long_polls(tally, stop):
    while not stop.is_set():
        status, doc = submit(tally, {"language": "python", "code": "import time\ntime.sleep(1.5)\nprint('late')"})
        if doc:
            status, job = call(tally, "GET", f"/jobs/{doc['id']}?wait=25")
            if status == 200 and job and job.get("status") in ("completed", "cancelled"):
                record_final(tally, job)
        stop.wait(2)


def batches(tally, stop):
    tests = [{"stdin": f"{i}\n", "expectedOutput": f"{i * 2}\n"} for i in range(3)]
    while not stop.is_set():
        jobs = [{"language": "python", "code": "print(int(input()) * 2)" if i % 5 else "print(0)", "tests": tests}
                for i in range(20)]
        status, doc = call(tally, "POST", "/batches", {"jobs": jobs, "metadata": {"soak": True}})
        if status == 202 and doc:
            with tally.lock:
                tally.accepted.update(doc.get("jobIds", []))
            deadline = time.time() + 300
            while not stop.is_set() and time.time() < deadline:
                status, batch = call(tally, "GET", f"/batches/{doc['id']}?wait=25")
                if status == 200 and batch and batch.get("done"):
                    break
        elif status not in (None, 429):
            tally.error(f"POST /batches answered {status}")
        stop.wait(30)


def cancels(tally, stop):
    while not stop.is_set():
        status, doc = submit(tally, {"language": "python", "code": "import time\ntime.sleep(5)"})
        if doc:
            stop.wait(random.uniform(0.05, 1.5))
            status, _ = call(tally, "DELETE", f"/jobs/{doc['id']}")
            if status not in (200, 409):
                tally.error(f"DELETE /jobs/{doc['id']} answered {status}")
        stop.wait(5)


def hostile(tally, stop):
    i = 0
    while not stop.is_set():
        language, code = HOSTILE[i % len(HOSTILE)]
        i += 1
        status, doc = submit(tally, {"language": language, "code": code,
                                     "limits": {"timeMs": 1000, "wallTimeMs": 3000, "memoryMb": 128}}, wait=25)
        if status == 200:
            record_final(tally, doc)
        stop.wait(20)


def service_ids(service):
    res = run(COMPOSE + ["ps", "-q", service])
    return [line for line in res.stdout.split() if line]


def restarts(tally, stop, log_lines):
    n = 0
    while not stop.wait(RESTART_EVERY):
        workers = service_ids("worker")
        if not workers:
            tally.error("no worker container to restart")
            continue
        victim = workers[n % len(workers)]
        n += 1
        log(f"restarting worker {victim[:12]} (restart {n})")
        res = run(["docker", "restart", "-t", "45", victim], timeout=120)
        log_lines.append((time.time(), f"restart {victim[:12]} rc={res.returncode}"))


def proc_stats(cid):
    """RSS (MB), threads and open descriptors of the container's PID 1, or Nones."""
    res = run(["docker", "exec", cid, "sh", "-c",
               "grep -E '^(VmRSS|Threads):' /proc/1/status; ls /proc/1/fd | wc -l"], timeout=20)
    if res.returncode != 0:
        return None, None, None
    values = {}
    lines = res.stdout.strip().splitlines()
    for line in lines[:-1]:
        key, _, value = line.partition(":")
        values[key] = int(value.split()[0])
    return values.get("VmRSS", 0) / 1024, values.get("Threads"), int(lines[-1])


KEYS_LUA = """
local counts, nottl, cursor = {}, {}, '0'
repeat
  local page = redis.call('SCAN', cursor, 'COUNT', 1000)
  cursor = page[1]
  for _, key in ipairs(page[2]) do
    local prefix = string.match(key, '^([^:]+:[^:]+)') or key
    counts[prefix] = (counts[prefix] or 0) + 1
    if redis.call('TTL', key) == -1 then nottl[prefix] = (nottl[prefix] or 0) + 1 end
  end
until cursor == '0'
local out = {}
for prefix, n in pairs(counts) do table.insert(out, prefix .. ' ' .. n .. ' ' .. (nottl[prefix] or 0)) end
return out
"""


def redis_stats():
    ids = service_ids("redis")
    if not ids:
        return None, {}, {}
    info = run(["docker", "exec", ids[0], "redis-cli", "INFO", "memory"]).stdout
    used = next((int(line.split(":")[1]) for line in info.splitlines() if line.startswith("used_memory:")), 0)
    res = run(["docker", "exec", ids[0], "redis-cli", "EVAL", KEYS_LUA, "0"])
    counts, nottl = {}, {}
    for line in res.stdout.splitlines():
        parts = line.split()
        if len(parts) == 3:
            counts[parts[0]] = int(parts[1])
            nottl[parts[0]] = int(parts[2])
    return used / 1048576, counts, nottl


STACK_WORKERS = set()  # every worker id the stack's /stats listed during the soak (restarts get new ids)


def sandbox_containers():
    """Sandbox hosts of this stack's workers, running and exited (other engines' users are not counted)."""
    res = run(["docker", "ps", "-a", "--filter", "label=codeexec.worker",
               "--format", '{{.Label "codeexec.worker"}} {{.State}}'])
    running = exited = 0
    for line in res.stdout.splitlines():
        worker, _, state = line.partition(" ")
        if worker in STACK_WORKERS:
            running += state == "running"
            exited += state != "running"
    return running, exited


def pct(values, p):
    if not values:
        return None
    values = sorted(values)
    return round(values[min(len(values) - 1, int(p / 100 * len(values)))], 1)


def sample(tally, started, since):
    api = service_ids("api")
    api_rss, api_threads, api_fds = proc_stats(api[0]) if api else (None, None, None)
    worker_stats = [proc_stats(cid) for cid in service_ids("worker")]
    worker_stats = [s for s in worker_stats if s[0] is not None]
    redis_mb, counts, nottl = redis_stats()
    _, stats = call(tally, "GET", "/stats", timeout=10)
    STACK_WORKERS.update(w.get("id") for w in (stats or {}).get("workers", []))
    running, exited = sandbox_containers()
    with tally.lock:
        recent = [ms for at, ms in tally.latencies if at >= since]
        errors = len(tally.errors)
    return {
        "t": round(time.time() - started),
        "api_rss_mb": api_rss and round(api_rss, 1), "api_threads": api_threads, "api_fds": api_fds,
        "worker_rss_mb": round(max(s[0] for s in worker_stats), 1) if worker_stats else None,
        "worker_threads": max(s[1] for s in worker_stats) if worker_stats else None,
        "worker_fds": max(s[2] for s in worker_stats) if worker_stats else None,
        "redis_mb": redis_mb and round(redis_mb, 1), "keys": sum(counts.values()),
        "keys_without_ttl": sum(nottl.values()), "keys_by_prefix": json.dumps(counts, sort_keys=True),
        "sandbox_containers": running, "exited_containers": exited,
        "pending": (stats or {}).get("pending"), "running": (stats or {}).get("running"),
        "p50_ms": pct(recent, 50), "p95_ms": pct(recent, 95), "p99_ms": pct(recent, 99),
        "jobs_in_interval": len(recent), "errors": errors,
    }


def flat(samples, key, slack):
    """Growth of `key` from the middle third to the last third of the run (medians): (ok, text)."""
    values = [s[key] for s in samples if s.get(key) is not None]
    if len(values) < 6:
        return True, f"{key}: too few samples to judge"
    third = len(values) // 3
    middle, last = statistics.median(values[third:2 * third]), statistics.median(values[2 * third:])
    ok = last <= middle * 1.10 + slack
    return ok, f"{key}: middle-third median {middle:.1f} -> last-third median {last:.1f} (allowed +10% +{slack})"


def drain(tally, timeout=300):
    """Waits until every accepted job is final; returns the ids that are not."""
    deadline = time.time() + timeout
    with tally.lock:
        pending = set(tally.accepted)
    while pending and time.time() < deadline:
        for job_id in list(pending)[:200]:
            status, job = call(tally, "GET", f"/jobs/{job_id}", timeout=10)
            if status == 404 or (job and job.get("status") in ("completed", "cancelled")):
                pending.discard(job_id)
        if pending:
            time.sleep(2)
    return pending


def verdict(tally, samples, lost, workers_expected):
    checks = [flat(samples, "api_rss_mb", 16), flat(samples, "worker_rss_mb", 16),
              flat(samples, "api_threads", 4), flat(samples, "worker_threads", 4),
              flat(samples, "api_fds", 8), flat(samples, "worker_fds", 8)]
    first, last = samples[0], samples[-1]
    grew = last["keys_without_ttl"] - first["keys_without_ttl"]
    checks.append((grew <= NO_TTL_OK, f"keys without a TTL: {first['keys_without_ttl']} -> {last['keys_without_ttl']}"
                   f" (allowed +{NO_TTL_OK}; everything a job leaves expires with the result TTL)"))
    running, exited = sandbox_containers()
    checks.append((exited == 0 and running <= workers_expected,
                   f"sandbox containers after drain: {running} running (warm pool: at most {workers_expected}, one per language and slot), {exited} exited"))
    checks.append((not lost, f"accepted jobs not final after drain: {len(lost)}"))
    checks.append((not tally.errors, f"errors: {len(tally.errors)}"
                   + (f", first: {tally.errors[0][1]}" if tally.errors else "")))
    return all(ok for ok, _ in checks), [("PASS " if ok else "FAIL ") + text for ok, text in checks]


def ensure_stack():
    status, _ = call(Tally(), "GET", "/ready", timeout=5)
    if status == 200:
        return
    log("stack not ready: make up")
    subprocess.run(["make", "--no-print-directory", "up"], cwd=ROOT, check=True)


def chart(json_path, png_path):
    code = f"""
import json, matplotlib
matplotlib.use('Agg')
import matplotlib.pyplot as plt
d = json.load(open({json_path!r}))
s = d['samples']; t = [x['t'] / 60 for x in s]
fig, ax = plt.subplots(2, 2, figsize=(14, 8))
for k in ('api_rss_mb', 'worker_rss_mb', 'redis_mb'): ax[0][0].plot(t, [x[k] for x in s], label=k)
ax[0][0].set_title('memory (MB)'); ax[0][0].legend()
for k in ('api_threads', 'worker_threads', 'api_fds', 'worker_fds', 'sandbox_containers'): ax[0][1].plot(t, [x[k] for x in s], label=k)
ax[0][1].set_title('threads, descriptors, containers'); ax[0][1].legend()
for k in ('keys', 'keys_without_ttl'): ax[1][0].plot(t, [x[k] for x in s], label=k)
ax[1][0].set_title('Redis keys'); ax[1][0].legend()
for k in ('p50_ms', 'p95_ms', 'p99_ms'): ax[1][1].plot(t, [x[k] or 0 for x in s], label=k)
ax[1][1].plot(t, [x['pending'] or 0 for x in s], label='pending', linestyle=':')
ax[1][1].set_title('interactive job latency (ms) and queue'); ax[1][1].legend()
for a in ax.flat: a.set_xlabel('minutes')
fig.suptitle('codeexec soak: ' + ('PASS' if d['passed'] else 'FAIL'))
fig.tight_layout(); fig.savefig({png_path!r}, dpi=90)
"""
    for py in ("/usr/bin/python3", sys.executable):
        if subprocess.run([py, "-c", code], capture_output=True).returncode == 0:
            return True
    log("no chart: matplotlib missing (apt-get install python3-matplotlib)")
    return False


def main():
    ensure_stack()
    workers = len(service_ids("worker"))
    concurrency = int(os.environ.get("WORKER_CONCURRENCY", "2"))
    log(f"soaking {API_URL} for {MINUTES:g} min: {workers} worker(s), a restart every {RESTART_EVERY:g} s, "
        f"~{RATE:g} interactive jobs/s, samples every {SAMPLE_EVERY:g} s")
    tally, stop, events = Tally(), threading.Event(), []
    threads = [threading.Thread(target=fn, args=(tally, stop), daemon=True)
               for fn in (interactive, interactive, long_polls, batches, cancels, hostile)]
    threads.append(threading.Thread(target=restarts, args=(tally, stop, events), daemon=True))
    started = time.time()
    samples = [sample(tally, started, started)]
    for t in threads:
        t.start()
    end = started + MINUTES * 60
    while time.time() < end:
        since = time.time()
        time.sleep(max(0.0, min(SAMPLE_EVERY, end - time.time())))
        samples.append(sample(tally, started, since))
        s = samples[-1]
        log(f"t={s['t']}s api {s['api_rss_mb']} MB/{s['api_threads']} thr/{s['api_fds']} fd, worker "
            f"{s['worker_rss_mb']} MB, redis {s['redis_mb']} MB {s['keys']} keys ({s['keys_without_ttl']} no TTL), "
            f"containers {s['sandbox_containers']}, pending {s['pending']}, p50 {s['p50_ms']} ms, errors {s['errors']}")
    stop.set()
    log("load stopped; waiting for every accepted job to finish")
    for t in threads:
        t.join(timeout=120)
    lost = drain(tally)
    time.sleep(SAMPLE_EVERY)
    samples.append(sample(tally, started, time.time()))
    # A warm sandbox host per language and slot: the most a worker keeps is concurrency × languages.
    languages = len(call(tally, "GET", "/languages", timeout=10)[1] or []) or 8
    passed, lines = verdict(tally, samples, lost, max(workers, 1) * concurrency * languages)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    out = os.path.join(ROOT, "bench", "results")
    os.makedirs(out, exist_ok=True)
    base = os.path.join(out, f"soak-{stamp}")
    with open(base + ".csv", "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(samples[0]))
        writer.writeheader()
        writer.writerows(samples)
    with open(base + ".json", "w") as f:
        json.dump({"minutes": MINUTES, "requests": tally.requests, "accepted": len(tally.accepted),
                   "verdicts": tally.verdicts, "restarts": events, "errors": tally.errors[:100],
                   "passed": passed, "verdict": lines, "samples": samples}, f, indent=1)
    chart(base + ".json", base + ".png")
    log(f"{tally.requests} requests, {len(tally.accepted)} jobs accepted, verdicts {tally.verdicts}, "
        f"{len(events)} worker restarts")
    print("\n".join(lines))
    print(f"VERDICT: {'PASS' if passed else 'FAIL'}  ({base}.csv, .json, .png)")
    sys.exit(0 if passed else 1)


if __name__ == "__main__":
    main()
