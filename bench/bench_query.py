#!/usr/bin/env python3
"""Dashboard query benchmark (issue 4): `traffic` over 3 months by day for an account with 100 ANs
and 5,000,000 calls, over HTTPS keep-alive, measured with wrk: latency percentiles with one
client, throughput with 32 concurrent clients. Prints one JSON line.

  python3 bench/bench_query.py [--calls 5000000] [--seconds 10]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import subprocess
import sys
import time

from bench_common import JST, Server, cdr_bodies, post_all

ANS = [f"0120{700000 + i:06d}" for i in range(100)]


def wrk(url: str, token: str | None, connections: int, seconds: int, header: str | None = None) -> dict:
    """Latency percentiles and throughput of GET url; the request carries the bearer token, or
    `header` instead (e.g. a session cookie)."""
    header = header or f"Authorization: Bearer {token}"
    out = subprocess.run(["wrk", "-t", str(min(connections, 2)), "-c", str(connections), "-d", f"{seconds}s",
                          "--latency", "-H", header, url],
                         capture_output=True, text=True, check=True).stdout
    def ms(label):
        m = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        v, unit = float(m.group(1)), m.group(2)
        return v / 1000 if unit == "us" else v * 1000 if unit == "s" else v
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"p50_ms": ms("50"), "p99_ms": ms("99"), "requests_per_s": round(rps),
            "non_2xx": int(errors.group(1)) if errors else 0}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--calls", type=int, default=5_000_000)
    p.add_argument("--seconds", type=int, default=10)
    a = p.parse_args()
    registry = {"opids": [{"opid": "QBENCH", "parent": True, "ans": [{"an": an, "dns": ["0352001234"]} for an in ANS]}]}
    today = dt.datetime.now(JST).date()
    first = today - dt.timedelta(days=92)
    with Server(registry=registry, clock=None) as srv:
        acct = srv.create_account(opid="QBENCH", registered=str(first - dt.timedelta(days=1)))
        t0 = time.monotonic()
        def check(answer):
            assert answer["rejected"] == 0, answer
        post_all(srv, cdr_bodies(a.calls, lambda n: ANS[n % 100], first, 92, "q", 5), 2, check)
        print(f"ingested {a.calls} calls in {time.monotonic() - t0:.0f} s", file=sys.stderr)
        url = (f"https://127.0.0.1:{srv.admin_addr[1]}/admin/accounts/{acct['id']}/analytics/traffic"
               f"?from={today - dt.timedelta(days=91)}&to={today}&granularity=day")
        check = srv.client().request("GET", url.split(str(srv.admin_addr[1]), 1)[1], token=srv.token)
        totals = json.loads(check.body)["totals"]
        assert totals["calls"] > 0.95 * a.calls, totals
        one = wrk(url, srv.token, 1, a.seconds)
        print(f"server pid {srv.proc.pid}", file=sys.stderr, flush=True)
        many = wrk(url, srv.token, 32, a.seconds)
        print(json.dumps({"calls": a.calls, "ans": len(ANS), "buckets": 92, "one_client": one,
                          "32_clients": many, "answer_calls": totals["calls"]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
