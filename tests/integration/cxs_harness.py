"""Test harness for the CX Support integration tests: the real `cxs-server` over HTTPS.

Python 3.11 standard library only.  Environment:
  CXS_SERVER  path of the server binary (default: $CXS_SOURCE/build/bin/cxs-server)
  CXS_SOURCE  repository root (default: two folders above this file)
  CXS_KEEP_TMP=1  keep each server's temp folder (data, logs) for a post-mortem
  CXS_SHOW_LOGS=1 print each server's stderr when it stops
  CXS_MAIL_TIMEOUT seconds to wait for a mail (default 10)

Every server runs in its own temp folder (`data/`, registry file, clock file, stdout/stderr
logs), listens on loopback ports chosen by the kernel, and is killed when the test process ends,
however it ends (close(), atexit and PR_SET_PDEATHSIG).
"""

from __future__ import annotations

import atexit
import base64
import csv
import ctypes
import datetime as dt
import email
import email.message
import email.policy
import email.utils
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
        # Where wait_mail() looks for mails: None = the outbox folder; an object with a mails()
        # method (a list of Mail) for a server that delivers through SMTP (test_mail_smtp.py).
        self.mail_sink = None
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

    def advance(self, seconds: float):
        """Move the test clock forward by `seconds` (sessions, tickets, links, locks expire)."""
        self.set_clock(self.clock_offset + round(seconds))

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

    def flag(self, name: str) -> str | None:
        """The value of the last `--name=value` in extra_args, or None."""
        value = None
        for a in self.extra_args:
            if a.startswith(f"--{name}="):
                value = a.split("=", 1)[1]
        return value

    @property
    def outbox(self) -> Path:
        """The mail outbox folder: --mail.outbox, default DATA/outbox."""
        return Path(self.flag("mail.outbox") or self.data_dir / "outbox")

    @property
    def public_url(self) -> str:
        """--public-url, default the customer listener's URL (https://127.0.0.1:PORT)."""
        given = self.flag("public-url")
        if given:
            return given
        host, port = self.customer_addr
        return f"https://{host}:{port}"

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

    def first_route(self, opid: str) -> tuple[str, str]:
        """The OPID's first AN in the registry and the first DN routed to it."""
        routes = self.routes(opid)
        an = list(routes)[0]
        return an, routes[an][0]

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
    if granularity == "minute":
        return t.strftime("%Y-%m-%dT%H:%M")
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
        if granularity == "minute":
            out.extend(f"{d:%Y-%m-%d}T{h:02d}:{m:02d}" for h in range(24) for m in range(60))
        elif granularity == "hour":
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


# ---------------------------------------------------------------------------------------------
# The customer side: sign-up, login, sessions, mails (SPEC §3, §4, §11, §14 "Sign-up and login")

# Customer tests run with limits no test reaches, except the tests of the rate limit itself
# (customer_args keeps a --rate.* flag the test gives and adds the others).
HIGH_RATE_ARGS = ("--rate.address-per-minute=100000", "--rate.id-per-minute=100000")
SESSION_COOKIE = "__Host-cxs_session"
INDUSTRIES = ("製造業", "建設業", "情報通信業", "運輸業・郵便業", "卸売業・小売業", "金融業・保険業",
              "不動産業", "宿泊業・飲食サービス業", "医療・福祉", "教育・学習支援業", "サービス業",
              "公務", "その他")
