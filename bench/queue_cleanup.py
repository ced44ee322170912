"""Takes the jobs a bench row queued with the workers at 0 (S4, S7) back out of Redis, without a trace.

1. `drop_queued` runs bench/lua/drop_queued.lua in the Redis container (Redis is not published to the
   host): the anonymous tenant's queued single jobs created since a cutoff lose their hash, their pending
   entry and their share of the counts, in one atomic script;
2. `queue_state` reads what an operator sees afterwards: the all-tenant counter, the pending list, the
   API's /stats `pending` and its /metrics `codeexec_queue_pending` gauge, Redis's key count and memory
   (used, and the dataset alone).
The key names mirror common/.../queue/RedisKeys.java (AUTH_MODE=off: every job is the anonymous tenant's).
"""
import json
import os
import re
import time

TENANT = "anonymous"                                   # Tenant.ANONYMOUS_ID
PREFIX = "codeexec:"
KEYS = [PREFIX + "queue:pending:" + TENANT, PREFIX + "queue:tenant:" + TENANT, PREFIX + "queue:queued",
        PREFIX + "queue:tenants", PREFIX + "queue:batches:" + TENANT, PREFIX + "queue:wake"]
ARGS = [TENANT, PREFIX + "job:", PREFIX + "job-events:", PREFIX + "executions:"]
SCRIPT_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "lua", "drop_queued.lua")


def cutoff_now():
    """The cutoff for jobs submitted from now on: createdAt is compared to the second (UTC)."""
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime())


def drop_queued(stack, cutoff):
    """Drops the anonymous tenant's queued jobs created at or after `cutoff`; returns what the script did.
    redis-cli authenticates with the container's REDISCLI_AUTH (compose sets it from .env's REDIS_PASSWORD),
    so the password is on no command line."""
    with open(SCRIPT_PATH) as f:
        script = f.read()
    out = stack.redis_cli("EVAL", script, str(len(KEYS)), *KEYS, *ARGS, cutoff)
    fields = out.split()
    if len(fields) != 4 or not all(x.lstrip("-").isdigit() for x in fields):
        raise RuntimeError(f"drop_queued.lua answered {out.strip()[:300]!r}")
    dropped, counted, left, queued = (int(x) for x in fields)
    return {"dropped": dropped, "counted": counted, "left_pending": left, "queued_after": queued}


def queue_state(stack, http_get):
    """The queue as Redis, /stats and /metrics see it; http_get(path) -> (status, text)."""
    lines = stack.redis_cli(stdin=f"GET {KEYS[2]}\nLLEN {KEYS[0]}\nDBSIZE\nINFO memory\n").splitlines()
    def info_mb(field):  # used_memory_dataset leaves out the key table, which stays grown after 100,000 keys
        line = next((l for l in lines if l.startswith(field + ":")), field + ":0")
        return round(int(line.split(":")[1]) / 2**20, 1)
    state = {"queued_counter": int(lines[0]) if lines and lines[0].strip().isdigit() else 0,
             "pending_list": int(lines[1]), "redis_keys": int(lines[2]),
             "redis_used_mb": info_mb("used_memory"), "redis_dataset_mb": info_mb("used_memory_dataset")}
    status, text = http_get("/stats")
    state["stats_pending"] = json.loads(text).get("pending") if status == 200 else None
    status, text = http_get("/metrics")
    gauge = re.search(r"^codeexec_queue_pending(?:\{[^}]*\})? (\S+)$", text or "", re.M) if status == 200 else None
    state["metrics_pending"] = float(gauge.group(1)) if gauge else None
    return state
