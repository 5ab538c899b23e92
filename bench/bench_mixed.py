#!/usr/bin/env python3
"""Mixed load (issue 16): `--accounts` simulated accounts (default 1,000) driven by build/bin/cxs-load
for `--duration` seconds (default 60) against a fresh server holding `--seed-calls` calls, with a
customer's mix — logins through the mailed OTP, dashboards, analyses, ingest batches and
sign-ups — open-loop at the given rates. Target: 0 errors; p99 per operation reported. Prints one
JSON line: cxs-load's report (without its per-request list) plus the server's RSS after the run.

  python3 bench/bench_mixed.py [--accounts 1000] [--duration 60] [--seed-calls 1000000]
                               [--rates login:2,dashboard:20,analysis:30,ingest:5,signup:0.5]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

from bench_common import ROOT, Server, rss_bytes

LOAD_BIN = ROOT / "build" / "bin" / "cxs-load"


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--accounts", type=int, default=1000)
    p.add_argument("--duration", type=float, default=60)
    p.add_argument("--seed-calls", type=int, default=1_000_000)
    p.add_argument("--ingest-rows", type=int, default=1000)
    p.add_argument("--rates", default="login:2,dashboard:20,analysis:30,ingest:5,signup:0.5")
    a = p.parse_args()
    # One client address logs every simulated account in: the per-address and per-ID limits
    # are raised as an operator would for a load test.
    with Server(clock=None, extra_args=["--rate.address-per-minute=1000000", "--rate.id-per-minute=1000000"]) as srv:
        args = [str(LOAD_BIN), f"--admin=https://127.0.0.1:{srv.admin_addr[1]}",
                f"--customer=https://127.0.0.1:{srv.customer_addr[1]}", f"--token-file={srv.token_file}",
                f"--outbox={srv.outbox}", f"--cacert={srv.cafile}", f"--accounts={a.accounts}",
                f"--duration={a.duration}", f"--seed-calls={a.seed_calls}", f"--ingest-rows={a.ingest_rows}",
                f"--rate={a.rates}", "--json"]
        print(" ".join(args[1:]), file=sys.stderr, flush=True)
        run = subprocess.run(args, stdout=subprocess.PIPE, stderr=sys.stderr, text=True,
                             timeout=3600 + 2 * a.duration)
        if run.returncode == 2 or not run.stdout.strip():
            print(f"cxs-load failed to run (exit {run.returncode})", file=sys.stderr)
            return 1
        report = json.loads(run.stdout)
        report.pop("requests", None)
        report["command"] = "cxs-load " + " ".join(x for x in args[1:] if not x.startswith(("--admin", "--customer", "--token-file", "--outbox", "--cacert")))
        report["server_rss_bytes"] = rss_bytes(srv.proc.pid)
        report["target_zero_errors_met"] = not report["failed"]
        print(json.dumps(report))
    return 0 if run.returncode == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
