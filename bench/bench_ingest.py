#!/usr/bin/env python3
"""Durable ingest through HTTPS (issue 4): CSV batches of 100,000 rows spread over 1,000 accounts.

Starts the real server on a temp folder, creates the accounts, pre-builds every body (so the
client's own CSV formatting is not timed), then posts them over keep-alive HTTPS connections and
reports rows/s. Every answer is checked: all rows accepted, none lost.

  python3 bench/bench_ingest.py [--accounts 1000] [--batches 20] [--rows 100000] [--clients 2]
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import datetime as dt
import json
import os
import random
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "integration"))
from cxs_harness import Server  # noqa: E402

JST = dt.timezone(dt.timedelta(hours=9))
RESULTS = ("completed", "busy", "no_answer", "abandoned", "out_of_hours", "area_restricted", "congestion", "other")


def registry(n: int) -> dict:
    return {"opids": [{"opid": f"B{i:07d}", "parent": True,
                       "ans": [{"an": f"0120{i:06d}", "dns": [f"03{5000_0000 + i:08d}"]}]} for i in range(n)]}


def make_body(batch: int, rows: int, accounts: int, start: dt.datetime, rng: random.Random) -> bytes:
    lines = ["call_id,start,an,dn,caller,origin_pref,dest_pref,duration_s,result"]
    base = int(start.timestamp())
    for r in range(rows):
        acct = r % accounts
        t = dt.datetime.fromtimestamp(base + rng.randrange(0, 20 * 86400), JST)
        result = RESULTS[0] if rng.random() < 0.7 else RESULTS[rng.randrange(1, 8)]
        dur = rng.randrange(5, 900) if result == "completed" else 0
        caller = "" if rng.random() < 0.1 else f"0{rng.choice((3, 6, 52, 92, 11))}{rng.randrange(10**7):07d}"
        dn = f"03{5000_0000 + acct:08d}" if result == "completed" else ""
        lines.append(f"b{batch}-{r},{t.isoformat()},0120{acct:06d},{dn},{caller},,,{dur},{result}")
    return ("\n".join(lines) + "\n").encode()


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--accounts", type=int, default=1000)
    p.add_argument("--batches", type=int, default=20)
    p.add_argument("--rows", type=int, default=100_000)
    p.add_argument("--clients", type=int, default=2)
    a = p.parse_args()

    with Server(registry=registry(a.accounts), clock=None) as srv:
        t0 = time.monotonic()
        def create(i):
            srv.client().request("POST", "/admin/accounts", json.dumps(
                {"opid": f"B{i:07d}", "plan": "free", "auth_method": "otp", "password": "Bench2026pass",
                 "email": f"b{i}@example.jp", "registered": "2026-01-01"}).encode(),
                {"Content-Type": "application/json"}, token=srv.token)
        with cf.ThreadPoolExecutor(4) as ex:
            list(ex.map(create, range(a.accounts)))
        print(f"created {a.accounts} accounts in {time.monotonic() - t0:.1f} s", file=sys.stderr)
        start = dt.datetime.now(JST).replace(hour=0, minute=0, second=0, microsecond=0) - dt.timedelta(days=25)
        rng = random.Random(42)
        bodies = [make_body(b, a.rows, a.accounts, start, rng) for b in range(a.batches)]
        mb = sum(len(b) for b in bodies) / 1e6
        print(f"built {a.batches} bodies, {mb:.0f} MB; server pid {srv.proc.pid}", file=sys.stderr, flush=True)

        accepted = 0
        lock = threading.Lock()
        local = threading.local()
        def post(body: bytes):
            nonlocal accepted
            if not hasattr(local, "c"):
                local.c = srv.client()
            r = local.c.request("POST", "/admin/ingest", body, {"Content-Type": "text/csv"}, token=srv.token)
            answer = json.loads(r.body)
            assert r.status == 200 and answer["accepted"] == a.rows, answer
            with lock:
                accepted += answer["accepted"]
        t0 = time.monotonic()
        with cf.ThreadPoolExecutor(a.clients) as ex:
            list(ex.map(post, bodies))
        elapsed = time.monotonic() - t0
        rate = accepted / elapsed
        print(json.dumps({"rows": accepted, "seconds": round(elapsed, 2), "rows_per_s": round(rate),
                          "accounts": a.accounts, "rows_per_batch": a.rows, "clients": a.clients}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
