#!/usr/bin/env python3
"""Fuzzing of codeexec-launch's payload parser and record writer (issue 14). Part of `make test`.

1. Builds fuzz_launcher.c against the real protocol.c/records.c/workdir.c with AddressSanitizer and
   UBSan inside the launcher's build image, and runs it: mutated and truncated CE3 frames through the
   parser, random results through the record writer (see fuzz_launcher.c for the properties).
2. Feeds mutated and truncated frames to the real static binary in real sandbox hosts, closing stdin
   after each: the launcher must answer with an `error` record (or run the payload when the mutation
   left it valid) and exit cleanly within the deadline, never crash or hang.
Usage: fuzz_launcher.py [--tag local] [--iterations 50000] [--hosts 30] [--seed N]. Prints the seed.
"""
import argparse
import os
import random
import subprocess
import sys
import time

from host import RS, SandboxHost, payload

HERE = os.path.dirname(os.path.abspath(__file__))
LAUNCHER_SRC = os.path.dirname(HERE)
DEADLINE_S = 20


def harness(tag, iterations, seed):
    cmd = ["docker", "run", "--rm", "--network", "none", "-v", f"{LAUNCHER_SRC}:/src:ro", "-w", "/tmp",
           "-e", "ASAN_OPTIONS=detect_leaks=0", f"codeexec/launcher:{tag}", "sh", "-c",
           "gcc -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -Wall -Wextra -Werror -o /tmp/fz "
           "/src/test/fuzz_launcher.c /src/protocol.c /src/records.c /src/workdir.c "
           f"&& /tmp/fz {iterations} {seed}"]
    result = subprocess.run(cmd, capture_output=True, text=True, errors="replace", timeout=900)
    print(result.stdout.strip())
    if result.returncode != 0:
        print(result.stderr[-4000:], file=sys.stderr)
        return False
    return True


def mutate(rng, data):
    data = bytearray(data)
    choice = rng.randrange(4)
    if choice == 0:
        return bytes(data[:rng.randrange(len(data))])
    if choice == 1:
        for _ in range(rng.randrange(1, 6)):
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
        return bytes(data)
    if choice == 2:
        at = rng.randrange(len(data))
        return bytes(data[:at] + rng.randbytes(rng.randrange(1, 64)) + data[at:])
    return rng.randbytes(rng.randrange(1, 300))


def real_binary(tag, cases, rng):
    image = f"codeexec/runner-python:{tag}"
    _, valid = payload([("main.py", "print('hi')")], ["python3", "main.py"], nonce="ab" * 16)
    failures = 0
    outcomes = {}
    for case in range(cases):
        frame = mutate(rng, valid)
        host = SandboxHost(image)
        try:
            host.proc.stdin.write(frame)
            host.proc.stdin.close()
        except BrokenPipeError:
            pass
        try:
            host.proc.wait(timeout=DEADLINE_S)
            out, err = host.proc.stdout.read(), host.proc.stderr.read()
        except subprocess.TimeoutExpired:
            subprocess.run(["docker", "kill", host.name], capture_output=True)
            print(f"FAIL case {case}: no exit within {DEADLINE_S} s; frame {frame[:200]!r}")
            failures += 1
            continue
        code = host.proc.returncode
        records = [line for line in out.split(b"\n") if line.startswith(RS + b"CODEEXEC ")]
        kinds = [line.split(b" ")[2] if len(line.split(b" ")) > 2 else b"?" for line in records]
        if code not in (0, 121) or (code == 121 and b"error" not in kinds):
            print(f"FAIL case {case}: exit {code}, records {kinds}, stderr {err[-300:]!r}; frame {frame[:200]!r}")
            failures += 1
        outcomes[code] = outcomes.get(code, 0) + 1
    print(f"real binary: {cases} mutated frames, exits {outcomes}, {failures} failures")
    return failures == 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tag", default="local")
    parser.add_argument("--iterations", type=int, default=50000)
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    seed = args.seed or random.SystemRandom().randrange(1, 2 ** 62)
    print(f"launcher fuzzing, seed {seed} (replay: {sys.argv[0]} --seed {seed})")
    started = time.monotonic()
    ok = harness(args.tag, args.iterations, seed)
    ok = real_binary(args.tag, args.hosts, random.Random(seed)) and ok
    print(f"launcher fuzzing {'passed' if ok else 'FAILED'} in {time.monotonic() - started:.0f} s")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
