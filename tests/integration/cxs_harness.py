"""Test harness for the CX Support integration tests: the real `cxs-server` over HTTPS.

Python 3.11 standard library only.  Environment:
  CXS_SERVER  path of the server binary (default: $CXS_SOURCE/build/bin/cxs-server)
  CXS_SOURCE  repository root (default: two folders above this file)
  CXS_KEEP_TMP=1  keep each server's temp folder (data, logs) for a post-mortem
  CXS_SHOW_LOGS=1 print each server's stderr when it stops

Every server runs in its own temp folder (`data/`, registry file, clock file, stdout/stderr
logs), listens on loopback ports chosen by the kernel, and is killed when the test process ends,
however it ends (close(), atexit and PR_SET_PDEATHSIG).
"""

from __future__ import annotations

import atexit
import csv
import ctypes
import datetime as dt
import http.client
import io
import json
import os
import re
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.parse
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

SOURCE = Path(os.environ.get("CXS_SOURCE") or Path(__file__).resolve().parents[2])
SERVER_BIN = Path(os.environ.get("CXS_SERVER") or SOURCE / "build" / "bin" / "cxs-server")
sys.path.insert(0, str(SOURCE / "ops"))
import gen_cdrs  # noqa: E402  (ops/gen_cdrs.py: the CDR generator, also used by the demo)

JST = dt.timezone(dt.timedelta(hours=9), "JST")
# The instant the test clock is set to by default: a Friday, late in a month, in the past of
# any machine that runs these tests (so that TLS certificates are never "not yet valid").
FIXED_NOW = dt.datetime(2026, 11, 20, 12, 0, 0, tzinfo=JST)
READY_TIMEOUT = 20.0
REQUEST_TIMEOUT = 60.0
READY_RE = re.compile(r"^cxs ready customer=https://([^\s/]+):(\d+) admin=https://([^\s/]+):(\d+)$")

CDR_COLUMNS = gen_cdrs.COLUMNS
RESULTS = gen_cdrs.RESULTS
REASONS = tuple(r for r in RESULTS if r != "completed")
FIGURES = ("calls", "completed", "incomplete", "talk_seconds", "completion_rate")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
BILLING_PHONE = "0312345678"
PASSWORD = "Passw0rdTest"


# ---------------------------------------------------------------------------------------------
# Registry fixture

def _dns(n: int) -> dict[str, list[str]]:
    """DNs in several prefectures for the ANs of parent number n (all 10-digit geographic)."""
    return {
        "tokyo": [f"035{n:03d}1001"], "osaka": [f"066{n:03d}2002"],
        "nagoya": [f"0529{n:02d}3003"], "sapporo": [f"0112{n:02d}4004"],
        "fukuoka": [f"0927{n:02d}5005"], "sendai": [f"0222{n:02d}6006"],
        "hiroshima": [f"0822{n:02d}7007"], "naha": [f"0988{n:02d}8008"],
    }


def parent_opid(n: int) -> str:
    return f"OP{n:04d}"


def parent_entry(n: int) -> dict:
    d = _dns(n)
    return {"opid": parent_opid(n), "parent": True, "ans": [
        {"an": f"0120{n:04d}01", "dns": d["tokyo"] + d["osaka"]},
        {"an": f"0120{n:04d}02", "dns": d["nagoya"]},
        {"an": f"0800{n:04d}003", "dns": d["sapporo"] + d["fukuoka"] + d["sendai"]},
        {"an": f"0570{n:04d}04", "dns": d["hiroshima"] + d["naha"]},
    ]}


PARENTS = 24
CHILD_OPID = "OPCHILD1"
CHILD_AN = "0120990001"
UNOWNED_OPID = parent_opid(PARENTS)      # in the registry, never given an account
UNREGISTERED_AN = "0120999999"           # a well-formed AN that no OPID holds