SUBJECT_PROVISIONAL = "【CX Support】仮登録のお知らせ (1/3)"
SUBJECT_ACCEPTED = "【CX Support】本登録受付のお知らせ (2/3)"
SUBJECT_READY = "【CX Support】ご利用開始のお知らせ (3/3)"
SUBJECT_OTP = "【CX Support】ワンタイムパスワードのお知らせ"
SUBJECT_RESET = "【CX Support】パスワード再発行のご案内"
SUBJECT_CHANGED = "【CX Support】ご登録内容変更のお知らせ"
SUBJECT_REPLACED = "【CX Support】別の場所からのログインのお知らせ"
SUBJECT_DOWNLOAD = "【CX Support】電子証明書ダウンロードのご案内"
DEFAULT_FROM = ("CX Support", "no-reply@cxsupport.example")
NO_SALES_CODE = "00000000000000"
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{43}$")
ID_RE = re.compile(r"^[A-Za-z0-9]{10}$")
OTP_LINE_RE = re.compile(r"^ワンタイムパスワード: (\d{6})$")
ID_LINE_RE = re.compile(r"^CX Support ID: ([A-Za-z0-9]{10})$")
MAIL_NAME_RE = re.compile(r"^\d{8}T\d{6}-\d+\.eml$")
MINUTE, HOUR = 60, 3600
SIGNUP_TTL, RESET_TTL, OTP_TTL = 24 * HOUR, HOUR, 10 * MINUTE
SESSION_IDLE, LOCK_TIME = 30 * MINUTE, 30 * MINUTE
MAIL_TIMEOUT = float(os.environ.get("CXS_MAIL_TIMEOUT") or 10.0)


def customer_args(*extra: str) -> list[str]:
    """extra, plus HIGH_RATE_ARGS for each --rate.* flag that extra does not set."""
    given = {a.split("=", 1)[0] for a in extra}
    return list(extra) + [a for a in HIGH_RATE_ARGS if a.split("=", 1)[0] not in given]


# -- mails ------------------------------------------------------------------------------------

class Mail:
    """One RFC 5322 message (an outbox .eml file, or what an SMTP server received), parsed with
    the `email` package (policy=default: headers decoded, RFC 2047 included)."""

    def __init__(self, raw: bytes, name: str | None = None, path: Path | None = None):
        self.raw, self.name, self.path = raw, name, path
        self.msg: email.message.EmailMessage = email.message_from_bytes(
            raw, policy=email.policy.default)

    def __repr__(self):
        return f"<Mail {self.name} to={self.to} subject={self.subject!r}>"

    @property
    def subject(self) -> str:
        return str(self.msg.get("Subject", ""))

    @property
    def to(self) -> list[str]:
        """Addresses (addr-spec, lower case) of the To header(s)."""
        return [a.lower() for _, a in email.utils.getaddresses(
            [str(v) for v in self.msg.get_all("To", [])])]

    @property
    def raw_headers(self) -> bytes:
        """The header section as sent (before the first empty line)."""
        return re.split(rb"\r?\n\r?\n", self.raw, maxsplit=1)[0]

    @property
    def part(self) -> email.message.EmailMessage:
        """The text/plain part (the message itself when it is not multipart)."""
        if self.msg.is_multipart():
            body = self.msg.get_body(preferencelist=("plain",))
            if body is None:
                raise AssertionError(f"{self}: no text/plain part")
            return body
        return self.msg

    @property
    def text(self) -> str:
        return self.part.get_content()

    def lines(self) -> list[str]:
        return [line.strip() for line in self.text.splitlines()]

    def line_match(self, pattern: re.Pattern | str) -> re.Match:
        """The first body line (stripped) that matches pattern as a whole."""
        rx = re.compile(pattern) if isinstance(pattern, str) else pattern
        for line in self.lines():
            m = rx.fullmatch(line)
            if m:
                return m
        raise AssertionError(f"{self}: no line matching {rx.pattern!r} in:\n{self.text}")

    def link_token(self, prefix: str) -> str:
        """The token of the line `prefix{token}` (a URL alone on its line, token 43 base64url)."""
        return self.line_match(re.escape(prefix) + r"([A-Za-z0-9_-]{43})").group(1)

    @property
    def otp(self) -> str:
        return self.line_match(OTP_LINE_RE).group(1)

    @property
    def account_id(self) -> str:
        return self.line_match(ID_LINE_RE).group(1)


def outbox_mails(server: Server) -> list[Mail]:
    """The .eml files of the server's outbox, parsed, sorted by file name (= sending order)."""
    try:
        paths = sorted(server.outbox.glob("*.eml"))
    except OSError:
        return []
    out = []
    for p in paths:
        try:
            out.append(Mail(p.read_bytes(), p.name, p))
        except FileNotFoundError:
            continue
    return out


def sent_mails(server: Server) -> list[Mail]:
    """Every mail the server has sent so far: the SMTP sink's when one is set, else the outbox."""
    return server.mail_sink.mails() if server.mail_sink is not None else outbox_mails(server)


