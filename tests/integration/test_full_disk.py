"""A full disk (issue 11): the data folder is a small tmpfs that the test fills to the last byte.
Ingest then answers 503 and loses nothing it acknowledged; when space returns the service takes
records again without a restart, and a kill -9 afterwards loses nothing either. Mounting a tmpfs
needs root (CI runs as root); elsewhere the test is skipped with that reason."""

import errno
import os
import subprocess
import time
import unittest

from cxs_harness import Server, ServerTestCase, generated

TMPFS_SIZE = "48m"
RANGE = {"from": "2026-01-01", "to": "2026-11-20", "granularity": "month"}


def fill(path: str) -> int:
    """Writes path until the file system has no byte left; returns the bytes written."""
    written = 0
    chunk = 1 << 20
    with open(path, "wb", buffering=0) as f:
        while chunk:
            try:
                written += f.write(b"\0" * chunk)
            except OSError as e:
                if e.errno != errno.ENOSPC:
                    raise
                chunk //= 2
    return written


class FullDisk(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        if os.geteuid() != 0:
            raise unittest.SkipTest("mounting a tmpfs data folder needs root")
        cls.srv = Server()
        cls.addClassCleanup(cls.srv.close)
        mount = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={TMPFS_SIZE},mode=0700", "tmpfs",
                                str(cls.srv.data_dir)], capture_output=True, text=True)
        if mount.returncode != 0:
            raise unittest.SkipTest(f"cannot mount a tmpfs: {mount.stderr.strip()}")
        cls.addClassCleanup(subprocess.run, ["umount", "-l", str(cls.srv.data_dir)], check=False)
        cls.srv.start()
        cls.acct = cls.srv.create_account(registered="2026-01-01")
        cls.routes = cls.srv.routes(cls.acct["opid"])
        cls.filler = os.path.join(str(cls.srv.data_dir), "filler")

    def calls(self) -> int:
        return self.assertStatus(self.srv.analytics(self.acct["id"], "traffic", **RANGE), 200)["totals"]["calls"]

    def batch(self, i: int) -> list[dict]:
        # Large enough to use up RocksDB's preallocated WAL space (about 18 MB) in a few hundred.
        return generated(1000 + i, self.routes, "2026-03-01", "2026-10-31", 10, id_prefix=f"d{i}")[:2000]

    def test_full_disk_answers_503_loses_nothing_and_recovers(self):
        s = self.srv
        first = self.batch(0)
        self.assertEqual(s.ingest(first)["accepted"], len(first))
        acked = list(first)
        fill(self.filler)
        refused = None
        for i in range(1, 400):
            batch = self.batch(i)
            status, answer = s.ingest(batch, expect=None)
            if status == 200:
                self.assertEqual(answer["accepted"], len(batch), answer)
                acked += batch
                continue
            self.assertEqual(status, 503, answer)
            self.assertEqual(answer["error"]["code"], "storage", answer)
            self.assertEqual(answer["accepted"] + answer["duplicates"], 0, "the counts say nothing was kept")
            refused = batch
            break
        self.assertIsNotNone(refused, "400 batches on a full disk were all acknowledged")
        # Nothing acknowledged is lost: sent again, every record is a duplicate. (The answer is
        # still 503 while the disk is full: an ingest ends with a WAL sync, which cannot succeed.)
        status, answer = s.ingest(acked, expect=None)
        self.assertIn(status, (200, 503), answer)
        self.assertEqual(answer["duplicates"], len(acked), answer)
        self.assertEqual(answer["accepted"], 0, answer)
        self.assertGreaterEqual(self.calls(), len(acked))
        s.get("/healthz")

        # Space returns: the service takes records again, without a restart.
        os.unlink(self.filler)
        deadline = time.monotonic() + 30
        while True:
            status, answer = s.ingest(refused, expect=None)
            if status == 200 or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        self.assertEqual(status, 200, f"still refused 30 s after space returned: {answer}")
        self.assertEqual(answer["accepted"] + answer["duplicates"], len(refused))
        acked += refused
        self.assertEqual(self.calls(), len(acked))

        # And a kill -9 now loses nothing.
        s.kill9()
        s.start()
        status, answer = s.ingest(acked, expect=None)
        self.assertEqual((status, answer.get("duplicates")), (200, len(acked)), answer)
        self.assertEqual(self.calls(), len(acked))


if __name__ == "__main__":
    unittest.main()
