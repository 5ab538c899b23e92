#!/usr/bin/env python3
"""Seeded, realistic call detail records (CDRs) for CX Support (SPEC §8).

The same seed and arguments always give the same records, so a batch sent twice is all
duplicates the second time.  Shape of the traffic:

- hour of day: low at night, a morning peak around 10-11, a lunch dip, an afternoon peak
  around 14-16, fading in the evening;
- weekday: Monday and Friday busiest, Saturday about half, Sunday and holidays lower still;
- results: about 70 % `completed` with log-normal talk times (median about 2.5 minutes,
  a long tail up to two hours), every other result code of §8 present; `out_of_hours` is what
  most night calls get, `congestion` rises with the hour's load;
- callers: about 10 % withheld (empty `caller`), the rest from a pool of callers of whom a few
  call often (Pareto weights); numbers from geographic area codes all over Japan (weighted by
  population), mobiles (090/080/070) and a few IP phones (050);
- `origin_pref` and `dest_pref` are mostly left empty so that the server derives them from
  `caller` / `dn`; `dn` is empty when the call never reached a destination;
- `call_id`s are unique: `<prefix>-<yyyymmdd>-<n>`.

As a program it writes CSV or NDJSON to a file or standard output, or posts batches to
`/admin/ingest` over HTTPS.  As a module, `generate(...)` yields the records (dicts) so that
tests and the demo can use them.

Examples:
  ops/gen_cdrs.py --seed 7 --an 0120000001 --dn 0312345678 --from 2026-09-01 --to 2026-11-30 --out -
  ops/gen_cdrs.py --registry ops/demo/registry.json --opid DEMO0001 --from 2026-06-01 \\
      --post https://127.0.0.1:9443 --token data/admin.token --cafile data/tls/server.crt
"""

from __future__ import annotations

import argparse
import bisect
import csv
import datetime as dt
import io
import itertools
import json
import math
import random
import ssl
import sys
import urllib.parse
from typing import Iterable, Iterator, Mapping, Sequence

JST = dt.timezone(dt.timedelta(hours=9), "JST")

COLUMNS = ("call_id", "start", "an", "dn", "caller", "origin_pref", "dest_pref",
           "duration_s", "result")
RESULTS = ("completed", "busy", "no_answer", "abandoned", "out_of_hours",
           "area_restricted", "congestion", "other")

# Relative call volume by JST hour of day (0-23).
HOUR_WEIGHTS = (0.6, 0.35, 0.25, 0.2, 0.2, 0.35, 0.9, 2.2, 5.0, 9.0, 11.0, 10.5,
                6.5, 8.5, 10.0, 10.2, 9.2, 7.0, 5.0, 3.4, 2.5, 1.8, 1.3, 0.9)
# Relative volume by weekday, Monday first.
WEEKDAY_WEIGHTS = (1.15, 1.0, 0.97, 0.97, 1.08, 0.5, 0.33)
# Fixed public holidays (month, day) treated like a Sunday.  Enough for a realistic shape.
HOLIDAYS = {(1, 1), (1, 2), (1, 3), (2, 11), (2, 23), (4, 29), (5, 3), (5, 4), (5, 5),
            (8, 11), (11, 3), (11, 23), (12, 31)}