def mail_mark(server: Server) -> frozenset:
    """The names of the mails sent so far; pass as `after` to wait_mail to see only newer ones."""
    return frozenset(m.name for m in sent_mails(server))


def mails_to(server: Server, to: str, after: frozenset | None = None,
             subject_contains: str = "") -> list[Mail]:
    return [m for m in sent_mails(server)
            if (after is None or m.name not in after) and to.lower() in m.to
            and subject_contains in m.subject]


def wait_mail(server: Server, subject_contains: str, to: str | None = None,
              timeout: float = MAIL_TIMEOUT, after: frozenset | None = None) -> Mail:
    """The newest mail whose subject contains subject_contains (and sent to `to`, and not in
    `after`), waiting up to timeout seconds for it to appear."""
    deadline = time.monotonic() + timeout
    while True:
        mails = sent_mails(server)
        hits = [m for m in mails
                if subject_contains in m.subject and (to is None or to.lower() in m.to)
                and (after is None or m.name not in after)]
        if hits:
            return hits[-1]
        if time.monotonic() > deadline:
            seen = [(m.name, m.to, m.subject) for m in mails if after is None or m.name not in after]
            raise AssertionError(f"no mail {subject_contains!r} to {to} within {timeout:.0f} s; "
                                 f"new mails: {seen[-10:]}")
        time.sleep(0.05)


def mail_metrics(server: Server) -> dict[str, float]:
    """cxs_mails_total by state, and the queue gauge under "queue"."""
    samples, _ = parse_metrics(server.metrics())
    out = {st: metric_sum(samples, "cxs_mails_total", state=st)
           for st in ("queued", "sent", "retried", "failed")}
    out["queue"] = metric_sum(samples, "cxs_mail_queue")
    return out


def wait_metric(server: Server, predicate, what: str, timeout: float = 15.0) -> dict[str, float]:
    """Polls mail_metrics until predicate(metrics) holds; returns them."""
    deadline = time.monotonic() + timeout
    while True:
        m = mail_metrics(server)
        if predicate(m):
            return m
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout:.0f} s; mail metrics {m}")
        time.sleep(0.1)


# -- the customer HTTP client ----------------------------------------------------------------

class Cookie:
    def __init__(self, line: str):
        parts = [p.strip() for p in line.split(";")]
        name, _, value = parts[0].partition("=")
        self.line, self.name, self.value = line, name.strip(), value.strip()
        self.attrs: dict[str, Any] = {}
        for p in parts[1:]:
            if not p:
                continue
            k, eq, v = p.partition("=")
            self.attrs[k.strip().lower()] = v.strip() if eq else True

    def __repr__(self):
        return f"<Cookie {self.line!r}>"

    @property
    def cleared(self) -> bool:
        """The cookie is deleted: Max-Age=0 (or negative), an empty value, or an Expires past."""
        max_age = self.attrs.get("max-age")
        if isinstance(max_age, str) and re.fullmatch(r"-?\d+", max_age) and int(max_age) <= 0:
            return True
        if self.value == "":
            return True
        exp = self.attrs.get("expires")
        if isinstance(exp, str):
            try:
                when = email.utils.parsedate_to_datetime(exp)
                return when.timestamp() < time.time()
            except (TypeError, ValueError):
                return False
        return False


def set_cookies(headers) -> list[Cookie]:
    return [Cookie(v) for v in (headers.get_all("Set-Cookie") or [])]


def _has_header(h: Mapping[str, str], name: str) -> bool:
    return any(k.lower() == name.lower() for k in h)


