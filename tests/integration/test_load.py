"""build/bin/cxs-load (SPEC §17) against the real binary: a short open-loop run of every
operation whose counts are checked against the server's own metrics, the exit codes, a second
run reusing the accounts, and latency measured from the planned start while the server stalls
(no coordinated omission)."""

import json
import os
import signal
import subprocess
import threading
import time
import unittest
from pathlib import Path

from cxs_harness import SERVER_BIN, Server, metric_sum, parse_metrics

LOAD_BIN = Path(os.environ.get("CXS_LOAD") or SERVER_BIN.parent / "cxs-load")
# A login needs an account no other operation is using. Under ThreadSanitizer a hashing login or
# sign-up can stall the server for most of a second, long enough for test_1's 18 dashboards and
# analyses a second to hold all six accounts, and a login planned then finds none free
# (no_free_account, no request sent; seen once a run on 2026-12-04, with twelve accounts too). That
# run looks for data races; the release build allows none.
BUSY_LOGINS_ALLOWED = 2 if "-fsanitize=thread" in os.environ.get("CXS_BUILD_FLAGS", "") else 0
HIGH_LIMITS = ["--rate.address-per-minute=1000000", "--rate.id-per-minute=1000000"]


def load_args(srv: Server, *extra: str) -> list[str]:
    return [str(LOAD_BIN), f"--admin=https://127.0.0.1:{srv.admin_addr[1]}",
            f"--customer=https://127.0.0.1:{srv.customer_addr[1]}", f"--token-file={srv.token_file}",
            f"--outbox={srv.outbox}", f"--cacert={srv.cafile}", *extra]


def run_load(srv: Server, *extra: str, timeout: float = 120) -> tuple[int, dict | None, str]:
    p = subprocess.run(load_args(srv, "--json", *extra), capture_output=True, text=True, timeout=timeout)
    return p.returncode, json.loads(p.stdout) if p.stdout.strip() else None, p.stderr


def failure_report(err: str, out: dict | None) -> str:
    """cxs-load's stderr and, from its JSON, what failed and how (the exit code alone says little)."""
    if not out:
        return err
    errors = {name: op.get("errors") for name, op in out.get("operations", {}).items() if op.get("failed")}
    latency = {name: (op["latency_ms"]["p50"], op["latency_ms"]["max"]) for name, op in out.get("operations", {}).items()}
    return (f"{err}\nfailed operations: {json.dumps(errors)}; setup: {json.dumps(out.get('setup'))}; "
            f"latency ms (p50, max): {json.dumps(latency)}")


def samples(srv: Server):
    return parse_metrics(srv.metrics())[0]