# Geographic number prefixes (area code plus the first subscriber digit(s)) -> JIS X 0401
# prefecture code and a population weight.  Every number is 10 digits long.
GEO_PREFIXES: tuple[tuple[str, str, float], ...] = (
    ("0112", "01", 2.5), ("0117", "01", 1.2), ("01662", "01", 0.5),  # Sapporo, Asahikawa
    ("0177", "02", 1.2), ("0196", "03", 1.2), ("0222", "04", 2.2), ("0188", "05", 0.9),
    ("0236", "06", 1.0), ("0245", "07", 1.8), ("0292", "08", 2.8), ("0286", "09", 1.9),
    ("0272", "10", 1.9), ("0488", "11", 7.3), ("0432", "12", 6.3),
    ("033", "13", 7.0), ("035", "13", 7.0),                           # Tokyo 23 wards
    ("0452", "14", 9.2), ("0252", "15", 2.2), ("0764", "16", 1.0), ("0762", "17", 1.1),
    ("07762", "18", 0.8), ("0552", "19", 0.8), ("0262", "20", 2.0), ("0582", "21", 2.0),
    ("0542", "22", 3.6), ("0529", "23", 4.0), ("0527", "23", 3.5), ("0592", "24", 1.8),
    ("0775", "25", 1.4), ("0752", "26", 2.5), ("0668", "27", 4.5), ("0662", "27", 4.3),
    ("0783", "28", 5.4), ("07422", "29", 1.3), ("0734", "30", 0.9), ("08572", "31", 0.6),
    ("08522", "32", 0.7), ("0862", "33", 1.9), ("0822", "34", 2.8), ("0839", "35", 1.3),
    ("0886", "36", 0.7), ("0878", "37", 1.0), ("0899", "38", 1.3), ("0888", "39", 0.7),
    ("0927", "40", 5.1), ("09522", "41", 0.8), ("0958", "42", 1.3), ("0963", "43", 1.7),
    ("0975", "44", 1.1), ("09852", "45", 1.1), ("0992", "46", 1.6), ("0988", "47", 1.5),
)
MOBILE_PREFIXES = ("090", "080", "070")
# Area codes -> prefecture, coarse (a few codes straddle a border); used for DNs given on the
# command line when the generator fills in `dest_pref` itself.
AREA_CODES = {
    "011": "01", "017": "02", "019": "03", "022": "04", "018": "05", "023": "06", "024": "07",
    "029": "08", "028": "09", "027": "10", "048": "11", "043": "12", "03": "13", "045": "14",
    "025": "15", "0764": "16", "0762": "17", "0776": "18", "055": "19", "026": "20",
    "058": "21", "054": "22", "052": "23", "059": "24", "077": "25", "075": "26", "06": "27",
    "078": "28", "0742": "29", "073": "30", "0857": "31", "0852": "32", "086": "33",
    "082": "34", "083": "35", "0886": "36", "087": "37", "089": "38", "0888": "39",
    "092": "40", "0952": "41", "095": "42", "096": "43", "097": "44", "0985": "45",
    "099": "46", "098": "47",
}


def _weighted_picker(rng: random.Random, items: Sequence, weights: Sequence[float]):
    cum = list(itertools.accumulate(weights))
    total = cum[-1]

    def pick():
        return items[bisect.bisect_right(cum, rng.random() * total)]
    return pick


def _poisson(rng: random.Random, mean: float) -> int:
    if mean <= 0:
        return 0
    if mean > 60:  # normal approximation, good enough and fast
        return max(0, int(round(rng.gauss(mean, math.sqrt(mean)))))
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def make_caller(rng: random.Random) -> tuple[str, str]:
    """One caller number and the prefecture its area code belongs to ("00" for non-geographic)."""
    kind = rng.random()
    if kind < 0.55:
        prefix, pref, _ = GEO_PREFIXES[bisect.bisect_right(_GEO_CUM, rng.random() * _GEO_CUM[-1])]
        return prefix + _digits(rng, 10 - len(prefix)), pref
    if kind < 0.98:
        return rng.choice(MOBILE_PREFIXES) + rng.choice("123456789") + _digits(rng, 7), "00"
    return "050" + rng.choice("123456789") + _digits(rng, 7), "00"


_GEO_CUM = list(itertools.accumulate(w for _, _, w in GEO_PREFIXES))


def pref_of_number(number: str) -> str:
    """The generator's own idea of a number's prefecture ("" when it does not know)."""
    best, found = "", ""
    for prefix, pref in itertools.chain(((p, q) for p, q, _ in GEO_PREFIXES),
                                        AREA_CODES.items()):
        if number.startswith(prefix) and len(prefix) > len(best):
            best, found = prefix, pref
    return found


def _normalise_ans(ans, dns) -> dict[str, list[str]]:
    if isinstance(ans, Mapping):
        out = {str(a): [str(d) for d in ds] for a, ds in ans.items()}
    else:
        out = {str(a): [] for a in (ans or [])}
    if not out:
        raise ValueError("at least one AN is needed")
    for a in out:
        if not out[a]:
            out[a] = [str(d) for d in (dns or [])]
    return out


