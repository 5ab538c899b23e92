#!/usr/bin/env python3
"""Standard plan benchmark (issue 12): one account with 100 ANs and 3,000,000 calls in its 3
detailed months.

  1. RocksDB's own synced write ceilings (`cxs-bench-storage`), measured just before and just
     after each round of 2 (their mean is the round's ceiling).
  2. Durable ingest of the calls over HTTPS with detailed data on (raw-record blocks, per-DN
     figures, call-ID blocks) into a fresh server, as a ratio of that round's sequential synced
     ceiling; --rounds rounds (3), the median ratio is the figure. The feed is time ordered, as a
     carrier sends records when calls end: 30 bodies of 100,000 rows, each the next ~2 days.
  3. Each detailed analysis over the whole detailed window (the default range), one client, HTTPS
     keep-alive (wrk): p50 / p99, once the server is quiet after the ingest (its flushes and
     compactions done), each answer computed (`--accounts.answer-cache-mib=0`: no kept answers).
     The first answer, which loads the detailed data, is timed apart.
  4. The same questions answered by DuckDB (npm @duckdb/node-api, bench/duckdb/) over the same
     CDRs loaded from one CSV file in the same run; the ratio DuckDB median / our p99 per analysis.
  5. Bytes per live standard account: RSS after a restart, then again once the account has its
     rollups, per-DN rollups, detailed data and call IDs in memory.

Prints one JSON line.

  python3 bench/bench_detailed.py [--calls 3000000] [--seconds 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_common import JST, RESULTS, ROOT, Server
from bench_ingest import post_with_curl
from bench_memory import rss_bytes
from bench_query import wrk

ANS = [f"0120{800000 + i:06d}" for i in range(100)]
# Two DNs per AN, in six prefectures (Tokyo, Osaka, Fukuoka, Sapporo, Nagoya, Sendai).
DN_AREAS = ("03", "06", "092", "011", "052", "022")
DNS = {an: [f"{DN_AREAS[(i + k) % 6]}{(5_000_000 + i * 2 + k):07d}".ljust(10, "0")[:10] for k in (0, 1)]
       for i, an in enumerate(ANS)}
DETAILED = ("origin", "destination", "origin-destination", "numbers", "calls-minutes", "callers", "lines",
            "distribution")
HEADER = "call_id,start,an,dn,caller,origin_pref,dest_pref,duration_s,result"


def window_start(today: dt.date) -> dt.date:
    """The first day of the 3-month detailed window: the first of the month two months back."""
    month = today.month - 2
    year = today.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return dt.date(year, month, 1)


def bodies(calls: int, first: dt.date, last: dt.date, per_body: int, seed: int, csv_path: Path) -> list[bytes]:
    """Time-ordered CSV bodies; every row also goes to csv_path (one header) for DuckDB. Callers
    come from a pool of 300,000 numbers (so they repeat), 10 % withheld; prefectures explicit."""
    rng = random.Random(seed)
    base = int(dt.datetime.combine(first, dt.time(), JST).timestamp())
    span = (last - first).days * 86400 + 86400 - 3600  # up to today 23:00 JST
    now = int(time.time())
    span = min(span, now - base - 60)
    pool = [f"0{rng.choice((3, 6, 92, 11, 52, 22, 45, 75))}{rng.randrange(10**7):07d}" for _ in range(300_000)]
    out: list[bytes] = []
    with csv_path.open("w") as all_rows:
        all_rows.write(HEADER + "\n")
        for start in range(0, calls, per_body):
            lines = []
            for n in range(start, min(calls, start + per_body)):
                t = base + n * span // calls + rng.randrange(60)
                an = ANS[rng.randrange(100)]
                ok = rng.random() < 0.7
                reached = ok or rng.random() < 0.5
                dn = rng.choice(DNS[an]) if reached else ""
                caller = "" if rng.random() < 0.1 else rng.choice(pool)
                duration = rng.choice((rng.randrange(5, 180), rng.randrange(180, 900), rng.randrange(900, 3600))) if ok else 0
                result = "completed" if ok else RESULTS[rng.randrange(1, 8)]
                stamp = dt.datetime.fromtimestamp(t, JST).isoformat()
                lines.append(f"b{n},{stamp},{an},{dn},{caller},{rng.randrange(1, 48):02d},"
                             f"{rng.randrange(1, 48):02d},{duration},{result}")
            text = "\n".join(lines) + "\n"
            all_rows.write(text)
            out.append((HEADER + "\n" + text).encode())
    return out


def ceilings(rows: int) -> dict:
    db = Path(tempfile.mkdtemp(prefix="cxs-bench-storage-")) / "db"
    try:
        line = subprocess.run([str(ROOT / "build" / "bin" / "cxs-bench-storage"), str(db), str(rows), "10000"],
                              capture_output=True, text=True, check=True).stdout
        return json.loads(line)
    finally:
        shutil.rmtree(db.parent, ignore_errors=True)


def wait_until_quiet(pid: int, limit_s: float = 60) -> float:
    """Waits until the process uses under 5 % of a core over half a second (RocksDB's flushes and
    compactions after a large ingest are done); returns the seconds waited."""
    def cpu_seconds() -> float:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime
    t0 = time.monotonic()
    while time.monotonic() - t0 < limit_s:
        before = cpu_seconds()
        time.sleep(0.5)
        if cpu_seconds() - before < 0.025:
            break
    return time.monotonic() - t0


def duckdb_times(csv_path: Path, first: dt.date, runs: int) -> dict:
    script = ROOT / "bench" / "duckdb" / "detailed.mjs"
    out = subprocess.run(["node", str(script), str(csv_path), str(first), str(runs)],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--calls", type=int, default=3_000_000)
    p.add_argument("--per-body", type=int, default=100_000)
    p.add_argument("--seconds", type=int, default=5)
    p.add_argument("--duckdb-runs", type=int, default=5)
    p.add_argument("--only", default="", help="comma list of analyses to time (for profiling); skips "
                   "the memory figure and DuckDB")
    p.add_argument("--hold", type=int, default=0, help="seconds to keep the server up after the timings (perf)")
    p.add_argument("--rounds", type=int, default=3,
                   help="ingest rounds, each a ceiling then a fresh server (this machine's speed drifts by "
                        "a fifth between minutes: the median ratio is the figure)")
    a = p.parse_args()
    only = [x for x in a.only.split(",") if x]

    today = dt.datetime.now(JST).date()
    first = window_start(today)
    work = Path(tempfile.mkdtemp(prefix="cxs-bench-detailed-"))
    csv_path = work / "calls.csv"
    try:
        t0 = time.monotonic()
        posts = bodies(a.calls, first, today, a.per_body, 12, csv_path)
        print(f"built {len(posts)} bodies in {time.monotonic() - t0:.0f} s", file=sys.stderr, flush=True)

        registry = {"opids": [{"opid": "DBENCH", "parent": True,
                               "ans": [{"an": an, "dns": DNS[an]} for an in ANS]}]}
        result: dict = {"calls": a.calls, "ans": len(ANS), "from": str(first), "to": str(today)}

        def check(answer):
            assert answer["rejected"] == 0 and answer["too_old"] == 0, answer

        def ingest_round(srv) -> dict:
            """Every body into a new account of srv between two ceilings; the round's figures."""
            acct = srv.create_account(opid="DBENCH", plan="standard", registered=str(first - dt.timedelta(days=40)),
                                      billing_an=ANS[0], billing_phone="0312345678")
            before = ceilings(1_000_000)
            print(f"ceilings: {before}", file=sys.stderr, flush=True)
            accepted, seconds = post_with_curl(srv, posts, 2, check)
            after = ceilings(1_000_000)
            print(f"ceilings after: {after}", file=sys.stderr, flush=True)
            assert accepted == a.calls, accepted
            rate = accepted / seconds
            ceiling = (before["sequential_rows_per_s"] + after["sequential_rows_per_s"]) / 2
            figures = {"account": acct, "rows_per_s": round(rate), "seconds": round(seconds, 2),
                       "sequential_ceiling_rows_per_s": [before["sequential_rows_per_s"],
                                                         after["sequential_rows_per_s"]],
                       "ratio_to_sequential_ceiling": round(rate / ceiling, 3)}
            print(f"ingest: {({k: v for k, v in figures.items() if k != 'account'})}", file=sys.stderr, flush=True)
            return figures

        rounds = []
        for _ in range(a.rounds - 1):
            with Server(registry=registry, clock=None) as srv:
                rounds.append(ingest_round(srv))
        # The analyses are timed as computed, as DuckDB computes each one: the same question asked
        # again would otherwise come from the kept answers (actors/answer_cache.hpp), a copy.
        with Server(registry=registry, clock=None, extra_args=["--accounts.answer-cache-mib=0"]) as srv:
            rounds.append(ingest_round(srv))
            acct = rounds[-1]["account"]
            for r in rounds:
                del r["account"]
            ratios = sorted(r["ratio_to_sequential_ceiling"] for r in rounds)
            result["ingest"] = {"rounds": rounds, "median_ratio_to_sequential_ceiling": ratios[len(ratios) // 2]}

            # The analyses are timed in steady state, not against the ingest's compactions.
            result["quiet_after_ingest_s"] = round(wait_until_quiet(srv.proc.pid), 1)
            host, port = srv.admin_addr
            base = f"https://{host}:{port}/admin/accounts/{acct['id']}/analytics"
            answers = {}
            for name in only or DETAILED + ("traffic",):
                path = f"/admin/accounts/{acct['id']}/analytics/{name}"
                params = f"?from={first}&to={today}&dn={DNS[ANS[0]][0]}" if name == "traffic" else ""
                t0 = time.monotonic()
                r = srv.client().request("GET", path + params, token=srv.token)
                first_ms = (time.monotonic() - t0) * 1000
                assert r.status == 200, (name, r.body[:300])
                stats = wrk(base + f"/{name}{params}", srv.token, 1, a.seconds)
                assert stats["non_2xx"] == 0, (name, stats)
                stats["first_ms"] = round(first_ms, 1)
                answers["traffic_dn" if name == "traffic" else name] = stats
                print(f"{name}: {stats}", file=sys.stderr, flush=True)
            result["analyses"] = answers
            if a.hold:
                print(f"server pid {srv.proc.pid}; {base}", file=sys.stderr, flush=True)
                time.sleep(a.hold)
            if only:
                print(json.dumps(result))
                return 0

            # Bytes per live account: a fresh process, then everything this account keeps in memory.
            srv.restart()
            time.sleep(1)
            before = rss_bytes(srv.proc.pid)
            for name in DETAILED + ("traffic",):
                params = {"dn": DNS[ANS[0]][0]} if name == "traffic" else {}
                assert srv.analytics(acct["id"], name, **params)[0] == 200
            again = srv.ingest(csv_path.open().read(2000).rsplit("\n", 1)[0].encode() + b"\n")  # repeats: loads call IDs
            assert again["accepted"] == 0 and again["duplicates"] > 0, again
            time.sleep(1)
            after = rss_bytes(srv.proc.pid)
            result["live_account_bytes"] = after - before
            result["live_account_bytes_per_call"] = round((after - before) / a.calls, 1)

        ddb = duckdb_times(csv_path, first, a.duckdb_runs)
        result["duckdb_ms"] = ddb
        result["ratio_duckdb_median_to_our_p99"] = {
            name: round(ddb[name] / answers[name]["p99_ms"], 1) for name in DETAILED if name in ddb}
        print(json.dumps(result))
    finally:
        if not os.environ.get("CXS_KEEP_TMP"):
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
