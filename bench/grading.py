#!/usr/bin/env python3
"""One submission graded against 50 tests, as one job with 50 tests vs 50 separate jobs.

Usage: python3 bench/grading.py [--url http://localhost:8080] [--tests 50] [--repeats 3]
Needs a running stack (make up). Prints the median wall time of each way, per language, and the ratio.
"""
import argparse
import concurrent.futures
import json
import statistics
import time
import urllib.request

PROGRAMS = {
    "python": "a, b = map(int, input().split())\nprint(a + b)\n",
    "c": "#include <stdio.h>\nint main(void){long a,b;scanf(\"%ld %ld\",&a,&b);printf(\"%ld\\n\",a+b);return 0;}\n",
}


def post(url, body):
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.load(response)


def get(url):
    with urllib.request.urlopen(url, timeout=120) as response:
        return json.load(response)


def wait_done(base, job_id):
    while True:
        job = get(f"{base}/jobs/{job_id}?wait=30")
        if job["status"] in ("completed", "cancelled"):
            return job


def one_job(base, language, n):
    tests = [{"name": f"t{i}", "stdin": f"{i} {i}\n", "expectedOutput": f"{2 * i}\n"} for i in range(n)]
    started = time.perf_counter()
    job = post(f"{base}/jobs", {"language": language, "code": PROGRAMS[language], "tests": tests})
    done = wait_done(base, job["id"])
    elapsed = time.perf_counter() - started
    assert done["result"]["verdict"] == "accepted", done["result"]
    return elapsed


def separate_jobs(base, language, n):
    started = time.perf_counter()
    ids = [post(f"{base}/jobs", {"language": language, "code": PROGRAMS[language], "stdin": f"{i} {i}\n"})["id"]
           for i in range(n)]
    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        jobs = list(pool.map(lambda job_id: wait_done(base, job_id), ids))
    elapsed = time.perf_counter() - started
    for i, job in enumerate(jobs):
        assert job["result"]["stdout"] == f"{2 * i}\n", job["result"]
    return elapsed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://localhost:8080")
    parser.add_argument("--tests", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    workers = len(get(f"{args.url}/stats")["workers"])
    print(f"{args.tests} tests, median of {args.repeats} runs, {workers} worker(s)")
    print(f"{'language':<10} {'1 job x 50 tests':>18} {'50 separate jobs':>18} {'ratio':>8}")
    for language in PROGRAMS:
        one_job(args.url, language, 2)  # warm-up
        graded = statistics.median(one_job(args.url, language, args.tests) for _ in range(args.repeats))
        separate = statistics.median(separate_jobs(args.url, language, args.tests) for _ in range(args.repeats))
        print(f"{language:<10} {graded * 1000:>16.0f}ms {separate * 1000:>16.0f}ms {separate / graded:>7.1f}x")


if __name__ == "__main__":
    main()