class CustomerClient:
    """A browser-like client of the customer listener: one keep-alive HTTPS connection, a
    cookie jar for cxs_session, the X-CSRF-Token header on state-changing requests (every
    method but GET and HEAD), and an optional Accept-Language.

    request(...) answers (status, headers, JSON or bytes) like Server.admin.  Per request:
    csrf="auto" (the session's token on state-changing methods) | None (none) | "text";
    session="auto" (the jar) | None (no cookie) | "value" (that cookie; the jar is left alone);
    lang="auto" (the client's) | None | "en"...  Every answer is kept in `answers`
    as (method, path, status, headers) for header checks."""

    def __init__(self, server: Server, lang: str | None = None):
        host, port = server.customer_addr
        self.server = server
        self.http = Client(host, port, server.cafile, token=None)
        self.lang = lang
        self.session: str | None = None
        self.csrf: str | None = None
        self.id: str | None = None
        self.last_cookies: list[Cookie] = []
        self.answers: list[tuple[str, str, int, http.client.HTTPMessage]] = []

    def close(self):
        self.http.close()

    def request(self, method: str, path: str, body: Any = None,
                headers: Mapping[str, str] | None = None, params: Mapping[str, Any] | None = None,
                raw: bool = False, csrf: Any = "auto", session: Any = "auto", lang: Any = "auto"):
        h = dict(headers or {})
        data = encode_body(body, h)
        language = self.lang if lang == "auto" else lang
        if language and not _has_header(h, "Accept-Language"):
            h["Accept-Language"] = language
        cookie = self.session if session == "auto" else session
        if cookie is not None and not _has_header(h, "Cookie"):
            h["Cookie"] = f"{SESSION_COOKIE}={cookie}"
        if csrf == "auto":
            token = self.csrf if method.upper() not in ("GET", "HEAD") else None
        else:
            token = csrf
        if token is not None and not _has_header(h, "X-CSRF-Token"):
            h["X-CSRF-Token"] = token
        resp = self.http.request(method, query(path, params), data, h, token=None)
        self.last_cookies = set_cookies(resp.headers)
        if session == "auto":
            for c in self.last_cookies:
                if c.name == SESSION_COOKIE:
                    if c.cleared:
                        self.session = self.csrf = None
                    else:
                        self.session = c.value
        self.answers.append((method, path, resp.status, resp.headers))
        return resp.status, resp.headers, decode(resp, raw)

    def get(self, path: str, **kw):
        return self.request("GET", path, **kw)

    def post(self, path: str, body: Any = None, **kw):
        return self.request("POST", path, body, **kw)

    def put(self, path: str, body: Any = None, **kw):
        return self.request("PUT", path, body, **kw)

    def cookie(self, name: str = SESSION_COOKIE) -> Cookie | None:
        """The named cookie set by the last answer, if any."""
        for c in self.last_cookies:
            if c.name == name:
                return c
        return None

    def logout(self, strict: bool = True):
        """POST /api/logout; strict=False (for cleanups) ignores a session that already ended."""
        if not strict and self.session is None:
            return
        try:
            status, _, body = self.post("/api/logout", {})
        except OSError:
            if strict:
                raise
            return
        if strict and status != 200:
            raise AssertionError(f"POST /api/logout -> {status} {body!r:.500}")


def account_email(server: Server, account_id: str) -> str:
    status, _, body = server.get(f"/admin/accounts/{account_id}")
    if status != 200:
        raise AssertionError(f"GET /admin/accounts/{account_id} -> {status} {body!r:.500}")
    return body["email"]


def wait_otp(server: Server, to: str, after: frozenset | None = None,
             timeout: float = MAIL_TIMEOUT) -> str:
    return wait_mail(server, SUBJECT_OTP, to=to, after=after, timeout=timeout).otp


def start_login(client: CustomerClient, account_id: str, password: str = PASSWORD,
                email_to: str | None = None, take_over: bool = False) -> tuple[str, str]:
    """POST /api/login (must answer 200) and the OTP mailed for it: (ticket, code).
    take_over: the login may end the ID's live session (SPEC §19)."""
    server = client.server
    to = email_to or account_email(server, account_id)
    mark = mail_mark(server)
    request = {"id": account_id, "password": password}
    if take_over:
        request["take_over"] = True
    status, _, body = client.post("/api/login", request)
    if status != 200:
        raise AssertionError(f"POST /api/login {account_id} -> {status} {body!r:.500}")
    if body.get("second_factor") != "otp" or not isinstance(body.get("ticket"), str):
        raise AssertionError(f"POST /api/login {account_id}: {body!r:.500}")
    return body["ticket"], wait_otp(server, to, after=mark)


