#!/usr/bin/env python3
"""Login benchmark (issue 5): 1,000 accounts log in (password step + mailed OTP) over HTTPS, then
session-checked `traffic` queries are compared with the same query through the admin route.
Reports logins/s, the password step's latency (Argon2id verify dominates it: t=2, m=19 MiB,
p=1), and the query p50/p99 with and without the session check, as one JSON line.

  python3 bench/bench_login.py [--accounts 1000] [--clients 2] [--calls 1000000] [--seconds 5] [--rounds 4]
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import datetime as dt
import email
import email.policy
import http.client
import json
import re
import ssl
import statistics
import sys
import time
from pathlib import Path

from bench_common import JST, Server, cdr_bodies, post_all
from bench_query import wrk

PASSWORD = "BenchPass2026"


def opid(i: int) -> str:
    return f"LB{i:05d}"


def an(i: int) -> str:
    return f"0120{800000 + i:06d}"


class Customer:
    """One keep-alive HTTPS connection to the customer listener."""

    def __init__(self, port: int):
        ctx = ssl._create_unverified_context()  # the server's self-signed certificate, loopback only
        self.c = http.client.HTTPSConnection("127.0.0.1", port, context=ctx, timeout=60)

    def post(self, path: str, body: dict) -> tuple[int, dict, dict]:
        self.c.request("POST", path, json.dumps(body), {"Content-Type": "application/json"})
        r = self.c.getresponse()
        return r.status, dict(r.getheaders()), json.loads(r.read() or b"{}")


def otp_of(outbox: Path, account_id: str, deadline: float) -> str:
    """The OTP mailed for the ID. The login answer means the mail is queued; the courier writes
    the file a moment later, so poll briefly."""
    pattern = re.compile(rf"CX Support ID: {account_id} .*?ワンタイムパスワード: (\d{{6}})", re.S)
    while time.monotonic() < deadline:
        for f in sorted(outbox.glob("*.eml"), reverse=True)[:50]:
            try:
                m = email.message_from_bytes(f.read_bytes(), policy=email.policy.default)
                hit = pattern.search(m.get_content())
                if hit:
                    f.unlink()  # keeps the scan short for the next logins
                    return hit.group(1)
            except FileNotFoundError:
                continue  # the other client took its own mail meanwhile
        time.sleep(0.005)
    raise AssertionError(f"no OTP mail for {account_id}")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--accounts", type=int, default=1000)
    p.add_argument("--clients", type=int, default=2)
    p.add_argument("--calls", type=int, default=1_000_000)
    p.add_argument("--seconds", type=int, default=5, help="length of each wrk round")
    p.add_argument("--rounds", type=int, default=4, help="wrk rounds per kind, alternating")
    a = p.parse_args()
    registry = {"opids": [{"opid": opid(i), "parent": True, "ans": [{"an": an(i), "dns": ["0352001234"]}]}
                          for i in range(a.accounts)]}
    today = dt.datetime.now(JST).date()
    first = today - dt.timedelta(days=92)
    with Server(registry=registry, clock=None,
                extra_args=["--rate.address-per-minute=1000000", "--rate.id-per-minute=1000000"]) as srv:
        outbox = srv.data_dir / "outbox"
        t0 = time.monotonic()
        ids = []
        with cf.ThreadPoolExecutor(a.clients) as ex:
            def create(i):
                return srv.create_account(opid=opid(i), password=PASSWORD, email=f"{opid(i).lower()}@example.com",
                                          registered=str(first - dt.timedelta(days=1)))["id"]
            ids = list(ex.map(create, range(a.accounts)))
        print(f"created {len(ids)} accounts in {time.monotonic() - t0:.1f} s", file=sys.stderr)

        port = srv.customer_addr[1]
        password_ms, otp_ms = [], []
        cookies = {}

        def login(account_id: str):
            c = Customer(port)
            t = time.monotonic()
            status, _, body = c.post("/api/login", {"id": account_id, "password": PASSWORD})
            assert status == 200, body
            password_ms.append((time.monotonic() - t) * 1000)
            code = otp_of(outbox, account_id, time.monotonic() + 10)
            t = time.monotonic()
            status, headers, body = c.post("/api/login/otp", {"ticket": body["ticket"], "code": code})
            assert status == 200, body
            otp_ms.append((time.monotonic() - t) * 1000)
            cookies[account_id] = headers["Set-Cookie"].split(";")[0]

        t0 = time.monotonic()
        with cf.ThreadPoolExecutor(a.clients) as ex:
            list(ex.map(login, ids))
        login_s = time.monotonic() - t0

        # Queries: the first account gets the calls; the same query with the session and with the token.
        target = ids[0]
        def check(answer):
            assert answer["rejected"] == 0, answer
        post_all(srv, cdr_bodies(a.calls, lambda n: an(0), first, 92, "lb", 7), 2, check)
        query = f"?from={today - dt.timedelta(days=91)}&to={today}&granularity=day"
        customer_url = f"https://127.0.0.1:{port}/api/analytics/traffic{query}"
        admin_url = f"https://127.0.0.1:{srv.admin_addr[1]}/admin/accounts/{target}/analytics/traffic{query}"
        # Background compactions after the ingest would favour whichever runs last: alternate the
        # two kinds in rounds and take each one's median.
        time.sleep(5)
        rounds = {"session": [], "token": []}
        for r in range(a.rounds):
            order = ("session", "token") if r % 2 == 0 else ("token", "session")
            for kind in order:
                if kind == "session":
                    rounds[kind].append(wrk(customer_url, None, 1, a.seconds, header=f"Cookie: {cookies[target]}"))
                else:
                    rounds[kind].append(wrk(admin_url, srv.token, 1, a.seconds))
        def median_of(kind):
            runs = rounds[kind]
            return {"p50_ms": statistics.median(x["p50_ms"] for x in runs),
                    "p99_ms": statistics.median(x["p99_ms"] for x in runs),
                    "requests_per_s": round(statistics.median(x["requests_per_s"] for x in runs)),
                    "non_2xx": sum(x["non_2xx"] for x in runs)}
        with_session, with_token = median_of("session"), median_of("token")
        print(json.dumps({
            "accounts": a.accounts, "clients": a.clients,
            "logins_per_s": round(a.accounts / login_s, 1),
            "password_step_ms": {"p50": round(statistics.median(password_ms), 1),
                                 "p99": round(sorted(password_ms)[int(0.99 * len(password_ms))], 1)},
            "otp_step_ms": {"p50": round(statistics.median(otp_ms), 2),
                            "p99": round(sorted(otp_ms)[int(0.99 * len(otp_ms))], 2)},
            "query_with_session": with_session, "query_with_token": with_token,
            "session_overhead_p50": round(with_session["p50_ms"] / with_token["p50_ms"] - 1, 3),
        }))
    return 0



if __name__ == "__main__":
    sys.exit(main())
