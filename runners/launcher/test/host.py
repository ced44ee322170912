"""A sandbox host for tests: one runner container in --serve mode, started with the worker's flags.

1. `payload(...)` builds a CE3 payload (docs/launcher-protocol.md);
2. `SandboxHost` starts the container, waits for the ready line, sends payloads and parses records;
3. `launcher_cpu_ms()` reads the launcher's own CPU time from outside (docker exec, /proc/1/stat).
Standard library only.
"""
import os
import secrets
import subprocess
import time

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
SECCOMP_PROFILE = os.path.join(REPO, "worker", "src", "main", "resources", "sandbox", "seccomp-host.json")
RS = b"\x1e"

# limits line: fileBytes outputBytes processes memoryKb cpuMs wallMs compileMemoryKb compileCpuMs compileWallMs
DEFAULT_LIMITS = dict(file_bytes=1 << 20, output_bytes=65536, processes=64, memory_kb=128 * 1024, cpu_ms=2000,
                      wall_ms=5000, compile_memory_kb=512 * 1024, compile_cpu_ms=10000, compile_wall_ms=20000)
LIMIT_ORDER = list(DEFAULT_LIMITS)


def _argv_line(tag, argv):
    items = [a.encode() if isinstance(a, str) else a for a in argv]
    return (f"{tag} {len(items)}" + "".join(f" {len(a)}" for a in items) + "\n").encode() + b"".join(items)


def payload(files, run, tests=((b"", ()),), compile=(), stop_on_failure=False, nonce=None, stream=False, **limits):
    """files: [(name, bytes)]; run/compile: argv; tests: [(stdin bytes, extra args)]; stream: chunk records."""
    nonce = nonce or secrets.token_hex(16)
    values = dict(DEFAULT_LIMITS, **limits)
    flags = (1 if stop_on_failure else 0) | (2 if stream else 0)
    out = bytearray(f"CE3 {nonce} {flags}\n".encode())
    out += ("limits " + " ".join(str(values[k]) for k in LIMIT_ORDER) + "\n").encode()
    files = [(n.encode() if isinstance(n, str) else n, d.encode() if isinstance(d, str) else d) for n, d in files]
    out += (f"files {len(files)}" + "".join(f" {len(n)} {len(d)}" for n, d in files) + "\n").encode()
    for name, data in files:
        out += name + data
    out += _argv_line("compile", compile)
    out += _argv_line("run", run)
    out += f"tests {len(tests)}\n".encode()
    for stdin, args in tests:
        stdin = stdin.encode() if isinstance(stdin, str) else stdin
        items = [a.encode() if isinstance(a, str) else a for a in args]
        out += (f"{len(stdin)} {len(items)}" + "".join(f" {len(a)}" for a in items) + "\n").encode()
        out += stdin + b"".join(items)
    return nonce, bytes(out)


class Record(dict):
    """One record: its kind ('compile', 'test', 'chunk', 'done', 'error'), numeric fields, out/err bytes
    (a chunk's bytes in 'data', with the time it arrived in 'at')."""


class SandboxHost:
    def __init__(self, image, memory_mb=512, pids=128, tmpfs_mb=256, mode="--serve", seccomp=SECCOMP_PROFILE,
                 systempaths="unconfined"):
        self.name = "ce-launcher-test-" + secrets.token_hex(4)
        uid = 60000 + secrets.randbelow(5000)
        self.proc = subprocess.Popen(
            ["docker", "run", "-i", "--rm", "--name", self.name, "--user", f"{uid}:{uid}", "--cap-drop", "ALL",
             "--security-opt", "no-new-privileges", *(["--security-opt", f"seccomp={seccomp}"] if seccomp else []),
             *(["--security-opt", f"systempaths={systempaths}"] if systempaths else []), "--read-only", "--network", "none", "--ipc", "none",
             "--tmpfs", f"/sandbox:rw,exec,nosuid,nodev,size={tmpfs_mb}m,uid={uid},gid={uid},mode=0700",
             "--pids-limit", str(pids), "--memory", f"{memory_mb}m", "--memory-swap", f"{memory_mb}m",
             "--ulimit", "core=0:0", "--log-driver", "none", image, "codeexec-launch", mode],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, bufsize=0)
        ready = self._read_line()
        if ready != RS + b"CODEEXEC-READY 3":
            raise RuntimeError(f"no ready line, got {ready!r}; stderr: {self.proc.stderr.read()!r}")

    def _read_exact(self, n):
        buf = bytearray()
        while len(buf) < n:
            chunk = self.proc.stdout.read(n - len(buf))
            if not chunk:
                raise EOFError(f"launcher stdout ended after {len(buf)} of {n} bytes")
            buf += chunk
        return bytes(buf)

    def _read_line(self):
        buf = bytearray()
        while True:
            c = self.proc.stdout.read(1)
            if not c:
                return bytes(buf) if buf else None
            if c == b"\n":
                return bytes(buf)
            buf += c

    def run(self, nonce_and_payload):
        """Sends one payload; returns (records, seconds until done/error)."""
        nonce, data = nonce_and_payload
        started = time.monotonic()
        self.proc.stdin.write(data)
        self.proc.stdin.flush()
        records = []
        while True:
            line = self._read_line()
            if line is None:
                raise EOFError("launcher ended without done/error")
            prefix = RS + b"CODEEXEC " + nonce.encode() + b" "
            if not line.startswith(prefix) and not line.startswith(RS + b"CODEEXEC - "):
                raise ValueError(f"not a record: {line[:200]!r}")
            words = line.split(b" ", 2)[2].decode()
            rec = Record()
            if words == "done" or words.startswith("error"):
                rec["kind"] = words.split(" ", 1)[0]
                rec["message"] = words[6:]
                records.append(rec)
                return records, time.monotonic() - started
            parts = words.split(" ")
            rec["kind"] = parts[0] if parts[0] in ("compile", "chunk") else "test"
            for part in parts:
                key, _, value = part.partition("=")
                if value:
                    rec[key] = int(value)
            if rec["kind"] == "chunk":
                rec["data"] = self._read_exact(rec["len"])
                rec["at"] = time.monotonic()
                records.append(rec)
                continue
            rec["out"] = self._read_exact(rec["outLen"])
            rec["err"] = self._read_exact(rec.get("errLen", 0))
            records.append(rec)

    def launcher_cpu_ms(self):
        stat = subprocess.run(["docker", "exec", self.name, "cat", "/proc/1/stat"], capture_output=True,
                              check=True).stdout.decode()
        fields = stat.rsplit(")", 1)[1].split()
        ticks = os.sysconf("SC_CLK_TCK")
        return (int(fields[11]) + int(fields[12])) * 1000 // ticks  # utime, stime

    def alive(self):
        return self.proc.poll() is None

    def close(self):
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        try:
            return self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            subprocess.run(["docker", "kill", self.name], capture_output=True)
            return self.proc.wait()