def _date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.astimezone(JST).date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def generate(seed: int = 1,
             ans: Sequence[str] | Mapping[str, Sequence[str]] = ("0120000001",),
             dns: Sequence[str] = (),
             date_from="2026-01-01",
             date_to="2026-01-31",
             calls_per_day: float = 200.0,
             id_prefix: str | None = None,
             withheld_share: float = 0.10,
             origin_pref_share: float = 0.12,
             dest_pref_share: float = 0.10,
             not_after: dt.datetime | None = None,
             offsets: Sequence[dt.timezone] = ()) -> Iterator[dict]:
    """Yield CDR dicts (string values except `duration_s`, an int), day by day, in time order.

    `ans` is a list of ANs (each routed to any of `dns`) or a mapping AN -> its DNs.  Dates are
    JST and inclusive.  `calls_per_day` is the mean for an ordinary weekday-averaged day over all
    ANs together.  Records starting after `not_after` are left out.  With `offsets`, some
    records carry their start in another UTC offset (the same instant), as feeds sometimes do.
    """
    rng = random.Random(seed)
    routes = _normalise_ans(ans, dns)
    an_list = sorted(routes)
    # The first AN is the busy one, the others less so.
    pick_an = _weighted_picker(rng, an_list, [1.0 / (1 + 0.6 * i) for i in range(len(an_list))])
    pick_hour = _weighted_picker(rng, range(24), HOUR_WEIGHTS)
    prefix = id_prefix if id_prefix is not None else f"g{seed}"

    # A pool of callers; Pareto weights make a few of them call often.
    pool_size = max(40, int(calls_per_day * 25))
    pool = [make_caller(rng) for _ in range(pool_size)]
    pick_caller = _weighted_picker(rng, pool, [rng.paretovariate(1.6) for _ in pool])
    mean_weekday = sum(WEEKDAY_WEIGHTS) / 7

    day, last = _date(date_from), _date(date_to)
    while day <= last:
        factor = WEEKDAY_WEIGHTS[6 if (day.month, day.day) in HOLIDAYS else day.weekday()]
        factor *= rng.uniform(0.85, 1.15) / mean_weekday
        n = _poisson(rng, calls_per_day * factor)
        starts = sorted(
            dt.datetime(day.year, day.month, day.day, pick_hour(), tzinfo=JST)
            + dt.timedelta(seconds=rng.randrange(3600)) for _ in range(n))
        for seq, start in enumerate(starts):
            if not_after is not None and start > not_after:
                break
            yield _one_call(rng, start, pick_an, routes, pick_caller, withheld_share,
                            origin_pref_share, dest_pref_share, offsets,
                            f"{prefix}-{day:%Y%m%d}-{seq:05d}")
        day += dt.timedelta(days=1)


def live_calls(seed: int, ans: Sequence[str] | Mapping[str, Sequence[str]], mean: float,
               now: dt.datetime, id_prefix: str, withheld_share: float = 0.10) -> list[dict]:
    """The calls of one moment of a live feed: Poisson(mean) calls that started within the minute
    before `now`, at whatever hour it is (a night call mostly gets `out_of_hours`, as at night).
    The demo's trickle sends these every few seconds, so the dashboard moves around the clock."""
    rng = random.Random(seed)
    routes = _normalise_ans(ans, ())
    an_list = sorted(routes)
    pick_an = _weighted_picker(rng, an_list, [1.0 / (1 + 0.6 * i) for i in range(len(an_list))])
    pool = [make_caller(rng) for _ in range(40)]
    pick_caller = _weighted_picker(rng, pool, [rng.paretovariate(1.6) for _ in pool])
    now = now.astimezone(JST).replace(microsecond=0)
    starts = sorted(now - dt.timedelta(seconds=rng.randrange(60)) for _ in range(_poisson(rng, mean)))
    return [_one_call(rng, start, pick_an, routes, pick_caller, withheld_share, 0.12, 0.10, (),
                      f"{id_prefix}-{start:%Y%m%d}-{seq:05d}") for seq, start in enumerate(starts)]


