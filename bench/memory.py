"""Resident memory of the API and the workers while the bench loads them (issue 12: both <= 200 MB).

1. a thread samples, every BENCH_MEMORY_SAMPLE_SECONDS (0.5), each api and worker container of the compose
   project: VmRSS of its PID 1 (the java process) read from the host's /proc, and the container cgroup's
   anonymous memory (v1 memory.stat total_rss, v2 memory.stat anon) — page cache left out: the jar and
   log files it holds are reclaimable and not the process's;
2. each sample carries the phase the bench is in (`with sampler.phase("S7 c=64")`), so a row's figures
   are the samples taken while that row ran; `summary(prefix, service)` gives peak and median;
3. `settings()` records how heap and container memory are configured (the lead sets them; the bench only
   reports them).
Reading /proc and /sys from the host costs no process in the measured containers (a `docker exec` per
sample would itself load the 2 cores); when the engine is not local, it falls back to `docker exec`.
"""
import contextlib
import os
import statistics
import subprocess
import threading
import time

PROJECT = os.environ.get("COMPOSE_PROJECT_NAME", "codeexec")
SERVICES = ("api", "worker")
INTERVAL = float(os.environ.get("BENCH_MEMORY_SAMPLE_SECONDS", "0.5"))
LIMIT_MB = 200                                            # issue 12's bound for both processes
REFRESH_SECONDS = 5                                       # containers come and go when the bench scales


def _docker(*args):
    res = subprocess.run(["docker", *args], capture_output=True, text=True, timeout=30)
    return res.stdout if res.returncode == 0 else ""


def containers(service):
    """Running containers of a compose service: [(id, host pid)]."""
    ids = _docker("ps", "-q", "--no-trunc", "--filter", f"label=com.docker.compose.project={PROJECT}",
                  "--filter", f"label=com.docker.compose.service={service}").split()
    out = []
    for cid in ids:
        pid = _docker("inspect", "-f", "{{.State.Pid}}", cid).strip()
        if pid.isdigit() and pid != "0":
            out.append((cid, int(pid)))
    return out


def _status_kb(text, field):
    for line in text.splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return None


def rss_mb(cid, pid):
    """VmRSS of the container's PID 1 in MB and its thread count (each thread's stack is resident too):
    from the host's /proc, else through docker exec."""
    try:
        with open(f"/proc/{pid}/status") as f:
            text = f.read()
    except OSError:
        text = _docker("exec", cid, "cat", "/proc/1/status")
    kb = _status_kb(text, "VmRSS")
    return (kb / 1024 if kb is not None else None), _status_kb(text, "Threads")


def cgroup_anon_mb(cid):
    """The container's anonymous memory (its processes' heap, stacks, JIT code...) without page cache."""
    for path, field in ((f"/sys/fs/cgroup/memory/docker/{cid}/memory.stat", "total_rss"),
                        (f"/sys/fs/cgroup/system.slice/docker-{cid}.scope/memory.stat", "anon"),
                        (f"/sys/fs/cgroup/docker/{cid}/memory.stat", "anon")):
        try:
            with open(path) as f:
                for line in f:
                    name, value = line.split()
                    if name == field:
                        return int(value) / 2**20
        except OSError:
            continue
    return None


