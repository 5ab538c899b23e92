"""Online backup and restore (issue 16): POST /admin/backup while ingest keeps running gives a
consistent copy — every record acknowledged before the backup was asked for is in it, nothing is
half there — and a server started on the restored files answers with it; the folder's rules."""

import shutil
import threading
import time

from cxs_harness import Server, ServerTestCase, generated

RANGE = {"from": "2026-09-01", "to": "2026-11-20", "granularity": "month"}


class Backup(ServerTestCase):

    def test_a_backup_while_ingest_runs_restores_what_was_acknowledged(self):
        s = self.srv
        acct = s.create_account(registered="2026-01-01")
        routes = s.routes(acct["opid"])
        batches = [generated(100 + i, routes, "2026-09-01", "2026-11-19", 3, id_prefix=f"bk{i}") for i in range(40)]
        acked, stop = [], threading.Event()

        def stream():
            for b in batches:
                if stop.is_set():
                    return
                got = s.ingest(b)
                if got["accepted"] == len(b):
                    acked.append(len(b))

        t = threading.Thread(target=stream)
        t.start()
        time.sleep(0.3)
        before = sum(acked)
        target = s.tmp / "backup-1"
        made = self.assertStatus(s.admin("POST", "/admin/backup", {"dir": str(target)}), 200)
        stop.set()
        t.join(60)
        self.assertFalse(t.is_alive())
        self.assertEqual(made["dir"], str(target))
        self.assertGreater(made["bytes"], 0)
        self.assertTrue((target / "db").is_dir() and (target / "caller-hash.key").is_file())
        self.assertEqual(oct((target / "caller-hash.key").stat().st_mode & 0o777), "0o600")
        # The client certificates' CA came along, private (SPEC §16).
        self.assertEqual(oct((target / "ca").stat().st_mode & 0o777), "0o700")
        for name in ("ca.key", "ca.crt"):
            self.assertEqual((target / "ca" / name).read_bytes(), (self.srv.data_dir / "ca" / name).read_bytes())
            self.assertEqual(oct((target / "ca" / name).stat().st_mode & 0o777), "0o600", name)
        total = sum(acked)
        self.assertGreater(before, 0, "the stream had acknowledged nothing before the backup")

        # Restore: a new server with the backup's files in its data folder.
        restored = Server()
        shutil.rmtree(restored.data_dir)
        shutil.copytree(target, restored.data_dir)
        restored.start()
        try:
            status, _, answer = restored.analytics(acct["id"], "traffic", **RANGE)
            self.assertEqual(status, 200, answer)
            calls = answer["totals"]["calls"]
            self.assertGreaterEqual(calls, before, "records acknowledged before the backup are missing")
            self.assertLessEqual(calls, total)
            # The caller-hash key came along: the same calls are duplicates there, not new ones.
            again = restored.ingest(batches[0])
            self.assertEqual(again["duplicates"], len(batches[0]))
        finally:
            restored.terminate()

    def test_the_folder_must_be_new_and_absolute(self):
        s = self.srv
        for body, code in (({}, "required"), ({"dir": "relative/path"}, "invalid"),
                           ({"dir": str(s.tmp)}, "exists")):
            with self.subTest(body=body):
                got = self.assertStatus(s.admin("POST", "/admin/backup", body), 422)
                self.assertEqual([(e["field"], e["code"]) for e in got["errors"]], [("dir", code)])
        status, _, _ = s.admin("POST", "/admin/backup", {"dir": str(s.tmp / "x")}, token=None)
        self.assertEqual(status, 401)
