#!/usr/bin/env python3
"""Tests of codeexec-launch (CE3) against the real runner images and the real Docker engine.

Every case sends payloads to ONE long-lived python sandbox host (as the worker does), so each also
checks that the host keeps serving after what the previous case did; the C cases use a C host; cases
that end a host start their own. Usage: run_tests.py [--tag local] [--measure] [-k substring]
Last line: "N passed, N failed".
"""
import argparse
import sys
import time
import traceback

import cases_isolation  # noqa: F401  (registers its cases)
import cases_limits  # noqa: F401
import cases_protocol  # noqa: F401
import cases_stream  # noqa: F401
from host import SandboxHost
from measure import measure
from registry import CASES


class Hosts:
    def __init__(self, tag):
        self.tag = tag
        self.notes = []
        self._py = self._c = None

    def image(self, lang):
        return f"codeexec/runner-{lang}:{self.tag}"

    @property
    def py(self):
        if self._py is None or not self._py.alive():
            self._py = SandboxHost(self.image("python"))
            self._py.notes = self.notes
        return self._py

    @property
    def c(self):
        if self._c is None or not self._c.alive():
            self._c = SandboxHost(self.image("c"))
        return self._c

    def close(self):
        for host in (self._py, self._c):
            if host:
                host.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tag", default="local")
    parser.add_argument("--measure", action="store_true")
    parser.add_argument("-k", default="")
    args = parser.parse_args()
    hosts = Hosts(args.tag)
    passed = failed = 0
    try:
        for fn in CASES:
            if args.k not in fn.__name__:
                continue
            start = time.monotonic()
            try:
                fn(hosts)
                passed += 1
                print(f"PASS {fn.__name__} ({time.monotonic() - start:.1f} s)", flush=True)
            except Exception:
                failed += 1
                print(f"FAIL {fn.__name__}\n{traceback.format_exc()}", flush=True)
        py_host = hosts._py
        if py_host is not None and py_host.alive():
            print("python host served every case above in one container: yes")
        if args.measure:
            measure(hosts)
        for note in hosts.notes:
            print("note:", note)
    finally:
        hosts.close()
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