def finish_login(client: CustomerClient, ticket: str, code: str) -> dict:
    """POST /api/login/otp (must answer 200 with a session cookie); keeps the CSRF token."""
    status, _, body = client.post("/api/login/otp", {"ticket": ticket, "code": code})
    if status != 200:
        raise AssertionError(f"POST /api/login/otp -> {status} {body!r:.500}")
    if not client.session:
        raise AssertionError(f"POST /api/login/otp: no {SESSION_COOKIE} cookie in "
                             f"{client.last_cookies}")
    client.csrf, client.id = body.get("csrf_token"), body.get("id")
    return body


def login(server: Server, account_id: str, password: str = PASSWORD, email_to: str | None = None,
          lang: str | None = None, client: CustomerClient | None = None) -> CustomerClient:
    """A CustomerClient logged in as account_id through password + the mailed OTP.
    email_to: the account's mail address (default: looked up through the admin API)."""
    c = client or CustomerClient(server, lang=lang)
    try:
        ticket, code = start_login(c, account_id, password, email_to)
        finish_login(c, ticket, code)
    except BaseException:
        if client is None:
            c.close()
        raise
    return c


# -- client certificates (SPEC §16) -------------------------------------------------------------

def basic_auth(account: str, password: str) -> dict[str, str]:
    """The Authorization header of HTTP Basic auth."""
    token = base64.b64encode(f"{account}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def download_credentials(mail: Mail) -> tuple[str, str]:
    """The download account and password a mail gives (mail (3/3) or the download mail)."""
    return (mail.line_match(r"ダウンロードアカウント: ([a-z0-9]{12})").group(1),
            mail.line_match(r"ダウンロードパスワード: ([A-Za-z0-9]{16})").group(1))


def certificate_account(server: Server, **extra) -> tuple[dict, str, str]:
    """An operator-made certificate account, with the download account and password mailed to it."""
    mark = mail_mark(server)
    acct = server.create_account(auth_method="certificate", **extra)
    mail = wait_mail(server, SUBJECT_DOWNLOAD, to=acct["email"], after=mark)
    return (acct, *download_credentials(mail))


def issue_client_certificate(server: Server, account: str, password: str, folder: str | os.PathLike,
                             name: str = "client") -> tuple[str, str, dict]:
    """A PKCS#12 issued by the download site, opened into FOLDER/NAME.crt and NAME.key (PEM):
    the paths and the issue answer (serial, not_after, …)."""
    web = Client(*server.customer_addr, server.cafile)
    try:
        resp = web.request("POST", "/certsrv/issue", None,
                           {**basic_auth(account, password), "Accept": "application/json"})
    finally:
        web.close()
    if resp.status != 200:
        raise AssertionError(f"POST /certsrv/issue -> {resp.status} {resp.body[:300]!r}")
    made = resp.json()
    p12 = Path(folder) / f"{name}.p12"
    p12.write_bytes(base64.b64decode(made["pkcs12"]))
    cert, key = Path(folder) / f"{name}.crt", Path(folder) / f"{name}.key"
    for out, flags in ((cert, ["-clcerts", "-nokeys"]), (key, ["-nocerts", "-nodes"])):
        subprocess.run(["openssl", "pkcs12", "-in", str(p12), "-passin", f"pass:{made['password']}", *flags,
                        "-out", str(out)], check=True, capture_output=True, timeout=60)
    return str(cert), str(key), made


def signup_body(server: Server, opid: str | None = None, **changes) -> dict:
    """A valid application for opid (default: an unused parent OPID) on the free plan; changes
    replace fields, and a value of ... removes the field."""
    opid = opid or server.take_opid()
    try:
        routes = server.routes(opid)
    except KeyError:
        routes = {UNREGISTERED_AN: ["0312345678"]}
    an = next(iter(routes))
    body = {"contractor_name": "株式会社シーエックス試験", "industry": "情報通信業",
            "phone": "03-1234-5678", "department": "お客様相談室", "person": "試験 花子",
            "email": f"{opid.lower()}.apply@example.com", "opid": opid, "an": an,
            "dn": routes[an][0], "plan": "free", "password": PASSWORD, "auth_method": "otp",
            "has_sales_code": False}
    body.update(changes)
    return {k: v for k, v in body.items() if v is not ...}


# -- security headers ---------------------------------------------------------------------------

def csp_directives(value: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for part in value.split(";"):
        words = part.split()
        if words:
            out.setdefault(words[0].lower(), words[1:])
    return out


def security_header_problems(headers) -> list[str]:
    """What an answer of the customer listener lacks of the fixed security headers."""
    problems = []
    hsts = headers.get("Strict-Transport-Security")
    m = re.search(r"max-age=(\d+)", hsts or "", re.I)
    if not m or int(m.group(1)) < 31536000:
        problems.append(f"Strict-Transport-Security {hsts!r} (max-age >= 31536000)")
    csp = headers.get("Content-Security-Policy")
    if not csp:
        problems.append("no Content-Security-Policy")
    else:
        d = csp_directives(csp)
        if "'self'" not in d.get("default-src", []):
            problems.append(f"CSP {csp!r}: default-src lacks 'self'")
        if "'none'" not in d.get("frame-ancestors", []):
            problems.append(f"CSP {csp!r}: frame-ancestors is not 'none'")
        scripts = d.get("script-src", d.get("default-src", []))
        if "'unsafe-inline'" in scripts:
            problems.append(f"CSP {csp!r}: 'unsafe-inline' in script-src")
    if (headers.get("X-Content-Type-Options") or "").lower() != "nosniff":
        problems.append(f"X-Content-Type-Options {headers.get('X-Content-Type-Options')!r}")
    if (headers.get("Referrer-Policy") or "").lower() != "no-referrer":
        problems.append(f"Referrer-Policy {headers.get('Referrer-Policy')!r}")
    if (headers.get("X-Frame-Options") or "").upper() != "DENY":
        problems.append(f"X-Frame-Options {headers.get('X-Frame-Options')!r}")
    if (headers.get("Cross-Origin-Opener-Policy") or "").lower() != "same-origin":
        problems.append(f"Cross-Origin-Opener-Policy {headers.get('Cross-Origin-Opener-Policy')!r}")
    return problems


# -- unittest glue for customer tests ------------------------------------------------------------

class CustomerTestCase(ServerTestCase):
    """A ServerTestCase whose server gets customer_args (high rate limits unless the class sets
    its own --rate.* flags in server_options["extra_args"])."""

    @classmethod
    def setUpClass(cls):
        opts = dict(cls.server_options)
        opts["extra_args"] = customer_args(*opts.get("extra_args", ()))
        cls.srv = Server(**opts)
        cls.addClassCleanup(cls.srv.close)
        cls.srv.start()
        cls._barrier_account = None

    @classmethod
    def free_and_standard_with_calls(cls, seeds: tuple[int, int], firsts: tuple[str, str],
                                     per_day: tuple[int, int], prefixes: tuple[str, str]):
        """(free account, standard account), both registered 2026-06-01, each with generated
        calls on its own ANs from firsts[i] to 2026-11-19; every record must be accepted."""
        s = cls.srv
        free = s.create_account(registered="2026-06-01")
        std = s.create_account(plan="standard", registered="2026-06-01")
        records = []
        for acct, seed, first, n, prefix in zip((free, std), seeds, firsts, per_day, prefixes):
            records += generated(seed, s.routes(acct["opid"]), first, "2026-11-19", n, id_prefix=prefix)
        got = s.ingest_all(records)
        if got["accepted"] != len(records):
            raise AssertionError(f"set-up ingest: {got}")
        return free, std

    # -- clients --------------------------------------------------------------------------------

    def client(self, lang: str | None = None) -> CustomerClient:
        c = CustomerClient(self.srv, lang=lang)
        self.addCleanup(c.close)
        return c

    def login(self, account: Mapping | str, password: str = PASSWORD, lang: str | None = None,
              email_to: str | None = None) -> CustomerClient:
        account_id = account if isinstance(account, str) else account["id"]
        if email_to is None and not isinstance(account, str):
            email_to = account.get("email")
        c = login(self.srv, account_id, password, email_to=email_to, lang=lang)
        self.addCleanup(c.close)
        return c

    # -- mails ----------------------------------------------------------------------------------

    def mail_barrier(self):
        """Returns once every mail queued before the call has been sent: sends one more mail
        (a reissue link for a barrier account of this class) and waits for it; mails go out
        in order."""
        cls = type(self)
        if cls._barrier_account is None:
            cls._barrier_account = self.srv.create_account(
                email="barrier@example.com")
        acct = cls._barrier_account
        mark = mail_mark(self.srv)
        c = CustomerClient(self.srv)
        try:
            status, _, body = c.post("/api/password/reset-request",
                                     {"id": acct["id"], "email": acct["email"]})
        finally:
            c.close()
        self.assertEqual(status, 202, f"barrier reset-request: {body}")
        wait_mail(self.srv, SUBJECT_RESET, to=acct["email"], after=mark)

    def assertNoMailTo(self, to: str, after: frozenset, msg: str = ""):
        """No mail to `to` was sent after the mark (checked after a mail barrier)."""
        self.mail_barrier()
        got = mails_to(self.srv, to, after)
        self.assertEqual(got, [], f"{msg}: unexpected mails to {to}")

    def assertMailBasics(self, mail: Mail, to: str, subject: str | None = None,
                         secrets: Iterable[str] = (PASSWORD,)):
        """RFC 5322 as fixed by the contract: To, From, Date in +09:00, Message-ID, subject
        RFC 2047 encoded (headers pure ASCII), UTF-8 text body in base64, no password."""
        msg = f"{mail}"
        if subject is not None:
            self.assertEqual(mail.subject, subject, msg)
        self.assertEqual(mail.to, [to.lower()], msg)
        if self.srv.flag("mail.from") is None:
            name, addr = email.utils.parseaddr(str(mail.msg.get("From", "")))
            self.assertEqual((name, addr.lower()), DEFAULT_FROM, f"{msg}: From")
        date = mail.msg.get("Date")
        self.assertIsNotNone(date, f"{msg}: no Date")
        self.assertIsNotNone(date.datetime, f"{msg}: Date {date!r}")
        self.assertEqual(date.datetime.utcoffset(), dt.timedelta(hours=9),
                         f"{msg}: Date {str(date)!r} is not in JST (+0900)")
        self.assertRegex(str(mail.msg.get("Message-ID", "")).strip(),
                         r"^<[^<>@\s]+@[^<>@\s]+>$", f"{msg}: Message-ID")
        try:
            head = mail.raw_headers.decode("ascii")
        except UnicodeDecodeError:
            self.fail(f"{msg}: raw headers are not ASCII (RFC 2047 expected): {mail.raw_headers!r}")
        subject_lines = re.findall(r"(?im)^subject:.*(?:\r?\n[ \t].*)*", head)
        self.assertEqual(len(subject_lines), 1, f"{msg}: Subject headers {subject_lines}")
        self.assertRegex(subject_lines[0], r"(?i)=\?utf-8\?[bq]\?", f"{msg}: not RFC 2047 UTF-8")
        part = mail.part
        self.assertEqual(part.get_content_type(), "text/plain", msg)
        self.assertEqual((part.get_content_charset() or "").lower(), "utf-8", msg)
        self.assertEqual(str(part.get("Content-Transfer-Encoding", "")).strip().lower(), "base64",
                         f"{msg}: body transfer encoding")
        text = mail.text
        for secret in secrets:
            self.assertNotIn(secret, text, f"{msg}: a password in the body")
            self.assertNotIn(secret.encode(), mail.raw, f"{msg}: a password in the raw mail")

    # -- answers ----------------------------------------------------------------------------------

    def assertSecurityHeaders(self, headers, msg: str = ""):
        problems = security_header_problems(headers)
        self.assertEqual(problems, [], f"{msg}: security headers")

    def assertCustomerError(self, result, status: int, code: str, msg: str = ""):
        """(status, headers, body) is the error {"error":{"code","message"}} with that status."""
        got, headers, body = result
        self.assertEqual(got, status, f"{msg}: answer body {body!r:.1000}")
        self.assertErrorCode(body, code, msg)
        self.assertTrue(body["error"]["message"], f"{msg}: empty message")
        return body
