"""The OPID registry: loading at start (JSON and CSV), GET, PUT, PATCH, errors, restart
(SPEC §2, §13, §14)."""

import copy
import csv
import json
import unittest

from cxs_harness import (FIXED_NOW, SOURCE, UNREGISTERED_AN, ServerTestCase, cdr,
                         fixture_registry, normalise_registry, parent_entry, registry_ans)


def entry(n, **changes):
    e = copy.deepcopy(parent_entry(n))
    e.update(changes)
    return e


class RegistryJson(ServerTestCase):

    def setUp(self):
        self.fixture = fixture_registry()
        body = self.assertStatus(self.srv.admin("PUT", "/admin/registry", self.fixture), 200,
                                 "restoring the fixture")
        self.assertEqual(body, {"opids": len(self.fixture["opids"])})

    def current(self):
        body = self.assertStatus(self.srv.get("/admin/registry"), 200)
        self.assertIsInstance(body.get("opids"), list, body)
        return normalise_registry(body)

    def test_get_returns_the_registry_loaded_at_start(self):
        self.assertEqual(self.current(), normalise_registry(self.fixture))

    def test_put_replaces(self):
        small = {"opids": [entry(1), entry(2, parent=False),
                           {"opid": "NEW0001", "parent": True, "ans": [
                               {"an": "0120555001", "dns": ["0312340001", "09012345678"]}]}]}
        body = self.assertStatus(self.srv.admin("PUT", "/admin/registry", small), 200)
        self.assertEqual(body, {"opids": 3})
        self.assertEqual(self.current(), normalise_registry(small))

    def test_patch_upserts_by_opid(self):
        changed = entry(3)
        changed["ans"] = changed["ans"][:2]
        changed["ans"][1]["dns"] = ["0612340003", "0752340003"]
        new = {"opid": "NEW0002", "parent": True,
               "ans": [{"an": "08005550002", "dns": ["0112340002"]}]}
        body = self.assertStatus(self.srv.admin("PATCH", "/admin/registry",
                                                {"opids": [changed, new]}), 200)
        n = len(self.fixture["opids"]) + 1
        self.assertEqual(body, {"opids": n})
        want = normalise_registry(self.fixture)
        want.update(normalise_registry({"opids": [changed, new]}))
        self.assertEqual(self.current(), want)
        # An AN freed by the first PATCH can go to another OPID in a second one.
        freed = entry(3)["ans"][2]["an"]
        other = {"opid": "NEW0003", "parent": False, "ans": [{"an": freed, "dns": ["0312340003"]}]}
        body = self.assertStatus(self.srv.admin("PATCH", "/admin/registry", {"opids": [other]}),
                                 200)
        self.assertEqual(body, {"opids": n + 1})

    def bad_bodies(self):
        """(method, body, field, codes, opid or None)."""
        e1, e2 = entry(1), entry(2)
        cases = []

        def put(body, field, codes, opid=None, method="PUT"):
            cases.append((method, body, field, codes, opid))

        put({"opids": [entry(1, opid="OP-0001")]}, "opids[0].opid", "invalid")
        put({"opids": [e1, entry(2, opid="A" * 17)]}, "opids[1].opid", "invalid")
        put({"opids": [entry(1, opid="")]}, "opids[0].opid", {"invalid", "required"})
        put({"opids": [entry(1, opid=1234)]}, "opids[0].opid", "invalid")
        no_opid = entry(1)
        del no_opid["opid"]
        put({"opids": [e2, no_opid]}, "opids[1].opid", "required")
        put({"opids": [entry(1, parent="yes")]}, "opids[0].parent", "invalid", "OP0001")
        no_parent = entry(1)
        del no_parent["parent"]
        put({"opids": [no_parent]}, "opids[0].parent", "required", "OP0001")
        put({"opids": [entry(1, ans="0120000101")]}, "opids[0].ans", "invalid", "OP0001")
        for i, bad_an in enumerate(("012000010", "0312345678", "0800123456", "05701234567",
                                    "0120abc123", 120000101)):
            b = entry(1)
            b["ans"][1]["an"] = bad_an
            put({"opids": [b]}, "opids[0].ans[1].an", "invalid", "OP0001")
        b = entry(1)
        del b["ans"][1]["an"]
        put({"opids": [b]}, "opids[0].ans[1].an", "required", "OP0001")
        b = entry(1)
        b["ans"][0]["dns"] = ["0312345678", "abc"]
        put({"opids": [b]}, "opids[0].ans[0].dns[1]", "invalid", "OP0001")
        b = entry(1)
        b["ans"][0]["dns"] = "0312345678"
        put({"opids": [b]}, "opids[0].ans[0].dns", "invalid", "OP0001")
        # An OPID twice in one body.
        put({"opids": [e1, e2, entry(1, ans=[])]}, "opids[2].opid", "duplicate", "OP0001")
        # An AN that would belong to two OPIDs, in one body.
        b = entry(2)
        b["ans"][0]["an"] = e1["ans"][3]["an"]
        put({"opids": [e1, b]}, "opids[1].ans[0].an", "duplicate", "OP0002")
        # The same AN twice in one OPID.
        b = entry(1)
        b["ans"][2]["an"] = b["ans"][0]["an"]
        put({"opids": [b]}, "opids[0].ans[2].an", "duplicate", "OP0001")
        # PATCH: an AN already held by another OPID of the registry (not in the body).
        put({"opids": [{"opid": "NEW0009", "parent": True,
                        "ans": [{"an": e2["ans"][1]["an"], "dns": ["0312349999"]}]}]},
            "opids[0].ans[0].an", "duplicate", "NEW0009", method="PATCH")
        put({"opids": [entry(1, parent=1)]}, "opids[0].parent", "invalid", "OP0001",
            method="PATCH")
        # The body's own shape.
        put({}, "opids", "required")
        put({"opids": "OP0001"}, "opids", {"invalid", "required"})
        put({"opids": [17]}, "opids[0]", "invalid")
        return cases

    def test_every_error_names_its_field_and_changes_nothing(self):
        before = self.current()
        for method, body, field, codes, opid in self.bad_bodies():
            with self.subTest(method=method, field=field, body=json.dumps(body)[:200]):
                answer = self.assertStatus(self.srv.admin(method, "/admin/registry", body), 422)
                self.assertFieldError(answer, field, codes, opid)
                self.assertEqual(self.current(), before, "a refused body changed the registry")

    def test_all_errors_of_a_body_are_listed(self):
        b = entry(1, parent="maybe")
        b["ans"][0]["an"] = "0120"
        c = entry(2, opid="bad opid!")
        for method in ("PUT", "PATCH"):
            answer = self.assertStatus(self.srv.admin(method, "/admin/registry",
                                                      {"opids": [b, c]}), 422)
            self.assertFieldError(answer, "opids[0].parent", "invalid", "OP0001")
            self.assertFieldError(answer, "opids[0].ans[0].an", "invalid", "OP0001")
            self.assertFieldError(answer, "opids[1].opid", "invalid")
        self.assertEqual(self.current(), normalise_registry(self.fixture))

    def test_unreadable_body(self):
        before = self.current()
        for body in (b"{not json", b"", b"[]"):
            status, _, answer = self.srv.admin("PUT", "/admin/registry", body,
                                               {"Content-Type": "application/json"})
            self.assertIn(status, (400, 422), f"{body!r}: {answer}")
            self.assertTrue("error" in answer or "errors" in answer, answer)
        self.assertEqual(self.current(), before)

    def test_account_whose_opid_leaves_keeps_data_and_its_ans_become_unowned(self):
        s = self.srv
        acct = s.create_account(registered="2026-01-01")
        an = registry_ans(self.fixture, acct["opid"])[0]
        day = FIXED_NOW.replace(day=10, hour=10)
        a = s.ingest([cdr("keep-1", day, an), cdr("keep-2", day, an, "busy")])
        self.assertEqual(a["accepted"], 2, a)
        without = {"opids": [o for o in self.fixture["opids"] if o["opid"] != acct["opid"]]}
        body = self.assertStatus(s.admin("PUT", "/admin/registry", without), 200)
        self.assertEqual(body, {"opids": len(without["opids"])})
        a = s.ingest([cdr("gone-1", day, an)])
        self.assertEqual((a["accepted"], a["unowned"]), (0, 1), a)
        got = self.assertStatus(s.get(f"/admin/accounts/{acct['id']}"), 200)
        self.assertEqual(got["opid"], acct["opid"])
        answer = self.assertStatus(s.analytics(acct["id"], "traffic", granularity="month",
                                               **{"from": "2026-11-01", "to": "2026-11-20"}),
                                   200)
        self.assertEqual(answer["totals"]["calls"], 2)

    def test_survives_restart(self):
        new = {"opid": "KEEP0001", "parent": True,
               "ans": [{"an": "0570555001", "dns": ["0922220001"]}]}
        self.assertStatus(self.srv.admin("PATCH", "/admin/registry", {"opids": [new]}), 200)
        want = self.current()
        self.assertIn("KEEP0001", want)
        # Without --registry the stored registry is what the server has.
        self.srv.restart(with_registry=False)
        self.assertEqual(self.current(), want)
        self.srv.restart(hard=True, with_registry=False)
        self.assertEqual(self.current(), want)
        # With the same, unchanged --registry file the API edits are kept as well.
        self.srv.restart()
        self.assertEqual(self.current(), want)
        # The unregistered AN stays unowned throughout.
        a = self.srv.ingest([cdr("u-1", FIXED_NOW.replace(hour=9), UNREGISTERED_AN)])
        self.assertEqual(a["unowned"], 1)


