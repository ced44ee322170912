"""S7, the front door (issue 12): how many `POST /jobs` the API takes per second, with the workers at 0.

1. `UnlimitedApi` recreates the api service with bench/frontdoor.compose.yml (no per-address rate limit
   that bites, no queue cap a 10-s run reaches) for the whole bench — S4, S5 and S3 submit more than
   the default 600 a minute too — and recreates it as `make up` has it afterwards, whatever happened;
2. per connection count: a warm-up, then `repeats` timed runs of Debian's `wrk` (C, 2 threads) with
   bench/wrk/post_jobs.lua, whose done() hook prints the counts and latency percentiles as JSON. wrk
   talks to the api container's own address on the compose network, not to the published port: from
   the host, a published port goes through Docker's userland proxy (docker-proxy), a Go process that
   copies every byte and took a third of a core at these rates — that would measure the proxy, not the
   API (a client on another machine reaches the port through the kernel's NAT instead);
3. after every run, bench/lua/drop_queued.lua takes the queued jobs back out (bench/queue_cleanup.py), and
   the stored count is checked against the answers wrk counted;
4. `goals` checks issue 12: >= 10,000 submissions/s with p99 < 10 ms at some concurrency, and resident
   memory <= 200 MB (API under S7, worker under S3/S5, from bench/memory.py).
"""
import json
import os
import shutil
import statistics
import subprocess
import time

import memory
import queue_cleanup

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WRK_SCRIPT = os.path.join("bench", "wrk", "post_jobs.lua")
OVERRIDE = os.path.join("bench", "frontdoor.compose.yml")
THREADS = 2                                   # wrk threads: one per core of the machine the issue names
TIMEOUT = "2s"                                # wrk's own socket timeout: a later answer is a timeout error
GOAL_RATE = 10_000                            # issue 12: submissions per second ...
GOAL_P99_MS = 10.0                            # ... with p99 below this, at some concurrency


class Settings:
    """S7's knobs (bench/README.md): BENCH_FRONTDOOR_CONNECTIONS, _SECONDS, _WARMUP_SECONDS, _JIT_SECONDS."""
    def __init__(self, quick, repeats):
        def env(name, full, short):
            raw = os.environ.get(name, "")
            return raw if raw else (short if quick else full)
        self.connections = [int(x) for x in str(env("BENCH_FRONTDOOR_CONNECTIONS", "16,32,64,256", "64")).split(",") if x]
        self.seconds = int(env("BENCH_FRONTDOOR_SECONDS", 10, 5))
        self.warmup = int(env("BENCH_FRONTDOOR_WARMUP_SECONDS", 3, 2))
        # Once, before the first row: the JIT compiles the request path (on 2 busy cores the JVM's C2
        # needs ~15-20 s of load), so the first row measures the API warm, like the others.
        self.jit = int(env("BENCH_FRONTDOOR_JIT_SECONDS", 20, 10))
        self.repeats = 1 if quick and not os.environ.get("BENCH_REPEATS") else repeats


def ensure_wrk(log):
    if shutil.which("wrk"):
        return True
    log("installing Debian's wrk for the front-door row")
    subprocess.run(["bash", "-c", "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk"],
                   capture_output=True, timeout=300)
    return shutil.which("wrk") is not None


def wrk_command(api_url, connections, seconds):
    return ["wrk", f"-t{THREADS}", f"-c{connections}", f"-d{seconds}s", "--timeout", TIMEOUT, "--latency",
            "-s", WRK_SCRIPT, api_url]


def run_wrk(api_url, connections, seconds):
    """One wrk run: its done() JSON plus wrk's own text (kept in the results)."""
    cmd = wrk_command(api_url, connections, seconds)
    res = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=seconds + 60)
    line = next((l for l in res.stdout.splitlines() if l.startswith("FRONTDOOR ")), None)
    if res.returncode != 0 or line is None:
        raise RuntimeError(f"{' '.join(cmd)} failed ({res.returncode}): {(res.stderr or res.stdout)[-500:]}")
    out = json.loads(line[len("FRONTDOOR "):])
    out["text"] = res.stdout.replace(line + "\n", "")
    return out


