#!/usr/bin/env python3
"""Memory and start-up benchmark (issue 4).

1. Baseline: RSS of a server with an empty database.
2. 100,000 accounts in the registry (seeded with cxs-bench-seed, all passivated): start-up time
   to the ready line and RSS.
3. 1,000 of them made active by ingesting `--calls` records (default 10,000,000) through HTTPS:
   RSS with 1,000 live account actors holding their rollups.
4. SIGTERM, restart on that database: start-up time to the ready line.
Prints one JSON line with bytes per passivated and per live account.

  python3 bench/bench_memory.py [--accounts 100000] [--active 1000] [--calls 10000000]
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import datetime as dt
import json
import random
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "integration"))
from cxs_harness import Server  # noqa: E402

JST = dt.timezone(dt.timedelta(hours=9))
RESULTS = ("completed", "busy", "no_answer", "abandoned", "out_of_hours", "area_restricted", "congestion", "other")


def rss_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS")


def timed_start(srv: Server, with_registry: bool = True) -> float:
    t0 = time.monotonic()
    srv.start(with_registry)
    return time.monotonic() - t0


def bodies(calls: int, active: int, first: dt.date, days: int, per_body: int = 100_000):
    rng = random.Random(11)
    base = int(dt.datetime.combine(first, dt.time(), JST).timestamp())
    header = "call_id,start,an,dn,caller,origin_pref,dest_pref,duration_s,result"
    for start in range(0, calls, per_body):
        lines = [header]
        for n in range(start, min(calls, start + per_body)):
            acct = n % active
            ok = rng.random() < 0.7
            stamp = dt.datetime.fromtimestamp(base + rng.randrange(days * 86400), JST).isoformat()
            lines.append(f"m{n},{stamp},0120{acct:06d},{'0352001234' if ok else ''},,13,13,"
                         f"{rng.randrange(5, 600) if ok else 0},{'completed' if ok else RESULTS[rng.randrange(1, 8)]}")
        yield ("\n".join(lines) + "\n").encode()


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--accounts", type=int, default=100_000)
    p.add_argument("--active", type=int, default=1000)
    p.add_argument("--calls", type=int, default=10_000_000)
    a = p.parse_args()
    seed = ROOT / "build" / "bin" / "cxs-bench-seed"
    result = {"accounts": a.accounts, "active": a.active, "calls": a.calls}

    with Server(registry={"opids": []}, clock=None) as empty:  # started by the context manager
        time.sleep(1)
        baseline = rss_bytes(empty.proc.pid)
    result["baseline_rss_mib"] = round(baseline / 2**20, 1)

    srv = Server(registry={"opids": []}, clock=None)
    try:
        subprocess.run([str(seed), str(srv.data_dir), str(a.accounts), "2026-01-01"], check=True,
                       stdout=subprocess.DEVNULL)
        account_ids = [l.strip() for l in (srv.data_dir / "accounts.txt").read_text().splitlines()]
        srv.registry_file.write_bytes((srv.data_dir / "registry.json").read_bytes())
        result["startup_s_100k_accounts_first_start"] = round(timed_start(srv), 3)
        time.sleep(1)
        idle = rss_bytes(srv.proc.pid)
        result["rss_mib_all_passivated"] = round(idle / 2**20, 1)
        result["bytes_per_passivated_account"] = round((idle - baseline) / a.accounts)

        today = dt.datetime.now(JST).date()
        first = today - dt.timedelta(days=180)
        t0 = time.monotonic()
        local = threading.local()
        def post(body):
            if not hasattr(local, "c"):
                local.c = srv.client()
            r = local.c.request("POST", "/admin/ingest", body, {"Content-Type": "text/csv"}, token=srv.token)
            answer = json.loads(r.body)
            assert r.status == 200 and answer["rejected"] == 0 and answer["unowned"] == 0, r.body[:300]
        with cf.ThreadPoolExecutor(2) as ex:
            list(ex.map(post, bodies(a.calls, a.active, first, 180)))
        result["ingest_s"] = round(time.monotonic() - t0, 1)
        time.sleep(1)
        result["rss_mib_after_ingest"] = round(rss_bytes(srv.proc.pid) / 2**20, 1)  # memtables included
        rc = srv.terminate(timeout=120)
        assert rc == 0, srv.stderr_tail()
        result["startup_s_restart_with_calls"] = round(timed_start(srv), 3)
        time.sleep(1)
        before = rss_bytes(srv.proc.pid)
        result["rss_mib_after_restart"] = round(before / 2**20, 1)
        # Activate the accounts by reading them: each actor loads its rollups from storage.
        c = srv.client()
        found = 0
        for i in range(a.active):
            r = c.request("GET", f"/admin/accounts/{account_ids[i]}/analytics/traffic?granularity=month",
                          token=srv.token)
            found += json.loads(r.body)["totals"]["calls"]
        assert found == a.calls, (found, a.calls)
        time.sleep(1)
        live = rss_bytes(srv.proc.pid)
        result["rss_mib_with_active"] = round(live / 2**20, 1)
        result["bytes_per_live_account"] = round((live - before) / a.active)
    finally:
        srv.close()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