class RegistryCsv(ServerTestCase):
    """The registry file in its CSV form (header opid,parent,an,dn; one row per AN-DN pair)."""

    server_options = {"registry_format": "csv"}

    def test_csv_file_loaded_at_start(self):
        self.assertTrue(str(self.srv.registry_file).endswith(".csv"))
        body = self.assertStatus(self.srv.get("/admin/registry"), 200)
        self.assertEqual(normalise_registry(body), normalise_registry(fixture_registry()))

    def test_demo_registry_files_agree_and_are_accepted(self):
        demo_json = json.loads((SOURCE / "ops" / "demo" / "registry.json").read_text("utf-8"))
        rows = list(csv.DictReader((SOURCE / "ops" / "demo" / "registry.csv")
                                   .read_text("utf-8").splitlines()))
        from_csv = {}
        for r in rows:
            o = from_csv.setdefault(r["opid"], {"opid": r["opid"], "parent": r["parent"] == "true",
                                                "ans": {}})
            o["ans"].setdefault(r["an"], []).append(r["dn"])
        from_csv = {"opids": [{"opid": o["opid"], "parent": o["parent"],
                               "ans": [{"an": a, "dns": d} for a, d in o["ans"].items()]}
                              for o in from_csv.values()]}
        self.assertEqual(normalise_registry(from_csv), normalise_registry(demo_json))
        demo = normalise_registry(demo_json)
        self.assertIn("DEMO0001", demo)
        self.assertTrue(any(not parent for parent, _ in demo.values()), "no child OPID")
        body = self.assertStatus(self.srv.admin("PUT", "/admin/registry", demo_json), 200)
        self.assertEqual(body, {"opids": len(demo_json["opids"])})
        got = self.assertStatus(self.srv.get("/admin/registry"), 200)
        self.assertEqual(normalise_registry(got), demo)


if __name__ == "__main__":
    unittest.main()