class UnlimitedApi:
    """The api service with bench/frontdoor.compose.yml while the bench runs, as `make up` has it after."""
    def __init__(self, stack, log):
        self.stack, self.log, self.changed = stack, log, False

    def start(self):
        self.changed = True
        self._recreate(override=True)

    def restore(self):
        """Back to `make up`'s api, unless the bench found the stack down (it is taken down then)."""
        if self.changed and self.stack.initial_ready:
            self._recreate(override=False)
        self.changed = False

    def _recreate(self, override):
        # BENCH_API_OVERRIDE: one more compose file on top, to try e.g. heap flags or a mem_limit on the
        # api without editing docker-compose.yml (what the bench measures is then the tried setting).
        extra = os.environ.get("BENCH_API_OVERRIDE", "")
        files = ["-f", "docker-compose.yml"] + (["-f", OVERRIDE] if override else [])
        files += ["-f", os.path.abspath(extra)] if override and extra else []
        self.log("recreating the api " + ("with bench/frontdoor.compose.yml (no rate limit or queue cap that "
                                          "bites)" if override else "as `make up` has it"))
        res = subprocess.run(self.stack.compose + files + ["up", "-d", "--no-build", "--no-deps", "api"], cwd=ROOT,
                             capture_output=True, text=True, timeout=300)
        if res.returncode != 0:
            raise RuntimeError(f"recreating the api failed: {res.stderr[-500:]}")
        deadline = time.time() + 120
        while not self.stack.ready():
            if time.time() > deadline:
                raise RuntimeError("the api did not answer /ready within 120 s after being recreated")
            time.sleep(0.5)


def timed_run(stack, api_url, connections, seconds, log, dropped_total):
    """One wrk run and its cleanup: the run's figures, with the jobs it stored (dropped afterwards)."""
    cutoff = queue_cleanup.cutoff_now()
    out = run_wrk(api_url, connections, seconds)
    dropped = queue_cleanup.drop_queued(stack, cutoff)
    dropped_total.append(dropped["dropped"])
    e = out["errors"]
    socket_errors = e["connect"] + e["read"] + e["write"] + e["timeout"]
    accepted = out["requests"] - e["status"]
    out.update(error_kinds=e, accepted=accepted, socket_errors=socket_errors, errors=e["status"] + socket_errors,
               stored=dropped["dropped"], rate=accepted / out["duration_s"])
    if dropped["dropped"] < accepted:
        log(f"  WARNING: wrk counted {accepted} accepted submissions, the queue held {dropped['dropped']}")
    return out


def direct_url(api_url, log):
    """http://<api container address>:8080 on its compose network (no docker-proxy), else api_url."""
    found = memory.containers("api")
    if found:
        nets = memory._docker("inspect", "-f",
                              "{{range $n, $c := .NetworkSettings.Networks}}{{$n}}={{$c.IPAddress}} {{end}}",
                              found[0][0]).split()
        for net in sorted(nets, key=lambda n: not n.split("=")[0].endswith("_default")):
            name, _, ip = net.partition("=")
            if ip:
                return f"http://{ip}:8080"
    log(f"S7: the api container's address is unknown; using {api_url} (through docker-proxy)")
    return api_url


def scenario_frontdoor(rows, stack, sampler, api_url, quick, repeats, log, http_get):
    if not ensure_wrk(log):
        log("SKIPPING S7: wrk is not installed and could not be installed (apt-get install wrk)")
        return None
    cfg = Settings(quick, repeats)
    stack.scale(0)
    api_url = direct_url(api_url, log)
    log(f"S7 sends to {api_url}")
    before = queue_cleanup.queue_state(stack, http_get)
    dropped = []
    started = queue_cleanup.cutoff_now()
    try:
        log(f"S7 JIT warm-up: {cfg.jit} s at {cfg.connections[0]} connections (not counted)")
        timed_run(stack, api_url, cfg.connections[0], cfg.jit, log, dropped)
        for conns in cfg.connections:
            with sampler.phase(f"S7 c={conns}"):
                log(f"S7 front door: wrk -t{THREADS} -c{conns}, {cfg.warmup} s warm-up, "
                    f"{cfg.repeats} x {cfg.seconds} s")
                timed_run(stack, api_url, conns, cfg.warmup, log, dropped)
                runs = [timed_run(stack, api_url, conns, cfg.seconds, log, dropped) for _ in range(cfg.repeats)]
            rows.append(frontdoor_row(conns, runs, sampler.summary(f"S7 c={conns}", "api")))
            s = rows[-1]["summary"]
            log(f"  c={conns}: {s['rate']:,.0f} submits/s, p50 {s['p50_ms']:.2f} ms, p99 {s['p99_ms']:.2f} ms, "
                f"errors {s['errors']}")
    finally:
        dropped.append(queue_cleanup.drop_queued(stack, started)["dropped"])  # what an interrupted run left
    time.sleep(1.1)                                               # the /metrics queue gauges cache 1 s
    after = queue_cleanup.queue_state(stack, http_get)
    log(f"  queue before S7 {before}, after {after}")
    return {"before": before, "after": after, "dropped": sum(dropped),
            "wrk": " ".join(wrk_command(api_url, "N", cfg.seconds))}


