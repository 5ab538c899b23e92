#!/usr/bin/env python3
"""Durable ingest through HTTPS (issue 4): CSV batches of 100,000 rows spread over 1,000 accounts.

Starts the real server on a temp folder, creates the accounts, pre-builds every body (so the
client's own CSV formatting is not timed), then posts them over keep-alive HTTPS connections and
reports rows/s. Every answer is checked: all rows accepted, none lost.

  python3 bench/bench_ingest.py [--accounts 1000] [--batches 20] [--rows 100000] [--clients 2]
                                [--plan free|standard]
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_common import JST, Server, cdr_bodies, post_all


def registry(n: int) -> dict:
    return {"opids": [{"opid": f"B{i:07d}", "parent": True,
                       "ans": [{"an": f"0120{i:06d}", "dns": [f"03{5000_0000 + i:08d}"]}]} for i in range(n)]}


def post_with_curl(srv, bodies: list[bytes], clients: int, check) -> tuple[int, float]:
    """Posts the bodies with curl --parallel over keep-alive connections (bodies written to files
    first, so only the transfer is timed); returns (accepted rows, seconds). `upload-file` streams
    each file (a POST by `request`), where `data-binary` would first read it whole into memory:
    the client shares the machine's two cores with the server it measures."""
    work = Path(tempfile.mkdtemp(prefix="cxs-bench-"))
    try:
        host, port = srv.admin_addr
        config = []
        for i, body in enumerate(bodies):
            (work / f"b{i}.csv").write_bytes(body)
            # Options do not carry over `next`: each operation names all of its own.
            config += [f'url = "https://{host}:{port}/admin/ingest"', f'upload-file = "{work}/b{i}.csv"', 'request = "POST"',
                       f'output = "{work}/a{i}.json"', f'cacert = "{srv.cafile}"',
                       f'header = "Authorization: Bearer {srv.token}"', 'header = "Content-Type: text/csv"',
                       'header = "Expect:"', 'next']
        (work / "curl.cfg").write_text("\n".join(config[:-1]) + "\n")  # no `next` after the last
        t0 = time.monotonic()
        subprocess.run(["curl", "-sS", "--parallel", "--parallel-max", str(clients), "-K", str(work / "curl.cfg")],
                       check=True)
        elapsed = time.monotonic() - t0
        accepted = 0
        for i in range(len(bodies)):
            answer = json.loads((work / f"a{i}.json").read_text())
            check(answer)
            accepted += answer["accepted"]
        return accepted, elapsed
    finally:
        if not os.environ.get("CXS_KEEP_TMP"):
            shutil.rmtree(work, ignore_errors=True)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--accounts", type=int, default=1000)
    p.add_argument("--batches", type=int, default=20)
    p.add_argument("--rows", type=int, default=100_000)
    p.add_argument("--clients", type=int, default=2)
    p.add_argument("--plan", choices=("free", "standard"), default="free",
                   help="standard: every row is also detailed data (a record block) and a per-DN figure")
    p.add_argument("--client", choices=("curl", "python"), default="curl",
                   help="curl (C, leaves the cores to the server) or Python's http.client")
    a = p.parse_args()

    with Server(registry=registry(a.accounts), clock=None) as srv:
        t0 = time.monotonic()
        def create(i):
            body = {"opid": f"B{i:07d}", "plan": a.plan, "auth_method": "otp", "password": "Bench2026pass",
                    "email": f"b{i}@example.jp", "registered": "2026-01-01"}
            if a.plan == "standard":
                body.update(billing_an=f"0120{i:06d}", billing_phone="0312345678")
            r = srv.client().request("POST", "/admin/accounts", json.dumps(body).encode(),
                                     {"Content-Type": "application/json"}, token=srv.token)
            assert r.status == 201, r.body[:300]
        with cf.ThreadPoolExecutor(4) as ex:
            list(ex.map(create, range(a.accounts)))
        print(f"created {a.accounts} accounts in {time.monotonic() - t0:.1f} s", file=sys.stderr)
        first = dt.datetime.now(JST).date() - dt.timedelta(days=25)
        # Each body spreads its rows over every account; 10 % of callers withheld.
        bodies = list(cdr_bodies(a.batches * a.rows, lambda n: f"0120{n % a.accounts:06d}", first, 20, "b", 42,
                                 per_body=a.rows, withheld=0.1))
        mb = sum(len(b) for b in bodies) / 1e6
        print(f"built {a.batches} bodies, {mb:.0f} MB; server pid {srv.proc.pid}", file=sys.stderr, flush=True)

        def check(answer):
            assert answer["accepted"] == a.rows, answer
        if a.client == "curl":
            accepted, elapsed = post_with_curl(srv, bodies, a.clients, check)
        else:
            t0 = time.monotonic()
            accepted = post_all(srv, bodies, a.clients, check)
            elapsed = time.monotonic() - t0
        rate = accepted / elapsed
        print(json.dumps({"rows": accepted, "seconds": round(elapsed, 2), "rows_per_s": round(rate),
                          "accounts": a.accounts, "rows_per_batch": a.rows, "clients": a.clients,
                          "client": a.client, "plan": a.plan}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