class LoadRun(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        # The real clock: cxs-load dates its calls and questions by today.
        cls.srv = Server(clock=None, extra_args=HIGH_LIMITS)
        cls.addClassCleanup(cls.srv.close)
        cls.srv.start()

    def test_1_counts_match_the_servers_metrics(self):
        s = self.srv
        before = samples(s)
        rc, out, err = run_load(s, "--accounts=6", "--duration=3", "--seed-calls=2000", "--ingest-rows=50",
                                "--rate=login:2,dashboard:8,analysis:10,ingest:4,signup:1")
        busy = (out or {}).get("operations", {}).get("login", {}).get("errors", {}).get("no_free_account", 0)
        self.assertLessEqual(busy, BUSY_LOGINS_ALLOWED, failure_report(err, out))
        self.assertEqual(rc, 1 if busy else 0, failure_report(err, out))
        after = samples(s)
        delta = lambda name, **labels: metric_sum(after, name, **labels) - metric_sum(before, name, **labels)

        ops = out["operations"]
        self.assertEqual(set(ops), {"login", "dashboard", "analysis", "ingest", "signup"})
        for name, rate in {"login": 2, "dashboard": 8, "analysis": 10, "ingest": 4, "signup": 1}.items():
            op = ops[name]
            self.assertAlmostEqual(op["count"], rate * 3, delta=1, msg=name)
            refused = busy if name == "login" else 0  # sent no request
            self.assertEqual(op["ok"], op["count"] - refused, f"{name}: {op['errors']}")
            self.assertEqual(op["failed"], refused)
            lat = op["latency_ms"]
            self.assertGreater(lat["p50"], 0, name)
            self.assertLessEqual(lat["p50"], lat["p90"])
            self.assertLessEqual(lat["p90"], lat["p99"])
            self.assertLessEqual(lat["p99"], lat["p99.9"])
            self.assertLessEqual(lat["p99.9"], lat["max"])
            self.assertGreater(op["throughput_per_s"], 0)
        self.assertEqual(out["failed"], busy > 0)
        self.assertEqual(out["setup"]["accounts_created"], 6)
        self.assertEqual(out["setup"]["sessions"], 6)

        # Every request the tool says it sent, the server counted under the same route and status.
        for r in out["requests"]:
            self.assertEqual(delta("cxs_http_requests_total", listener=r["listener"], route=r["route"],
                                   status=str(r["status"])), r["count"], r)
        # Each dashboard asks four questions; each analysis one; a login is password, code and
        # (for an account holding a session) a logout first.
        sent = {(r["listener"], r["route"]): r["count"] for r in out["requests"] if r["status"] < 300}
        self.assertEqual(sent[("customer", "/api/me")], ops["dashboard"]["ok"])
        self.assertEqual(sent[("customer", "/api/analytics/{name}")], 3 * ops["dashboard"]["ok"] + ops["analysis"]["ok"])
        self.assertEqual(delta("cxs_logins_total", outcome="success"), out["setup"]["sessions"] + ops["login"]["ok"])
        self.assertEqual(delta("cxs_ingest_records_total", outcome="accepted"),
                         out["setup"]["seed_rows_accepted"] + out["ingest_rows_accepted"])
        self.assertEqual(out["setup"]["seed_rows_accepted"], 2000)
        self.assertEqual(out["ingest_rows_accepted"], 50 * ops["ingest"]["ok"])
        # The sign-ups made real accounts: each confirmation sent mails (2/3) and (3/3).
        self.assertEqual(out["signups_completed"], ops["signup"]["ok"])
        # Every session was logged out at the end.
        self.assertEqual(out["sessions_ended"], 6)
        self.assertEqual(metric_sum(after, "cxs_sessions"), 0)

    def test_2_a_second_run_reuses_the_accounts(self):
        rc, out, err = run_load(self.srv, "--accounts=6", "--duration=1", "--rate=login:3,analysis:5")
        self.assertEqual(rc, 0, failure_report(err, out))
        self.assertEqual(out["setup"]["accounts_created"], 0)
        self.assertEqual(out["setup"]["accounts_reused"], 6)
        self.assertEqual(out["operations"]["login"]["ok"], out["operations"]["login"]["count"])

    def test_3_text_output_names_every_operation(self):
        p = subprocess.run(load_args(self.srv, "--accounts=2", "--duration=1", "--rate=ingest:2,analysis:2"),
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        for word in ("operation", "p50 ms", "p99.9 ms", "max ms", "ingest", "analysis", "result: ok"):
            self.assertIn(word, p.stdout)

    def test_4_usage_and_setup_errors_exit_2(self):
        p = subprocess.run(load_args(self.srv, "--rate=login"), capture_output=True, text=True, timeout=30)
        self.assertEqual(p.returncode, 2)
        self.assertIn("--rate 'login' must be OP:PER_SECOND", p.stderr)
        bad = self.srv.tmp / "wrong.token"
        bad.write_text("not-the-token\n")
        args = [a if not a.startswith("--token-file=") else f"--token-file={bad}" for a in load_args(self.srv)]
        p = subprocess.run(args + ["--rate=ingest:1", "--duration=1"], capture_output=True, text=True, timeout=30)
        self.assertEqual(p.returncode, 2)
        self.assertIn("set-up failed: GET /admin/registry answered 401", p.stderr)
        p = subprocess.run([str(LOAD_BIN), "--admin=https://192.0.2.1:1", "--customer=https://127.0.0.1:2",
                            "--token-file=x", "--rate=ingest:1"], capture_output=True, text=True, timeout=30)
        self.assertEqual(p.returncode, 2)
        self.assertIn("not a loopback address", p.stderr)

    def test_5_failed_operations_exit_1_with_their_codes(self):
        # A server that allows 3 logins per ID and minute: the set-up's login and two more pass,
        # the rest are refused with 429 rate_limited. One login a second: each (a logout, the
        # password, the mailed code) ends before the next starts even under a sanitizer's
        # slowdown, so none finds the single account still busy (no_free_account).
        with Server(clock=None, extra_args=["--rate.address-per-minute=1000000", "--rate.id-per-minute=3"]) as srv:
            rc, out, err = run_load(srv, "--accounts=1", "--duration=6", "--rate=login:1", "--prefix=LIM")
            self.assertEqual(rc, 1, err)
            login = out["operations"]["login"]
            self.assertEqual(login["count"], 6)
            self.assertEqual(login["ok"], 2)
            self.assertEqual(login["errors"], {"429 rate_limited": 4})
            self.assertTrue(out["failed"])


class OpenLoop(unittest.TestCase):
    """While the server is stopped (SIGSTOP) for a second, a closed-loop tool would wait and
    start fewer requests, hiding the stall. cxs-load keeps starting on schedule and measures each
    from its planned start, so the stall shows in the latencies and no start is missing."""

    def test_a_stalled_server_shows_in_the_latencies(self):
        with Server(clock=None, extra_args=HIGH_LIMITS) as srv:
            proc = subprocess.Popen(load_args(srv, "--json", "--accounts=2", "--duration=3", "--rate=analysis:20"),
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            stderr_lines = []
            ready = threading.Event()

            def read_stderr():
                for line in proc.stderr:
                    stderr_lines.append(line)
                    if "set-up done" in line:
                        ready.set()
            reader = threading.Thread(target=read_stderr, daemon=True)
            reader.start()
            try:
                self.assertTrue(ready.wait(60), "".join(stderr_lines))
                time.sleep(1.0)
                os.kill(srv.proc.pid, signal.SIGSTOP)
                time.sleep(1.0)
            finally:
                os.kill(srv.proc.pid, signal.SIGCONT)
            with proc:
                out = json.loads(proc.stdout.read())
                self.assertEqual(proc.wait(60), 0, "".join(stderr_lines))
                reader.join(10)
            op = out["operations"]["analysis"]
            self.assertEqual(op["count"], 60)  # every planned start happened
            self.assertEqual(op["ok"], 60)
            # ~20 of the 60 were planned inside the stall: the slowest waited most of the second.
            self.assertGreater(op["latency_ms"]["max"], 800)
            self.assertGreater(op["latency_ms"]["p90"], 300)
            self.assertLess(op["latency_ms"]["p50"], op["latency_ms"]["p90"])


if __name__ == "__main__":
    unittest.main()