def fixture_registry() -> dict:
    """Parent OPIDs OP0001..OP0024 with 0120/0800/0570 ANs routed to Tokyo, Osaka, Nagoya,
    Sapporo, Fukuoka, Sendai, Hiroshima and Naha DNs, and one child OPID."""
    opids = [parent_entry(n) for n in range(1, PARENTS + 1)]
    opids.append({"opid": CHILD_OPID, "parent": False,
                  "ans": [{"an": CHILD_AN, "dns": ["0352991001"]}]})
    return {"opids": opids}


def registry_ans(registry: Mapping, opid: str) -> list[str]:
    for o in registry["opids"]:
        if o["opid"] == opid:
            return [a["an"] for a in o.get("ans", [])]
    raise KeyError(opid)


def registry_routes(registry: Mapping, opid: str) -> dict[str, list[str]]:
    for o in registry["opids"]:
        if o["opid"] == opid:
            return {a["an"]: list(a.get("dns", [])) for a in o.get("ans", [])}
    raise KeyError(opid)


def registry_to_csv(registry: Mapping) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["opid", "parent", "an", "dn"])
    for o in registry["opids"]:
        for a in o.get("ans", []):
            for d in a.get("dns", []):
                w.writerow([o["opid"], "true" if o["parent"] else "false", a["an"], d])
    return out.getvalue()


def normalise_registry(registry: Mapping) -> dict:
    """Order-independent form: opid -> (parent, {an: sorted dns})."""
    return {o["opid"]: (bool(o.get("parent")),
                        {a["an"]: sorted(a.get("dns", [])) for a in o.get("ans", [])})
            for o in registry["opids"]}


# ---------------------------------------------------------------------------------------------
# HTTPS client

class Response:
    def __init__(self, status: int, headers: http.client.HTTPMessage, body: bytes):
        self.status, self.headers, self.body = status, headers, body

    def json(self):
        return json.loads(self.body) if self.body else None


class Client:
    """A keep-alive HTTPS client that verifies the server's certificate against `cafile`.

    A request on a reused connection that the server had already closed is sent once more on a
    new connection (unless retry=False: the durability tests must see every failure)."""

    def __init__(self, host: str, port: int, cafile: str | os.PathLike, token: str | None = None,
                 timeout: float = REQUEST_TIMEOUT, retry: bool = True):
        self.host, self.port, self.token, self.timeout, self.retry = host, port, token, timeout, retry
        self.context = ssl.create_default_context(cafile=str(cafile))
        self.conn: http.client.HTTPSConnection | None = None

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: Mapping[str, str] | None = None, token: Any = "default") -> Response:
        h = dict(headers or {})
        tok = self.token if token == "default" else token
        if tok is not None and not any(k.lower() == "authorization" for k in h):
            h["Authorization"] = f"Bearer {tok}"
        for attempt in range(2):
            fresh = self.conn is None
            if fresh:
                self.conn = http.client.HTTPSConnection(self.host, self.port, context=self.context,
                                                        timeout=self.timeout)
            try:
                self.conn.request(method, path, body=body, headers=h)
                resp = self.conn.getresponse()
                data = resp.read()
            except (http.client.RemoteDisconnected, http.client.CannotSendRequest,
                    http.client.ResponseNotReady, ConnectionResetError, BrokenPipeError,
                    ssl.SSLEOFError, ssl.SSLZeroReturnError):
                self.close()
                if fresh or attempt or not self.retry:
                    raise
                continue
            except BaseException:
                self.close()
                raise
            if resp.will_close:
                self.close()
            return Response(resp.status, resp.headers, data)
        raise AssertionError("unreachable")


def encode_body(body: Any, headers: dict) -> bytes | None:
    if body is None:
        return None
    if isinstance(body, (bytes, bytearray)):
        return bytes(body)
    if isinstance(body, str):
        return body.encode("utf-8")
    headers.setdefault("Content-Type", "application/json")
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


