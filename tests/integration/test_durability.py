"""An ingest answer means durable: kill -9 at any moment after it loses nothing (SPEC §8)."""

import json
import random
import threading
import time
import unittest

from cxs_harness import ServerTestCase, csv_body, expected, generated

RANGE = {"from": "2026-01-01", "to": "2026-11-20", "granularity": "month"}


class Durability(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.acct = cls.srv.create_account(registered="2026-01-01")
        cls.routes = cls.srv.routes(cls.acct["opid"])

    def total_calls(self):
        answer = self.assertStatus(self.srv.analytics(self.acct["id"], "traffic", **RANGE), 200)
        return answer["totals"]["calls"], answer

    def assertAllDuplicates(self, batches, msg):
        for i in range(0, len(batches), 10):                  # 10 batches per request
            chunk = [r for b in batches[i:i + 10] for r in b]
            a = self.srv.ingest(chunk)
            self.assertEqual((a["accepted"], a["duplicates"]), (0, len(chunk)),
                             f"{msg}: acknowledged records missing after kill -9")

    def test_1_kill_after_answer(self):
        s = self.srv
        base, _ = self.total_calls()
        records = generated(11, self.routes, "2026-09-01", "2026-10-31", 60, id_prefix="k1")
        answer = s.ingest(records)
        self.assertEqual(answer["accepted"], len(records))
        before = self.assertStatus(s.analytics(self.acct["id"], "traffic", **RANGE), 200)
        s.kill9()
        s.start()
        after = self.assertStatus(s.analytics(self.acct["id"], "traffic", **RANGE), 200)
        self.assertEqual(after["totals"]["calls"], base + len(records),
                         "records acknowledged before kill -9 are missing after the restart")
        self.assertEqual(after["series"], before["series"])
        self.assertAllDuplicates([records], "same batch again")
        # The figures are exact, not only the count.
        want = expected(records, "2026-09-01", "2026-10-31", "day")
        got = self.assertStatus(s.analytics(self.acct["id"], "traffic",
                                            **{"from": "2026-09-01", "to": "2026-10-31"}), 200)
        if base == 0:
            self.assertSeries(got, want)

    def stream(self, cycle, stop, acked, state):
        """Send batches until stopped or the server dies; record what was acknowledged."""
        client = self.srv.client(retry=False, timeout=30)
        rnd = 0
        try:
            while not stop.is_set():
                records = generated(1000 + cycle * 100 + rnd, self.routes, "2026-06-01",
                                    "2026-11-19", 25, id_prefix=f"s{cycle}r{rnd}")
                rnd += 1
                for i in range(0, len(records), 400):
                    if stop.is_set():
                        return
                    batch = records[i:i + 400]
                    state["in_flight"] = batch
                    resp = client.request("POST", "/admin/ingest", csv_body(batch),
                                          {"Content-Type": "text/csv"})
                    if resp.status != 200:
                        state["error"] = f"status {resp.status}: {resp.body[:300]!r}"
                        return
                    answer = json.loads(resp.body)
                    if answer["accepted"] != len(batch):
                        state["error"] = f"fresh batch not all accepted: {answer}"
                        return
                    acked.append(batch)
                    state["in_flight"] = None
        except Exception as e:  # noqa: BLE001 - the kill ends the stream
            state["ended_by"] = repr(e)
        finally:
            client.close()

    def test_2_kill_during_a_stream_of_ingests(self):
        s = self.srv
        rand = random.Random(2026)
        all_acked = []
        total, _ = self.total_calls()
        for cycle in range(3):
            with self.subTest(cycle=cycle):
                acked, state, stop = [], {"in_flight": None}, threading.Event()
                t = threading.Thread(target=self.stream, args=(cycle, stop, acked, state),
                                     daemon=True)
                t.start()
                deadline = time.monotonic() + 30
                while len(acked) < 2 + cycle and time.monotonic() < deadline and t.is_alive():
                    time.sleep(0.01)
                self.assertNotIn("error", state)
                self.assertGreaterEqual(len(acked), 2 + cycle, f"stream stalled: {state}")
                time.sleep(rand.uniform(0.0, 0.4))
                s.kill9()
                stop.set()
                t.join(60)
                self.assertFalse(t.is_alive(), "the stream did not end after the kill")
                self.assertNotIn("error", state)
                in_flight = state["in_flight"]
                n_acked = sum(len(b) for b in acked)

                s.start()
                got, _ = self.total_calls()
                self.assertGreaterEqual(got, total + n_acked,
                                        f"cycle {cycle}: acknowledged records lost")
                self.assertAllDuplicates(acked, f"cycle {cycle}")
                stored_in_flight = 0
                if in_flight:
                    a = s.ingest(in_flight)
                    self.assertEqual(a["accepted"] + a["duplicates"], len(in_flight))
                    stored_in_flight = a["duplicates"]
                self.assertEqual(got, total + n_acked + stored_in_flight,
                                 f"cycle {cycle}: count after restart")
                total = got + (len(in_flight) - stored_in_flight if in_flight else 0)
                all_acked += acked + ([in_flight] if in_flight else [])
        # Finally every record ever acknowledged is still there exactly once.
        s.kill9()
        s.start()
        self.assertAllDuplicates(all_acked, "after the last restart")
        got, _ = self.total_calls()
        self.assertEqual(got, total)


if __name__ == "__main__":
    unittest.main()