def cleanup_line(door):
    """How the queue looks after S7 dropped its jobs: everything back where it was."""
    b, a = door["before"], door["after"]
    clean = (a["queued_counter"] == b["queued_counter"] and a["pending_list"] == b["pending_list"]
             and a["stats_pending"] == b["stats_pending"] and a["metrics_pending"] == b["metrics_pending"])
    return (f"S7 cleanup: {door['dropped']:,} queued jobs dropped (bench/lua/drop_queued.lua); before -> after: "
            f"queued counter {b['queued_counter']} -> {a['queued_counter']}, pending list {b['pending_list']} -> "
            f"{a['pending_list']}, /stats pending {b['stats_pending']} -> {a['stats_pending']}, /metrics "
            f"codeexec_queue_pending {b['metrics_pending']} -> {a['metrics_pending']}, Redis keys {b['redis_keys']:,} -> "
            f"{a['redis_keys']:,}, used memory {b['redis_used_mb']} -> {a['redis_used_mb']} MB (dataset "
            f"{b['redis_dataset_mb']} -> {a['redis_dataset_mb']} MB): "
            f"{'queue as found' if clean else 'QUEUE NOT AS FOUND'}. wrk: {door['wrk']}")


def frontdoor_row(connections, runs, api_memory):
    """A table row like S4's redis-benchmark row: wrk gives percentiles per run, not samples, so p50 is the
    median of the runs' p50 [min–max] and p95/p99 the worst run's (as conservative as pooling)."""
    p50s = [r["latency_ms"]["p50"] for r in runs]
    rates = [r["rate"] for r in runs]
    note = "wrk, 2 threads; errors = answers >= 400 + socket errors"
    if api_memory:
        note += f"; API RSS peak {api_memory['rss_peak_mb']} MB, median {api_memory['rss_median_mb']} MB"
    return {"scenario": "S7", "label": "front door: wrk POST /jobs, 0 workers", "concurrency": connections,
            "workers": 0, "unit": "submits/s", "note": note, "api_memory": api_memory,
            "repeats": [{"latencies_ms": [], "rate": r["rate"], "errors": r["errors"], "wrk": r} for r in runs],
            "summary": {"samples": sum(r["requests"] for r in runs), "p50_ms": statistics.median(p50s),
                        "p50_min_ms": min(p50s) if len(runs) > 1 else None,
                        "p50_max_ms": max(p50s) if len(runs) > 1 else None,
                        "p95_ms": max(r["latency_ms"]["p95"] for r in runs),
                        "p99_ms": max(r["latency_ms"]["p99"] for r in runs),
                        "p999_ms": max(r["latency_ms"]["p999"] for r in runs),
                        "rate": statistics.median(rates), "rate_min": min(rates), "rate_max": max(rates),
                        "errors": sum(r["errors"] for r in runs)}}


def goals(rows, sampler):
    """Issue 12's front-door and memory goals, each a PASS/FAIL line with its figures."""
    out = []
    door = [r for r in rows if r["scenario"] == "S7"]
    if door:
        met = [r for r in door if r["summary"]["rate"] >= GOAL_RATE and r["summary"]["p99_ms"] < GOAL_P99_MS
               and r["summary"]["errors"] == 0]
        best = max(met or door, key=lambda r: r["summary"]["rate"])
        s = best["summary"]
        out.append(f"issue 12 front door: {s['rate']:,.0f} submissions/s with p99 {s['p99_ms']:.2f} ms and "
                   f"{s['errors']} errors at {best['concurrency']} connections; goal >= {GOAL_RATE:,}/s with "
                   f"p99 < {GOAL_P99_MS:.0f} ms at some concurrency: {'PASS' if met else 'FAIL'}")
    for service, prefixes in (("api", ["S7"]), ("worker", ["S3", "S5"])):
        found = [x for x in (sampler.summary(p, service) for p in prefixes) if x]
        if not found:
            out.append(f"issue 12 memory ({service}): not measured ({'/'.join(prefixes)} did not run)")
            continue
        peak = max(found, key=lambda x: x["rss_peak_mb"])
        medians = ", ".join(f"{x['phase']} median {x['rss_median_mb']} MB" for x in found)
        out.append(f"issue 12 memory ({service}): RSS peak {peak['rss_peak_mb']} MB under {peak['phase']} "
                   f"({medians}; container anon memory peak {peak['anon_peak_mb']} MB); goal <= "
                   f"{memory.LIMIT_MB} MB: {'PASS' if peak['rss_peak_mb'] <= memory.LIMIT_MB else 'FAIL'}")
    return out