def _one_call(rng, start, pick_an, routes, pick_caller, withheld_share, origin_pref_share,
              dest_pref_share, offsets, call_id) -> dict:
    an = pick_an()
    hour = start.hour
    night = hour < 8 or hour >= 21
    load = HOUR_WEIGHTS[hour] / max(HOUR_WEIGHTS)
    r = rng.random()
    if night and r < 0.65:
        result = "out_of_hours"
    else:
        r = rng.random()
        table = (("completed", 0.745), ("busy", 0.065 + 0.03 * load), ("no_answer", 0.06),
                 ("abandoned", 0.055), ("area_restricted", 0.012),
                 ("congestion", 0.004 + 0.03 * load), ("other", 0.01))
        total = sum(p for _, p in table)
        acc, result = 0.0, "other"
        for name, p in table:
            acc += p / total
            if r < acc:
                result = name
                break
    reached = result in ("completed", "busy", "no_answer", "abandoned") or (
        result == "other" and rng.random() < 0.5)
    dn = rng.choice(routes[an]) if reached and routes[an] else ""
    duration = 0
    if result == "completed":
        duration = int(min(7200, max(1, rng.lognormvariate(math.log(150), 0.85))))
    if rng.random() < withheld_share:
        caller, caller_pref = "", ""
    else:
        caller, caller_pref = pick_caller()
    origin_pref = ""
    if rng.random() < origin_pref_share:
        origin_pref = caller_pref if caller_pref else "00"
    dest_pref = ""
    if dn and rng.random() < dest_pref_share:
        dest_pref = pref_of_number(dn) or "00"
    when = start
    if offsets and rng.random() < 0.15:
        when = start.astimezone(rng.choice(list(offsets)))
    return {"call_id": call_id, "start": when.isoformat(), "an": an, "dn": dn,
            "caller": caller, "origin_pref": origin_pref, "dest_pref": dest_pref,
            "duration_s": duration, "result": result}


# ---------------------------------------------------------------------------------------------
# Encodings

def to_csv(records: Iterable[Mapping], header: bool = True, crlf: bool = False) -> bytes:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n" if crlf else "\n")
    if header:
        w.writerow(COLUMNS)
    for r in records:
        w.writerow([r.get(c, "") for c in COLUMNS])
    return out.getvalue().encode("utf-8")


def to_ndjson(records: Iterable[Mapping], duration_as_string: bool = False) -> bytes:
    lines = []
    for r in records:
        d = {c: r.get(c, "") for c in COLUMNS}
        d["duration_s"] = str(d["duration_s"]) if duration_as_string else int(d["duration_s"] or 0)
        lines.append(json.dumps(d, ensure_ascii=False))
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""


def batched(it: Iterable, n: int) -> Iterator[list]:
    it = iter(it)
    while chunk := list(itertools.islice(it, n)):
        yield chunk


# ---------------------------------------------------------------------------------------------
# Posting to the operator API

def post_batches(url: str, token: str, records: Iterable[Mapping], fmt: str = "csv",
                 batch: int = 5000, cafile: str | None = None, timeout: float = 120.0,
                 progress=None) -> dict:
    """Send the records in batches to /admin/ingest; return the summed answers."""
    import http.client
    u = urllib.parse.urlsplit(url)
    if u.scheme != "https":
        raise ValueError("--post needs an https:// URL")
    path = u.path.rstrip("/")
    if not path.endswith("/admin/ingest"):
        path += "/admin/ingest"
    ctx = ssl.create_default_context(cafile=cafile)
    conn = http.client.HTTPSConnection(u.hostname, u.port or 443, context=ctx, timeout=timeout)
    totals = {"accepted": 0, "duplicates": 0, "unowned": 0, "too_old": 0, "rejected": 0,
              "batches": 0}
    ctype = "text/csv" if fmt == "csv" else "application/x-ndjson"
    try:
        for chunk in batched(records, batch):
            body = to_csv(chunk) if fmt == "csv" else to_ndjson(chunk)
            conn.request("POST", path, body=body, headers={
                "Authorization": f"Bearer {token}", "Content-Type": ctype})
            resp = conn.getresponse()
            data = resp.read()
            if resp.status != 200:
                raise RuntimeError(f"ingest answered {resp.status}: {data[:500]!r}")
            answer = json.loads(data)
            for k in ("accepted", "duplicates", "unowned", "too_old", "rejected"):
                totals[k] += int(answer.get(k, 0))
            totals["batches"] += 1
            if progress:
                progress(totals, answer)
    finally:
        conn.close()
    return totals


