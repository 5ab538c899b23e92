"""Operator account API: create, look up, errors, plan changes, registration date
(SPEC §1, §3, §6, §13, §14)."""

import datetime as dt
import re
import unittest

from cxs_harness import (BILLING_PHONE, CHILD_OPID, PASSWORD, UNOWNED_OPID, ServerTestCase,
                         fixture_registry, registry_ans)

ID_RE = re.compile(r"^[A-Za-z0-9]{10}$")


class Accounts(ServerTestCase):

    def body(self, opid=None, **changes):
        opid = opid or self.srv.take_opid()
        b = {"opid": opid, "plan": "free", "auth_method": "otp", "password": PASSWORD,
             "email": f"{opid.lower()}@example.com", "person": "山田 花子"}
        b.update(changes)
        return {k: v for k, v in b.items() if v is not ...}

    def post(self, body, status=201):
        return self.assertStatus(self.srv.admin("POST", "/admin/accounts", body), status,
                                 f"POST {body}")

    def lookup(self, account_id, status=200):
        return self.assertStatus(self.srv.get(f"/admin/accounts/{account_id}"), status)

    def test_create_and_look_up(self):
        b = self.body(auth_method="certificate")
        created = self.post(b)
        self.assertRegex(created["id"], ID_RE)
        self.assertEqual(created["opid"], b["opid"])
        got = self.lookup(created["id"])
        self.assertEqual(got["id"], created["id"])
        self.assertEqual(got["opid"], b["opid"])
        self.assertEqual(got["plan"], "free")
        self.assertEqual(got["auth_method"], "certificate")
        self.assertEqual(got["email"], b["email"])
        self.assertEqual(got["person"], "山田 花子")
        self.assertEqual(sorted(got["ans"]), sorted(registry_ans(fixture_registry(), b["opid"])))
        self.assertRegex(got["registered"], r"^\d{4}-\d{2}-\d{2}$")
        self.assertNotIn("password", got)
        self.assertFalse(any(PASSWORD in str(v) for v in got.values()), "password echoed")

    def test_standard_plan_at_creation(self):
        opid = self.srv.take_opid()
        ans = registry_ans(fixture_registry(), opid)
        created = self.post(self.body(opid, plan="standard", billing_an=ans[2],
                                      billing_phone="03-1234-5678"))
        self.assertEqual(self.lookup(created["id"])["plan"], "standard")

    def test_registered_defaults_to_today_by_the_test_clock(self):
        created = self.post(self.body())
        self.assertEqual(self.lookup(created["id"])["registered"], self.srv.today().isoformat())

    def test_registered_backfill(self):
        created = self.post(self.body(registered="2025-06-01"))
        self.assertEqual(self.lookup(created["id"])["registered"], "2025-06-01")
        today = self.srv.today().isoformat()
        created = self.post(self.body(registered=today))
        self.assertEqual(self.lookup(created["id"])["registered"], today)

    def test_ids_are_unique_and_well_formed(self):
        ids = set()
        for _ in range(6):
            created = self.post(self.body())
            self.assertRegex(created["id"], ID_RE)
            ids.add(created["id"])
        self.assertEqual(len(ids), 6)

    def test_one_account_per_opid(self):
        b = self.body()
        self.post(b)
        again = self.post(dict(b, email="other@example.com"), 422)
        self.assertFieldError(again, "opid", "opid_taken")

    def test_unknown_and_child_opid(self):
        self.assertFieldError(self.post(self.body("NOSUCH01"), 422), "opid", "unknown_opid")
        self.assertFieldError(self.post(self.body("bad opid!"), 422), "opid",
                              {"unknown_opid", "invalid"})
        self.assertFieldError(self.post(self.body(CHILD_OPID), 422), "opid", "child_opid")
        no_opid = self.body("NOSUCH02")
        del no_opid["opid"]
        self.assertFieldError(self.post(no_opid, 422), "opid", "required")

    def test_field_errors_store_nothing(self):
        tomorrow = (self.srv.today() + dt.timedelta(days=1)).isoformat()
        cases = [
            ("password", "weak_password", {"password": "Abcdef1"}),            # 7 chars
            ("password", "weak_password", {"password": "A1" + "b" * 63}),       # 65 chars
            ("password", "weak_password", {"password": "alllower1"}),
            ("password", "weak_password", {"password": "ALLUPPER1"}),
            ("password", "weak_password", {"password": "NoDigitsHere"}),
            ("password", "weak_password", {"password": "Has-Hyphen1"}),
            ("password", "weak_password", {"password": "Spa ce12Ab"}),
            ("password", "weak_password", {"password": "Ｆｕｌｌ１ｗｉｄｔｈ"}),
            ("password", "weak_password", {"password": "Pässw0rdX"}),
            ("password", "required", {"password": ...}),
            ("password", "invalid", {"password": 12345678}),
            ("plan", "invalid", {"plan": "gold"}),
            ("plan", "required", {"plan": ...}),
            ("auth_method", "invalid", {"auth_method": "sms"}),
            ("auth_method", "required", {"auth_method": ...}),
            ("email", "required", {"email": ...}),
            ("email", "required", {"email": ""}),
            ("email", "invalid", {"email": "not-an-address"}),
            ("email", "invalid", {"email": "a@b@example.com"}),
            ("email", "too_long", {"email": "a" * 243 + "@example.com"}),    # 255 chars
            ("person", "too_long", {"person": "山" * 101}),
            ("person", "invalid", {"person": "山田\n花子"}),
            ("department", "too_long", {"department": "x" * 101}),
            ("registered", "invalid", {"registered": "2026-02-30"}),
            ("registered", "invalid", {"registered": "yesterday"}),
            ("registered", "invalid", {"registered": "2026/01/01"}),
            ("registered", "future", {"registered": tomorrow}),
            ("billing_an", "required", {"plan": "standard", "billing_phone": BILLING_PHONE}),
            ("billing_phone", "required", {"plan": "standard", "billing_an": "@an0"}),
            ("billing_an", "an_not_in_opid", {"plan": "standard", "billing_an": "0120000101",
                                              "billing_phone": BILLING_PHONE}),
            ("billing_an", "invalid", {"plan": "standard", "billing_an": "0312345678",
                                       "billing_phone": BILLING_PHONE}),
            ("billing_phone", "invalid", {"plan": "standard", "billing_an": "@an0",
                                          "billing_phone": "123"}),
            ("billing_phone", "invalid", {"plan": "standard", "billing_an": "@an0",
                                          "billing_phone": "abcdefghij"}),
        ]
        opid = self.srv.take_opid()
        an0 = registry_ans(fixture_registry(), opid)[0]
        for field, codes, change in cases:
            change = {k: (an0 if v == "@an0" else v) for k, v in change.items()}
            with self.subTest(field=field, change=change):
                answer = self.post(self.body(opid, **change), 422)
                self.assertFieldError(answer, field, codes)
        # Several errors in one body are all listed.
        answer = self.post(self.body(opid, password="short", email="x", plan="gold"), 422)
        self.assertFieldError(answer, "password", "weak_password")
        for field in ("email", "plan"):
            self.assertFieldError(answer, field, "invalid")
        # Nothing was stored: the OPID is still free.
        created = self.post(self.body(opid))
        self.assertEqual(created["opid"], opid)

    def test_messages_in_japanese_or_english(self):
        """SPEC §3, §14: the messages of the sign-up form, in Japanese unless English is asked
        for; the registry's rules too."""
        taken = self.body()
        self.post(taken)
        bodies = {
            "password": self.body(password="short"),
            "email": self.body(email="a" * 243 + "@example.com"),
            "registered": self.body(registered="2026/01/01"),
            "unknown": self.body("NOSUCH03"),
            "taken": dict(taken, email="other@example.com"),
        }
        expected = {  # (field, code, Japanese text in it, English text in it)
            "password": ("password", "weak_password", "パスワードは半角英数字", "Password must be 8 to 64"),
            "email": ("email", "too_long", "254文字以内", "at most 254 characters"),
            "registered": ("registered", "invalid", "登録日", "YYYY-MM-DD"),
            "unknown": ("opid", "unknown_opid", "このOPIDは登録されていません", "This OPID is not registered"),
            "taken": ("opid", "opid_taken", "すでに契約済み", "already has a contract"),
        }
        for name, body in bodies.items():
            field, code, ja, en = expected[name]
            for headers, text in (({}, ja), ({"Accept-Language": "ja"}, ja),
                                  ({"Accept-Language": "en-US,en;q=0.9"}, en)):
                with self.subTest(case=name, headers=headers):
                    status, _, answer = self.srv.admin("POST", "/admin/accounts", body, headers)
                    self.assertEqual(status, 422, answer)
                    hits = [e for e in answer["errors"] if e["field"] == field]
                    self.assertEqual([e["code"] for e in hits], [code], answer)
                    self.assertIn(text, hits[0]["message"])

    def test_password_boundaries_accepted(self):
        for pw in ("Abcdefg1", "A1" + "b" * 62):
            self.post(self.body(password=pw))

    def test_billing_fields_ignored_on_free(self):
        created = self.post(self.body(billing_an="0120999999", billing_phone="123"))
        self.assertEqual(self.lookup(created["id"])["plan"], "free")

    def test_unknown_account(self):
        for account_id in ("Zz9Zz9Zz9Z", "short", "0000000000"):
            answer = self.lookup(account_id, 404)
            self.assertErrorCode(answer, "not_found")
        answer = self.assertStatus(self.srv.admin("POST", "/admin/accounts/Zz9Zz9Zz9Z/plan",
                                                  {"plan": "free", "confirm": True}), 404)
        self.assertErrorCode(answer, "not_found")

    def test_unreadable_body(self):
        for body in (b"{nope", b"[]", b""):
            status, _, answer = self.srv.admin("POST", "/admin/accounts", body,
                                               {"Content-Type": "application/json"})
            self.assertIn(status, (400, 422), f"{body!r}: {answer}")

    def test_plan_change_both_ways(self):
        s = self.srv
        opid = s.take_opid()
        ans = registry_ans(fixture_registry(), opid)
        acct = self.post(self.body(opid))
        path = f"/admin/accounts/{acct['id']}/plan"
        # free -> standard needs both billing fields, with valid values.
        for change, field, code in (
                ({"billing_phone": BILLING_PHONE}, "billing_an", "required"),
                ({"billing_an": ans[0]}, "billing_phone", "required"),
                ({"billing_an": registry_ans(fixture_registry(), UNOWNED_OPID)[0],
                  "billing_phone": BILLING_PHONE}, "billing_an", "an_not_in_opid"),
                ({"billing_an": ans[0], "billing_phone": "12"}, "billing_phone", "invalid")):
            with self.subTest(change=change):
                answer = self.assertStatus(s.admin("POST", path, dict(change, plan="standard")),
                                           422)
                self.assertFieldError(answer, field, code)
                self.assertEqual(self.lookup(acct["id"])["plan"], "free")
        answer = self.assertStatus(s.admin("POST", path, {"plan": "platinum"}), 422)
        self.assertFieldError(answer, "plan", "invalid")
        got = self.assertStatus(s.admin("POST", path, {"plan": "standard", "billing_an": ans[1],
                                                       "billing_phone": "0612345678"}), 200)
        self.assertEqual(got["plan"], "standard")
        self.assertEqual(got["id"], acct["id"])
        self.assertEqual(self.lookup(acct["id"])["plan"], "standard")
        # standard -> free needs a confirmation.
        for body in ({"plan": "free"}, {"plan": "free", "confirm": False}):
            answer = self.assertStatus(s.admin("POST", path, body), 422)
            self.assertFieldError(answer, "confirm", "confirmation_required")
            self.assertEqual(self.lookup(acct["id"])["plan"], "standard")
        got = self.assertStatus(s.admin("POST", path, {"plan": "free", "confirm": True}), 200)
        self.assertEqual(got["plan"], "free")
        self.assertEqual(self.lookup(acct["id"])["plan"], "free")
        # And the plan survives a restart.
        self.assertStatus(s.admin("POST", path, {"plan": "standard", "billing_an": ans[0],
                                                 "billing_phone": BILLING_PHONE}), 200)
        s.restart()
        self.assertEqual(self.lookup(acct["id"])["plan"], "standard")

    def test_accounts_survive_restart(self):
        created = self.post(self.body(registered="2025-02-03", person="佐藤"))
        self.srv.restart(hard=True)
        got = self.lookup(created["id"])
        self.assertEqual((got["opid"], got["registered"], got["person"]),
                         (created["opid"], "2025-02-03", "佐藤"))
        answer = self.post(self.body(created["opid"]), 422)
        self.assertFieldError(answer, "opid", "opid_taken")


if __name__ == "__main__":
    unittest.main()
