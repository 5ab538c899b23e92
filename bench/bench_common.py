"""What the benchmarks share: the test harness's Server, CDR bodies of a known shape, and posting
them over keep-alive HTTPS connections with every answer checked."""

from __future__ import annotations

import concurrent.futures as cf
import datetime as dt
import json
import random
import sys
import threading
from pathlib import Path
from typing import Callable, Iterable, Iterator

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "integration"))
from cxs_harness import Server  # noqa: E402,F401  (re-exported for the benchmarks)

JST = dt.timezone(dt.timedelta(hours=9))
RESULTS = ("completed", "busy", "no_answer", "abandoned", "out_of_hours", "area_restricted", "congestion", "other")
HEADER = "call_id,start,an,dn,caller,origin_pref,dest_pref,duration_s,result"


def rss_bytes(pid: int) -> int:
    """The resident set of a process (VmRSS), in bytes."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS")


def cdr_bodies(calls: int, an_of: Callable[[int], str], first: dt.date, days: int, prefix: str,
               seed: int, per_body: int = 100_000, withheld: float = 1.0) -> Iterator[bytes]:
    """CSV bodies of `per_body` rows: call n goes to AN an_of(n) at a random time in the `days`
    days from `first`; 70 % completed with 5–600 s of talk; callers withheld with probability
    `withheld`, else a geographic number (the caller is hashed, so its digits cost parsing only)."""
    rng = random.Random(seed)
    base = int(dt.datetime.combine(first, dt.time(), JST).timestamp())
    for start in range(0, calls, per_body):
        lines = [HEADER]
        for n in range(start, min(calls, start + per_body)):
            ok = rng.random() < 0.7
            stamp = dt.datetime.fromtimestamp(base + rng.randrange(days * 86400), JST).isoformat()
            caller = "" if rng.random() < withheld else f"0{rng.choice((3, 6, 52, 92, 11))}{rng.randrange(10**7):07d}"
            lines.append(f"{prefix}{n},{stamp},{an_of(n)},{'0352001234' if ok else ''},{caller},,,"
                         f"{rng.randrange(5, 600) if ok else 0},{'completed' if ok else RESULTS[rng.randrange(1, 8)]}")
        yield ("\n".join(lines) + "\n").encode()


def post_all(srv, bodies: Iterable[bytes], clients: int, check: Callable[[dict], None]) -> int:
    """Posts every body to /admin/ingest over `clients` keep-alive connections; returns the
    number of accepted rows. `check` sees each answer (raise to fail)."""
    local = threading.local()
    lock = threading.Lock()
    accepted = 0

    def post(body: bytes):
        nonlocal accepted
        if not hasattr(local, "c"):
            local.c = srv.client()
        r = local.c.request("POST", "/admin/ingest", body, {"Content-Type": "text/csv"}, token=srv.token)
        answer = json.loads(r.body)
        assert r.status == 200, r.body[:300]
        check(answer)
        with lock:
            accepted += answer["accepted"]

    with cf.ThreadPoolExecutor(clients) as ex:
        list(ex.map(post, bodies))
    return accepted