def load_registry_routes(path: str, opid: str) -> dict[str, list[str]]:
    """AN -> DNs of one OPID from a registry file (JSON or CSV form of SPEC §13)."""
    with open(path, encoding="utf-8-sig") as f:
        text = f.read()
    routes: dict[str, list[str]] = {}
    if text.lstrip().startswith("{"):
        for o in json.loads(text)["opids"]:
            if o["opid"] == opid:
                for a in o.get("ans", []):
                    routes[a["an"]] = list(a.get("dns", []))
    else:
        for row in csv.DictReader(io.StringIO(text)):
            if row["opid"] == opid:
                routes.setdefault(row["an"], [])
                if row.get("dn"):
                    routes[row["an"]].append(row["dn"])
    if not routes:
        raise SystemExit(f"gen_cdrs: OPID {opid} has no ANs in {path}")
    return routes


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--an", action="append", default=[],
                   help="an AN (digits; repeatable); AN=DN1,DN2 gives that AN its own DNs")
    p.add_argument("--dn", action="append", default=[],
                   help="a DN that calls to the ANs without their own DNs reach (repeatable)")
    p.add_argument("--registry", help="take ANs and DNs of --opid from this registry file")
    p.add_argument("--opid", help="the OPID to take from --registry")
    today = dt.datetime.now(JST).date()
    p.add_argument("--from", dest="date_from", default=str(today - dt.timedelta(days=89)),
                   help="first JST date (default: today - 89 days: the 90 days ending today)")
    p.add_argument("--to", dest="date_to", default=str(today), help="last JST date (default: today)")
    p.add_argument("--calls-per-day", type=float, default=200.0, help="mean calls per day, all ANs")
    p.add_argument("--withheld", type=float, default=0.10, help="share of withheld callers")
    p.add_argument("--id-prefix", help="call_id prefix (default g<seed>)")
    p.add_argument("--live", type=float, metavar="MEAN",
                   help="instead of --from/--to: Poisson(MEAN) calls that started in the last minute "
                        "(a live feed's moment, at any hour; needs --id-prefix to keep IDs unique)")
    p.add_argument("--allow-future", action="store_true",
                   help="keep calls that start after the current time")
    p.add_argument("--format", choices=("csv", "ndjson"), default="csv")
    p.add_argument("--out", default="-", help="output file, - for standard output")
    p.add_argument("--post", metavar="URL", help="send to URL/admin/ingest instead of writing")
    p.add_argument("--token", metavar="FILE", help="file with the operator token (with --post)")
    p.add_argument("--cafile", metavar="FILE", help="CA/server certificate to verify TLS with")
    p.add_argument("--batch", type=int, default=5000, help="records per request (with --post)")
    args = p.parse_args(argv)

    routes: dict[str, list[str]] = {}
    if args.registry:
        if not args.opid:
            p.error("--registry needs --opid")
        routes.update(load_registry_routes(args.registry, args.opid))
    for spec in args.an:
        an, _, own = spec.partition("=")
        routes[an] = [d for d in own.split(",") if d]
    if not routes:
        p.error("give at least one --an (or --registry with --opid)")
    for an in routes:
        if not routes[an]:
            routes[an] = list(args.dn)
    try:
        d_from, d_to = dt.date.fromisoformat(args.date_from), dt.date.fromisoformat(args.date_to)
    except ValueError as e:
        p.error(f"--from/--to: {e}")
    if d_from > d_to:
        p.error("--from is after --to")
    not_after = None if args.allow_future else dt.datetime.now(JST)
    if args.live is not None:
        if not args.id_prefix:
            p.error("--live needs --id-prefix")
        records = iter(live_calls(args.seed, routes, args.live, dt.datetime.now(JST), args.id_prefix,
                                  args.withheld))
    else:
        records = generate(seed=args.seed, ans=routes, date_from=d_from, date_to=d_to,
                           calls_per_day=args.calls_per_day, id_prefix=args.id_prefix,
                           withheld_share=args.withheld, not_after=not_after)

    if args.post:
        if not args.token:
            p.error("--post needs --token FILE")
        with open(args.token, encoding="utf-8") as f:
            token = f.read().strip()

        def progress(totals, _answer):
            print(f"\rbatches {totals['batches']}  accepted {totals['accepted']}", end="",
                  file=sys.stderr, flush=True)
        totals = post_batches(args.post, token, records, args.format, args.batch, args.cafile,
                              progress=progress)
        print(file=sys.stderr)
        print(json.dumps(totals))
        return 0

    out = sys.stdout.buffer if args.out == "-" else open(args.out, "wb")
    try:
        first = True
        for chunk in batched(records, 10000):
            if args.format == "csv":
                out.write(to_csv(chunk, header=first))
            else:
                out.write(to_ndjson(chunk))
            first = False
        if first and args.format == "csv":
            out.write(to_csv([]))
    finally:
        if out is not sys.stdout.buffer:
            out.close()
        else:
            out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
