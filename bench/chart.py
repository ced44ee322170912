#!/usr/bin/env python3
"""Draws a bench result (bench/results/<ts>.json) as a PNG: latency p50/p95/p99 and rate per row.
   /usr/bin/python3 bench/chart.py bench/results/<ts>.json bench/results/<ts>.png"""
import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main(src, dst):
    with open(src) as f:
        data = json.load(f)
    rows = data["rows"]
    labels = [f"{r['scenario']} {r['label']} c={r['concurrency']}" for r in rows][::-1]
    summaries = [r["summary"] for r in rows][::-1]
    y = range(len(rows))
    fig, (lat, rate) = plt.subplots(1, 2, figsize=(15, 0.42 * len(rows) + 1.8), sharey=True)
    h = 0.27
    for k, (key, colour) in enumerate((("p50_ms", "#2b6cb0"), ("p95_ms", "#dd8452"), ("p99_ms", "#c44e52"))):
        vals = [s.get(key) or 0 for s in summaries]
        lat.barh([i + (k - 1) * h for i in y], vals, height=h, color=colour, label=key.replace("_ms", ""))
    lows = [s["p50_ms"] - s["p50_min_ms"] if s.get("p50_min_ms") is not None else 0 for s in summaries]
    highs = [s["p50_max_ms"] - s["p50_ms"] if s.get("p50_max_ms") is not None else 0 for s in summaries]
    lat.errorbar([s.get("p50_ms") or 0 for s in summaries], [i - h for i in y], xerr=[lows, highs],
                 fmt="none", ecolor="black", capsize=2, linewidth=0.8)
    lat.set_xscale("log")
    lat.set_xlabel("latency per run / job, ms (log; whisker = p50 min–max across repeats)")
    lat.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncol=3, frameon=False, fontsize=8)
    lat.set_yticks(list(y))
    lat.set_yticklabels(labels, fontsize=8)
    rates = [s.get("rate") or 0 for s in summaries]
    errs = [[(s["rate"] - s["rate_min"]) if s.get("rate") else 0 for s in summaries],
            [(s["rate_max"] - s["rate"]) if s.get("rate") else 0 for s in summaries]]
    rate.barh(list(y), rates, color="#55a868", xerr=errs, capsize=2)
    for i, (v, r) in enumerate(zip(rates, [r["unit"] for r in rows][::-1])):
        if v:
            rate.text(v, i, f" {v:,.1f} {r}", va="center", fontsize=7)
    rate.set_xscale("log")
    rate.set_xlabel("throughput per second (log; whisker = min–max across repeats)")
    for ax in (lat, rate):
        ax.grid(axis="x", which="both", alpha=0.3)
    meta = data["meta"]
    fig.suptitle(f"codeexec bench {meta['timestamp']} — {meta['cores']} cores, load {meta['load_before'][0]:.2f}"
                 f" → {meta['load_after'][0]:.2f}{' (QUICK)' if meta.get('quick') else ''}")
    fig.tight_layout()
    fig.savefig(dst, dpi=110)
    print(f"chart: {dst}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