class MemorySampler(threading.Thread):
    def __init__(self):
        super().__init__(daemon=True)
        self.samples = []                       # (t, phase, service, container, rss_mb, anon_mb, threads)
        self.stopped = threading.Event()
        self.current = None
        self._targets, self._refreshed = {}, 0.0

    @contextlib.contextmanager
    def phase(self, label):
        self.current, self._refreshed = label, 0.0      # a new phase: look for containers at once
        try:
            yield
        finally:
            self.current = None

    def run(self):
        while not self.stopped.wait(INTERVAL):
            phase = self.current
            if phase is None:
                continue
            if time.time() - self._refreshed > REFRESH_SECONDS:
                self._targets = {s: containers(s) for s in SERVICES}
                self._refreshed = time.time()
            for service, targets in self._targets.items():
                for cid, pid in targets:
                    rss, threads = rss_mb(cid, pid)
                    if rss is not None:
                        self.samples.append((time.time(), phase, service, cid[:12], rss, cgroup_anon_mb(cid),
                                             threads))

    def summary(self, prefix, service):
        """Peak and median over the samples of phases starting with `prefix` (every container of the
        service pooled: the worst one bounds the peak), or None when nothing was sampled."""
        rows = [s for s in self.samples if s[1].startswith(prefix) and s[2] == service]
        if not rows:
            return None
        rss = [s[4] for s in rows]
        anon = [s[5] for s in rows if s[5] is not None]
        return {"phase": prefix, "service": service, "samples": len(rows), "containers": len({s[3] for s in rows}),
                "rss_peak_mb": round(max(rss), 1), "rss_median_mb": round(statistics.median(rss), 1),
                "anon_peak_mb": round(max(anon), 1) if anon else None,
                "anon_median_mb": round(statistics.median(anon), 1) if anon else None,
                "threads_peak": max((s[6] or 0) for s in rows)}


def settings():
    """Per service: the container memory limit, the java command line and the heap the JVM chose."""
    out = {}
    for service in SERVICES:
        found = containers(service)
        if not found:
            continue
        cid, pid = found[0]
        limit = _docker("inspect", "-f", "{{.HostConfig.Memory}}", cid).strip()
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmdline = f.read().replace(b"\0", b" ").decode().strip()
        except OSError:
            cmdline = _docker("exec", cid, "sh", "-c", "tr '\\0' ' ' < /proc/1/cmdline").strip()
        env = [e for e in _docker("inspect", "-f", "{{join .Config.Env \"\\n\"}}", cid).splitlines()
               if e.startswith(("JAVA_TOOL_OPTIONS=", "JDK_JAVA_OPTIONS=", "JAVA_OPTS="))]
        flags = _docker("exec", cid, "sh", "-c", "exec java $JAVA_OPTS -XX:+PrintFlagsFinal -version")  # as the image starts it
        heap = next((l.split()[3] for l in flags.splitlines() if " MaxHeapSize " in l), None)
        out[service] = {"container_limit_mb": int(limit) // 2**20 if limit.isdigit() and int(limit) else None,
                        "command": cmdline, "java_env": env,
                        "max_heap_mb": int(heap) // 2**20 if heap and heap.isdigit() else None}
    return out


def describe_settings(found):
    parts = []
    for service, s in found.items():
        limit = f"{s['container_limit_mb']} MB" if s["container_limit_mb"] else "none"
        parts.append(f"{service}: container limit {limit}, max heap {s['max_heap_mb']} MB "
                     f"(`{s['command']}`{'; ' + ', '.join(s['java_env']) if s['java_env'] else ''})")
    return "; ".join(parts)


def report(sampler, found_settings):
    """The memory section under the table: one line per phase and service, then the settings."""
    phases = list(dict.fromkeys(s[1] for s in sampler.samples))
    out = ["Resident memory (MB) per row: VmRSS of the java process (PID 1 of its container, from the host's "
           f"/proc every {INTERVAL:g} s) and the container's anonymous memory (cgroup, page cache left out):",
           "| phase | service | containers | samples | RSS peak | RSS median | anon peak | anon median | threads peak |",
           "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for phase in phases:
        for service in SERVICES:
            s = sampler.summary(phase, service)
            if s:
                out.append(f"| {phase} | {service} | {s['containers']} | {s['samples']} | {s['rss_peak_mb']} | "
                           f"{s['rss_median_mb']} | {s['anon_peak_mb']} | {s['anon_median_mb']} | {s['threads_peak']} |")
    out.append(f"Memory settings: {describe_settings(found_settings) or 'no api/worker container found'}")
    return "\n".join(out)
