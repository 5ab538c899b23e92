#!/usr/bin/env python3
"""TLS handshake benchmark (issue 15): what asking every customer for a client certificate costs.
Full handshakes (no resumption), each followed by one small request on the same connection, so
the server has read the client's whole flight (its Certificate and CertificateVerify too) before
the clock stops. Three kinds, alternating in rounds on the same server and TLS context:

  admin        the admin listener, which asks for no certificate (the baseline)
  customer     the customer listener: a CertificateRequest naming "CX Support Root", and the
               client's empty Certificate message (every customer on one-time passwords)
  certificate  the customer listener, the client presenting a certificate of ours (RSA key, as
               the download site issues them)

Reports per kind the handshakes per second (median of the rounds), the p50/p99 of one handshake +
request, and the server's CPU time per handshake (user + system of its process, from /proc: the
Python clients share the two cores, and their own RSA signing is not the server's cost), and the
ratios to the baseline, as one JSON line.

  python3 bench/bench_handshake.py [--clients 2] [--seconds 5] [--rounds 3]
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import json
import os
import socket
import ssl
import statistics
import sys
import tempfile
import time

from bench_common import Server
from cxs_harness import certificate_account, issue_client_certificate

REQUEST = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"


def context(cert: str | None = None, key: str | None = None) -> ssl.SSLContext:
    ctx = ssl._create_unverified_context()  # the server's self-signed certificate, loopback only
    if cert:
        ctx.load_cert_chain(cert, key)
    return ctx


def one(ctx: ssl.SSLContext, port: int) -> tuple[float, int]:
    """One full handshake and one request; its seconds and the answer's status."""
    t0 = time.perf_counter()
    with socket.create_connection(("127.0.0.1", port), timeout=30) as raw:
        with ctx.wrap_socket(raw) as tls:
            tls.sendall(REQUEST)
            answer = b""
            while chunk := tls.recv(65536):
                answer += chunk
    return time.perf_counter() - t0, int(answer.split(b" ", 2)[1])


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run(ctx: ssl.SSLContext, port: int, clients: int, seconds: float, pid: int) -> dict:
    """`clients` threads doing handshakes for `seconds`; rate, latencies, server CPU."""
    cpu0 = cpu_seconds(pid)
    deadline = time.monotonic() + seconds

    def worker(_):
        times, statuses = [], set()
        while time.monotonic() < deadline:
            t, status = one(ctx, port)
            times.append(t)
            statuses.add(status)
        return times, statuses

    t0 = time.monotonic()
    with cf.ThreadPoolExecutor(clients) as ex:
        parts = list(ex.map(worker, range(clients)))
    elapsed = time.monotonic() - t0
    times = sorted(t for p in parts for t in p[0])
    return {"per_s": len(times) / elapsed, "times": times, "statuses": set().union(*(p[1] for p in parts)),
            "server_cpu_us": 1e6 * (cpu_seconds(pid) - cpu0) / len(times)}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--clients", type=int, default=2)
    p.add_argument("--seconds", type=float, default=5, help="length of each round")
    p.add_argument("--rounds", type=int, default=3, help="rounds per kind, alternating")
    a = p.parse_args()
    with Server(clock=None, extra_args=["--rate.address-per-minute=1000000"]) as srv, \
            tempfile.TemporaryDirectory() as folder:
        _, account, password = certificate_account(srv)
        cert, key, _ = issue_client_certificate(srv, account, password, folder)
        kinds = {"admin": (context(), srv.admin_addr[1]),
                 "customer": (context(), srv.customer_addr[1]),
                 "certificate": (context(cert, key), srv.customer_addr[1])}
        for ctx, port in kinds.values():  # warm up: both listeners answer, the certificate is taken
            one(ctx, port)
        rounds: dict[str, list[dict]] = {k: [] for k in kinds}
        for _ in range(a.rounds):
            for name, (ctx, port) in kinds.items():
                rounds[name].append(run(ctx, port, a.clients, a.seconds, srv.proc.pid))

        def summary(name: str) -> dict:
            times = sorted(t for r in rounds[name] for t in r["times"])
            return {"handshakes_per_s": round(statistics.median(r["per_s"] for r in rounds[name]), 1),
                    "p50_ms": round(1000 * times[len(times) // 2], 2),
                    "p99_ms": round(1000 * times[int(0.99 * len(times))], 2),
                    "server_cpu_us": round(statistics.median(r["server_cpu_us"] for r in rounds[name])),
                    "statuses": sorted(set().union(*(r["statuses"] for r in rounds[name])))}

        out = {k: summary(k) for k in kinds}
        base = out["admin"]["handshakes_per_s"]
        print(json.dumps({
            "clients": a.clients, "seconds": a.seconds, "rounds": a.rounds, **out,
            "customer_rate_vs_admin": round(out["customer"]["handshakes_per_s"] / base, 3),
            "certificate_rate_vs_admin": round(out["certificate"]["handshakes_per_s"] / base, 3),
            "customer_server_cpu_vs_admin": round(out["customer"]["server_cpu_us"] / out["admin"]["server_cpu_us"], 3),
            "certificate_server_cpu_vs_admin":
                round(out["certificate"]["server_cpu_us"] / out["admin"]["server_cpu_us"], 3),
        }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