def decode(resp: Response, raw: bool):
    if raw:
        return resp.body
    if not resp.body:
        return None
    try:
        return json.loads(resp.body)
    except (ValueError, UnicodeDecodeError):
        return resp.body


def query(path: str, params: Mapping[str, Any] | None = None) -> str:
    """path?params; list values become repeated parameters."""
    if not params:
        return path
    items = []
    for k, v in params.items():
        if v is None:
            continue
        if isinstance(v, (list, tuple)):
            items.extend((k, str(x)) for x in v)
        else:
            items.append((k, str(v)))
    return path + "?" + urllib.parse.urlencode(items)


# ---------------------------------------------------------------------------------------------
# The server process

_LIVE: set["Server"] = set()


def _kill_leftovers():
    for s in list(_LIVE):
        s.close()


atexit.register(_kill_leftovers)


def _die_with_parent():
    """preexec_fn: the server gets SIGKILL if the test process dies (Linux)."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except OSError:
        pass


class ServerFailed(RuntimeError):
    pass


class Server:
    """One cxs-server in a temp folder.

    registry: a dict (written as JSON, or as CSV with registry_format="csv"), or None for no
    --registry flag.  clock: None (no --testing.clock), a datetime the test clock is set to, or
    an int offset in seconds.  token_file: passed as --admin.token-file when given.
    """

    def __init__(self, registry: Mapping | None = None, registry_format: str = "json",
                 clock: dt.datetime | int | None = FIXED_NOW, extra_args: Sequence[str] = (),
                 token_file: str | os.PathLike | None = None, http_host: str = "127.0.0.1"):
        if not SERVER_BIN.is_file() or not os.access(SERVER_BIN, os.X_OK):
            raise ServerFailed(f"server binary not found or not executable: {SERVER_BIN} "
                               "(build it, or set CXS_SERVER)")
        self.registry = fixture_registry() if registry is None else registry
        self.registry_format = registry_format
        self.tmp = Path(tempfile.mkdtemp(prefix="cxs-it-"))
        self.data_dir = self.tmp / "data"
        self.data_dir.mkdir()
        self.registry_file = self.tmp / f"registry.{registry_format}"
        if registry_format == "csv":
            self.registry_file.write_text(registry_to_csv(self.registry), encoding="utf-8")
        else:
            self.registry_file.write_text(json.dumps(self.registry, indent=1), encoding="utf-8")
        self.clock_file = self.tmp / "clock"
        self.clock_offset = 0
        self.use_clock = clock is not None
        if isinstance(clock, dt.datetime):
            self.set_now(clock)
        elif clock is not None:
            self.set_clock(int(clock))
        self.extra_args = list(extra_args)
        self.token_file = Path(token_file) if token_file else self.data_dir / "admin.token"
        self.custom_token_file = token_file is not None
        self.http_host = http_host
        self.proc: subprocess.Popen | None = None
        self.starts = 0
        self.stdout_path = self.stderr_path = None
        self.customer_addr = self.admin_addr = None
        self.ready_line = None
        self.token: str | None = None
        self._client: Client | None = None
        self._next_parent = 1
        self._lock = threading.Lock()
        _LIVE.add(self)

    # -- process -------------------------------------------------------------------------------

    def args(self, with_registry: bool = True) -> list[str]:
        a = [str(SERVER_BIN), f"--data-dir={self.data_dir}", f"--http.host={self.http_host}",
             "--http.port=0", "--admin.port=0"]
        if with_registry:
            a.append(f"--registry={self.registry_file}")
        if self.custom_token_file:
            a.append(f"--admin.token-file={self.token_file}")
        if self.use_clock:
            a.append(f"--testing.clock={self.clock_file}")
        return a + self.extra_args

    def spawn(self, args: Sequence[str]) -> subprocess.Popen:
        """Start the binary with exactly these arguments, output to fresh log files."""
        self.starts += 1
        self.stdout_path = self.tmp / f"stdout.{self.starts}.log"
        self.stderr_path = self.tmp / f"stderr.{self.starts}.log"
        with open(self.stdout_path, "wb") as out, open(self.stderr_path, "wb") as err:
            self.proc = subprocess.Popen(list(args), stdin=subprocess.DEVNULL, stdout=out,
                                         stderr=err, cwd=self.tmp,
                                         preexec_fn=_die_with_parent)
        return self.proc

    def start(self, with_registry: bool = True) -> "Server":
        if self.running():
            raise ServerFailed("already running")
        self.spawn(self.args(with_registry))
        self.wait_ready()
        return self

    def wait_ready(self, timeout: float = READY_TIMEOUT):
        deadline = time.monotonic() + timeout
        while True:
            text = self.stdout()
            line = text.split("\n", 1)[0] if "\n" in text else None
            if line is not None:
                m = READY_RE.match(line.rstrip("\r"))
                if not m:
                    self.kill9()
                    raise ServerFailed(f"unexpected first stdout line {line!r}; "
                                       f"stderr:\n{self.stderr_tail()}")
                self.ready_line = line
                self.customer_addr = (m.group(1), int(m.group(2)))
                self.admin_addr = (m.group(3), int(m.group(4)))
                break
            if self.proc.poll() is not None:
                raise ServerFailed(f"server exited with {self.proc.returncode} before ready; "
                                   f"stderr:\n{self.stderr_tail()}")
            if time.monotonic() > deadline:
                self.kill9()
                raise ServerFailed(f"no ready line within {timeout:.0f} s; "
                                   f"stderr:\n{self.stderr_tail()}")
            time.sleep(0.05)
        self.token = self.token_file.read_text(encoding="utf-8").strip()
        if self._client:
            self._client.close()
        self._client = self.client()

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill9(self):
        if self._client:
            self._client.close()
        if self.running():
            self.proc.kill()
        if self.proc is not None:
            self.proc.wait(timeout=30)

    def terminate(self, timeout: float = 20.0) -> int | None:
        """SIGTERM; the exit code, or None (and SIGKILL) if it did not exit within timeout."""
        if self._client:
            self._client.close()
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=30)
                return None
        return self.proc.returncode

    def restart(self, with_registry: bool = True, hard: bool = False) -> "Server":
        """Stop (SIGTERM, or kill -9 with hard=True) and start again on the same data dir."""
        if hard:
            self.kill9()
        else:
            rc = self.terminate()
            if rc != 0:
                raise ServerFailed(f"SIGTERM exit code {rc}; stderr:\n{self.stderr_tail()}")
        return self.start(with_registry)

    def close(self):
        if self in _LIVE:
            _LIVE.discard(self)
        try:
            if self.running():
                self.terminate(timeout=10)
        finally:
            if self.proc is not None and self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait(timeout=30)
            if os.environ.get("CXS_SHOW_LOGS") and self.stderr_path:
                sys.stderr.write(f"--- server stderr ({self.tmp}) ---\n{self.stderr_tail(200)}\n")
            if os.environ.get("CXS_KEEP_TMP"):
                sys.stderr.write(f"kept {self.tmp}\n")
            else:
                shutil.rmtree(self.tmp, ignore_errors=True)

    def __enter__(self):
        try:
            return self.start()
        except BaseException:
            self.close()
            raise

    def __exit__(self, *exc):
        self.close()

    def stdout(self) -> str:
        try:
            return self.stdout_path.read_text(encoding="utf-8", errors="replace")
        except (OSError, AttributeError):
            return ""

    def stderr(self) -> str:
        try:
            return self.stderr_path.read_text(encoding="utf-8", errors="replace")
        except (OSError, AttributeError):
            return ""

    def stderr_tail(self, lines: int = 30) -> str:
        return "\n".join(self.stderr().splitlines()[-lines:])

    # -- test clock ----------------------------------------------------------------------------

    def set_clock(self, seconds: int):
        """Write the offset (seconds added to the real clock); the server re-reads it."""
        self.clock_offset = int(seconds)
        tmp = self.clock_file.with_suffix(".tmp")
        tmp.write_text(f"{self.clock_offset}\n", encoding="ascii")
        os.replace(tmp, self.clock_file)

    def set_now(self, when: dt.datetime):
        """Set the test clock so that the server's now is `when` (then it runs on)."""
        self.set_clock(round(when.timestamp() - time.time()))

    def now(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(time.time() + self.clock_offset, JST)

    def today(self) -> dt.date:
        return self.now().date()

    # -- requests ------------------------------------------------------------------------------

    def client(self, retry: bool = True, timeout: float = REQUEST_TIMEOUT) -> Client:
        host, port = self.admin_addr
        return Client(host, port, self.cafile, self.token, timeout=timeout, retry=retry)

    @property
    def cafile(self) -> Path:
        return self.data_dir / "tls" / "server.crt"

    def admin(self, method: str, path: str, body: Any = None,
              headers: Mapping[str, str] | None = None, raw: bool = False,
              token: Any = "default", params: Mapping[str, Any] | None = None):
        """(status, headers, JSON or bytes) of one request to the admin listener."""
        h = dict(headers or {})
        data = encode_body(body, h)
        with self._lock:
            resp = self._client.request(method, query(path, params), data, h, token=token)
        return resp.status, resp.headers, decode(resp, raw)

    def get(self, path: str, **kw):
        return self.admin("GET", path, **kw)

    # -- accounts ------------------------------------------------------------------------------

    def take_opid(self) -> str:
        """A parent OPID of the fixture registry not used by this server yet."""
        with self._lock:
            n = self._next_parent
            if n >= PARENTS:  # the last parent stays without an account (UNOWNED_OPID)
                raise AssertionError("fixture registry has no unused parent OPID left")
            self._next_parent += 1
        return parent_opid(n)

    def create_account(self, opid: str | None = None, plan: str = "free",
                       registered: str | dt.date | None = None, **extra) -> dict:
        opid = opid or self.take_opid()
        body = {"opid": opid, "plan": plan, "auth_method": "otp", "password": PASSWORD,
                "email": f"{opid.lower()}@example.com", "person": "試験 太郎"}
        if registered is not None:
            body["registered"] = str(registered)
        if plan == "standard":
            body["billing_an"] = registry_ans(self.registry, opid)[0]
            body["billing_phone"] = BILLING_PHONE
        body.update(extra)
        status, _, answer = self.admin("POST", "/admin/accounts", body)
        if status != 201:
            raise AssertionError(f"POST /admin/accounts {body} -> {status} {answer}")
        return answer

    def routes(self, opid: str) -> dict[str, list[str]]:
        return registry_routes(self.registry, opid)

    # -- ingest and analytics ------------------------------------------------------------------

    def ingest(self, records: Iterable[Mapping] | bytes, fmt: str = "csv",
               content_type: str | None = None, expect: int | None = 200):
        if isinstance(records, (bytes, bytearray)):
            body = bytes(records)
        else:
            body = csv_body(records) if fmt == "csv" else ndjson_body(records)
        ctype = content_type or ("text/csv" if fmt == "csv" else "application/x-ndjson")
        status, _, answer = self.admin("POST", "/admin/ingest", body, {"Content-Type": ctype})
        if expect is not None and status != expect:
            raise AssertionError(f"ingest -> {status} {answer!r:.2000}")
        return answer if expect is not None else (status, answer)

    def ingest_all(self, records: Sequence[Mapping], batch: int = 5000) -> dict:
        totals = {k: 0 for k in ("accepted", "duplicates", "unowned", "too_old", "rejected")}
        errors = []
        for i in range(0, len(records), batch):
            a = self.ingest(records[i:i + batch])
            for k in totals:
                totals[k] += a[k]
            errors += a.get("errors", [])
        totals["errors"] = errors
        return totals

    def analytics(self, account_id: str, name: str, raw: bool = False, **params):
        return self.admin("GET", f"/admin/accounts/{account_id}/analytics/{name}", raw=raw,
                          params=params)

    def metrics(self) -> str:
        status, _, body = self.admin("GET", "/metrics", raw=True)
        if status != 200:
            raise AssertionError(f"/metrics -> {status}")
        return body.decode("utf-8")


# ---------------------------------------------------------------------------------------------
# CDRs

def cdr(call_id: str, start: dt.datetime | str, an: str, result: str = "completed",
        duration_s: int | str | None = None, dn: str = "", caller: str = "",
        origin_pref: str = "", dest_pref: str = "") -> dict:
    if duration_s is None:
        duration_s = 60 if result == "completed" else 0
    if isinstance(start, dt.datetime):
        start = start.isoformat(timespec="seconds")
    return {"call_id": call_id, "start": start, "an": an, "dn": dn, "caller": caller,
            "origin_pref": origin_pref, "dest_pref": dest_pref, "duration_s": duration_s,
            "result": result}


def csv_body(records: Iterable[Mapping], columns: Sequence[str] = CDR_COLUMNS,
             crlf: bool = False, header: bool = True) -> bytes:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n" if crlf else "\n")
    if header:
        w.writerow(columns)
    for r in records:
        w.writerow([r.get(c, "") for c in columns])
    return out.getvalue().encode("utf-8")


def ndjson_body(records: Iterable[Mapping], duration_as_string: bool = False) -> bytes:
    lines = []
    for r in records:
        d = dict(r)
        if "duration_s" in d and not isinstance(d["duration_s"], str):
            d["duration_s"] = str(d["duration_s"]) if duration_as_string else int(d["duration_s"])
        lines.append(json.dumps(d, ensure_ascii=False))
    return "".join(line + "\n" for line in lines).encode("utf-8")


def generated(seed: int, routes: Mapping[str, Sequence[str]], date_from, date_to,
              calls_per_day: float, id_prefix: str | None = None, **kw) -> list[dict]:
    return list(gen_cdrs.generate(seed=seed, ans=routes, date_from=date_from, date_to=date_to,
                                  calls_per_day=calls_per_day, id_prefix=id_prefix, **kw))


# ---------------------------------------------------------------------------------------------
# The model: expected analysis figures computed from the records sent

def start_jst(record: Mapping) -> dt.datetime:
    return dt.datetime.fromisoformat(str(record["start"])).astimezone(JST)


def as_date(v) -> dt.date:
    return v if isinstance(v, dt.date) else dt.date.fromisoformat(str(v))


def label(t: dt.datetime, granularity: str) -> str:
    if granularity == "hour":
        return t.strftime("%Y-%m-%dT%H")
    if granularity == "day":
        return t.strftime("%Y-%m-%d")
    if granularity == "month":
        return t.strftime("%Y-%m")
    raise ValueError(granularity)


def months(first: str, last: str) -> list[str]:
    """Month labels YYYY-MM from first to last, inclusive."""
    y, m = map(int, first.split("-"))
    out = []
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def bucket_labels(date_from, date_to, granularity: str) -> list[str]:
    d, last = as_date(date_from), as_date(date_to)
    out: list[str] = []
    while d <= last:
        if granularity == "hour":
            out.extend(f"{d:%Y-%m-%d}T{h:02d}" for h in range(24))
        elif granularity == "day":
            out.append(f"{d:%Y-%m-%d}")
        elif f"{d:%Y-%m}" not in out[-1:]:
            out.append(f"{d:%Y-%m}")
        d += dt.timedelta(days=1)
    return out


def in_hours(hour: int, band: str | None) -> bool:
    if not band:
        return True
    a, b = (int(x) for x in band.split("-"))
    return a <= hour < b if a < b else (hour >= a or hour < b)


def select(records: Iterable[Mapping], date_from, date_to, ans: Iterable[str] | None = None,
           weekdays: Iterable[str] | None = None, hours: str | None = None) -> list[dict]:
    lo, hi = as_date(date_from), as_date(date_to)
    ans = set(ans) if ans else None
    wd = set(weekdays) if weekdays else None
    out = []
    for r in records:
        t = start_jst(r)
        if not lo <= t.date() <= hi:
            continue
        if ans is not None and r["an"] not in ans:
            continue
        if wd is not None and WEEKDAYS[t.weekday()] not in wd:
            continue
        if not in_hours(t.hour, hours):
            continue
        out.append(r)
    return out


def rate(completed: int, calls: int):
    return None if calls == 0 else round(completed / calls, 4)


def _traffic_of(rs: Iterable[Mapping]) -> dict:
    calls = completed = talk = 0
    for r in rs:
        calls += 1
        if r["result"] == "completed":
            completed += 1
            talk += int(r["duration_s"])
    return {"calls": calls, "completed": completed, "incomplete": calls - completed,
            "talk_seconds": talk, "completion_rate": rate(completed, calls)}


def _incomplete_of(rs: Iterable[Mapping]) -> dict:
    counts = {reason: 0 for reason in REASONS}
    for r in rs:
        if r["result"] != "completed":
            counts[r["result"]] += 1
    counts["incomplete"] = sum(counts[reason] for reason in REASONS)
    return counts


def expected(records: Iterable[Mapping], date_from, date_to, granularity: str = "day",
             kind: str = "traffic", **filters) -> tuple[dict[str, dict], dict]:
    """({bucket label: figures}, totals) for `traffic` or `incomplete`, dense over the range."""
    figures = _traffic_of if kind == "traffic" else _incomplete_of
    chosen = select(records, date_from, date_to, **filters)
    groups: dict[str, list] = {t: [] for t in bucket_labels(date_from, date_to, granularity)}
    for r in chosen:
        groups[label(start_jst(r), granularity)].append(r)
    return {t: figures(rs) for t, rs in groups.items()}, figures(chosen)


# ---------------------------------------------------------------------------------------------
# Prometheus text

_SAMPLE_RE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)(\s+\d+)?$')
_LABEL_RE = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def parse_metrics(text: str) -> tuple[list[tuple[str, dict, float]], dict[str, str]]:
    """(samples as (name, labels, value), {family: type})."""
    samples, types = [], {}
    for line in text.splitlines():
        if not line.strip():
            continue
        if line.startswith("#"):
            parts = line.split(None, 3)
            if len(parts) >= 4 and parts[1] == "TYPE":
                types[parts[2]] = parts[3].strip()
            continue
        m = _SAMPLE_RE.match(line.strip())
        if not m:
            raise AssertionError(f"unparsable metrics line {line!r}")
        labels = dict(_LABEL_RE.findall(m.group(3) or ""))
        samples.append((m.group(1), labels, float(m.group(4))))
    return samples, types


