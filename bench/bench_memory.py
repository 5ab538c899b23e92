#!/usr/bin/env python3
"""Memory and start-up benchmark (issue 4).

1. Baseline: RSS of a server with an empty database.
2. 100,000 accounts in the registry (seeded with cxs-bench-seed, all passivated): start-up time
   to the ready line and RSS on the first start (which also parses the registry file), then on a
   restart (the steady state: bytes per passivated account).
3. 1,000 of them made active by ingesting `--calls` records (default 10,000,000) through HTTPS:
   RSS with 1,000 live account actors holding their rollups.
4. SIGTERM, restart on that database: start-up time to the ready line.
Prints one JSON line with bytes per passivated and per live account.

  python3 bench/bench_memory.py [--accounts 100000] [--active 1000] [--calls 10000000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import time

from bench_common import JST, ROOT, Server, cdr_bodies, post_all, rss_bytes


def settled_rss(pid: int, limit_s: float = 20.0) -> int:
    """RSS once start-up's background work (the retention run, RocksDB opening its files) is over:
    sampled every 0.5 s until it moves less than 0.5 % in a second, at most limit_s."""
    samples = [rss_bytes(pid)]
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        time.sleep(0.5)
        samples.append(rss_bytes(pid))
        if len(samples) >= 3 and abs(samples[-1] - samples[-3]) < 0.005 * samples[-1]:
            break
    return samples[-1]


def timed_start(srv: Server, with_registry: bool = True) -> float:
    t0 = time.monotonic()
    srv.start(with_registry)
    return time.monotonic() - t0


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--accounts", type=int, default=100_000)
    p.add_argument("--active", type=int, default=1000)
    p.add_argument("--calls", type=int, default=10_000_000)
    a = p.parse_args()
    seed = ROOT / "build" / "bin" / "cxs-bench-seed"
    result = {"accounts": a.accounts, "active": a.active, "calls": a.calls}

    with Server(registry={"opids": []}, clock=None) as empty:  # started by the context manager
        baseline = settled_rss(empty.proc.pid)
    result["baseline_rss_mib"] = round(baseline / 2**20, 1)

    srv = Server(registry={"opids": []}, clock=None)
    try:
        subprocess.run([str(seed), str(srv.data_dir), str(a.accounts), "2026-01-01"], check=True,
                       stdout=subprocess.DEVNULL)
        account_ids = [l.strip() for l in (srv.data_dir / "accounts.txt").read_text().splitlines()]
        srv.registry_file.write_bytes((srv.data_dir / "registry.json").read_bytes())
        result["startup_s_first_start"] = round(timed_start(srv), 3)
        # The first start also parses the registry file and checks every DN with libphonenumber
        # (whose metadata then stays loaded): its RSS is not the steady state of the accounts.
        result["rss_mib_first_start"] = round(settled_rss(srv.proc.pid) / 2**20, 1)
        rc = srv.terminate(timeout=120)
        assert rc == 0, srv.stderr_tail()
        result["startup_s_restart"] = round(timed_start(srv), 3)
        idle = settled_rss(srv.proc.pid)
        result["rss_mib_all_passivated"] = round(idle / 2**20, 1)
        result["bytes_per_passivated_account"] = round((idle - baseline) / a.accounts)

        today = dt.datetime.now(JST).date()
        first = today - dt.timedelta(days=180)
        t0 = time.monotonic()
        def check(answer):
            assert answer["rejected"] == 0 and answer["unowned"] == 0, answer
        post_all(srv, cdr_bodies(a.calls, lambda n: f"0120{n % a.active:06d}", first, 180, "m", 11), 2, check)
        result["ingest_s"] = round(time.monotonic() - t0, 1)
        time.sleep(1)
        result["rss_mib_after_ingest"] = round(rss_bytes(srv.proc.pid) / 2**20, 1)  # memtables included
        rc = srv.terminate(timeout=120)
        assert rc == 0, srv.stderr_tail()
        result["startup_s_restart_with_calls"] = round(timed_start(srv), 3)
        before = settled_rss(srv.proc.pid)
        result["rss_mib_after_restart"] = round(before / 2**20, 1)
        # Activate the accounts by reading them: each actor loads its rollups from storage.
        c = srv.client()
        found = 0
        for i in range(a.active):
            r = c.request("GET", f"/admin/accounts/{account_ids[i]}/analytics/traffic?granularity=month",
                          token=srv.token)
            found += json.loads(r.body)["totals"]["calls"]
        assert found == a.calls, (found, a.calls)
        live = settled_rss(srv.proc.pid)
        result["rss_mib_with_active"] = round(live / 2**20, 1)
        result["bytes_per_live_account"] = round((live - before) / a.active)
    finally:
        srv.close()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