def metric_sum(samples, name: str, **labels) -> float:
    return sum(v for n, l, v in samples
               if n == name and all(l.get(k) == val for k, val in labels.items()))


# ---------------------------------------------------------------------------------------------
# unittest glue

class ServerTestCase(unittest.TestCase):
    """One server per test class, started in setUpClass and always stopped."""

    server_options: dict = {}
    maxDiff = 4000

    def monthly(self, acct, date_from="2024-12-01", date_to="2026-11-20"):
        """({month: calls}, answer) of `traffic` by month as the server shows it now."""
        answer = self.assertStatus(self.srv.analytics(
            acct["id"], "traffic", granularity="month", **{"from": date_from, "to": date_to}),
            200)
        return {b["t"]: b["calls"] for b in answer["series"]}, answer

    @classmethod
    def setUpClass(cls):
        cls.srv = Server(**cls.server_options)
        cls.addClassCleanup(cls.srv.close)
        cls.srv.start()

    # -- assertions ----------------------------------------------------------------------------

    def assertStatus(self, result, status: int, msg: str = ""):
        got, _, body = result
        self.assertEqual(got, status, f"{msg} answer body: {body!r:.1500}")
        return body

    def assertFieldError(self, body, field: str, codes, opid: str | None = None, msg: str = ""):
        """The `errors` list holds an entry for `field` with one of `codes`."""
        codes = {codes} if isinstance(codes, str) else set(codes)
        self.assertIsInstance(body, dict, f"{msg}: not JSON: {body!r:.500}")
        errors = body.get("errors")
        self.assertIsInstance(errors, list, f"{msg}: no errors list in {body}")
        hits = [e for e in errors if e.get("field") == field]
        self.assertTrue(hits, f"{msg}: no error for field {field!r} in {errors}")
        self.assertTrue(any(e.get("code") in codes for e in hits),
                        f"{msg}: field {field!r}: codes {[e.get('code') for e in hits]}, "
                        f"want one of {sorted(codes)}")
        for e in hits:
            self.assertIsInstance(e.get("message"), str, f"{msg}: {e}")
            self.assertTrue(e["message"], f"{msg}: empty message in {e}")
        if opid is not None:
            self.assertTrue(any(e.get("opid") == opid for e in hits),
                            f"{msg}: error for {field!r} does not name opid {opid}: {hits}")

    def assertErrorCode(self, body, code: str, msg: str = ""):
        self.assertIsInstance(body, dict, f"{msg}: not JSON: {body!r:.500}")
        self.assertIn("error", body, msg)
        self.assertEqual(body["error"].get("code"), code, f"{msg}: {body}")
        self.assertIsInstance(body["error"].get("message"), str, msg)

    def assertFigures(self, got: Mapping, want: Mapping, names: Iterable[str], msg: str = ""):
        for n in names:
            self.assertIn(n, got, f"{msg}: figure {n!r} missing in {got}")
            if n.endswith("rate") or n == "ratio":
                if want[n] is None:
                    self.assertIsNone(got[n], f"{msg}: {n}")
                else:
                    self.assertIsNotNone(got[n], f"{msg}: {n} is null, want {want[n]}")
                    self.assertAlmostEqual(got[n], want[n], delta=1.0001e-4, msg=f"{msg}: {n}")
            else:
                self.assertEqual(got[n], want[n], f"{msg}: {n}")

    def assertSeries(self, answer: Mapping, want: tuple[dict[str, dict], dict],
                     names: Iterable[str] = FIGURES, msg: str = "", sparse_zero_ok: bool = False):
        """The answer's series has exactly the expected buckets in order, with equal figures.

        sparse_zero_ok: buckets that the filters exclude entirely (weekday/hours) may be absent;
        when present they must be zero."""
        names = list(names)
        series, totals = want
        self.assertIsInstance(answer, dict, f"{msg}: {answer!r:.500}")
        got = answer.get("series")
        self.assertIsInstance(got, list, f"{msg}: no series")
        labels = [b.get("t") for b in got]
        if sparse_zero_ok:
            self.assertTrue(set(labels) <= set(series), f"{msg}: unexpected buckets "
                            f"{sorted(set(labels) - set(series))[:5]}")
            self.assertEqual(labels, [t for t in series if t in set(labels)], f"{msg}: order")
            for t, figs in series.items():
                if figs.get("calls", figs.get("incomplete", 0)) and t not in labels:
                    self.fail(f"{msg}: bucket {t} with data missing")
        else:
            self.assertEqual(labels, list(series), f"{msg}: bucket labels")
        for b in got:
            self.assertFigures(b, series[b["t"]], names, f"{msg} bucket {b['t']}")
        self.assertIn("totals", answer, msg)
        self.assertFigures(answer["totals"], totals, names, f"{msg} totals")
