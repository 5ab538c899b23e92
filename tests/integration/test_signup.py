"""Sign-up (お申し込み): every field rule and error code, the application summary, the three
mails (1/3)(2/3)(3/3), main registration, the 24-hour expiry of the link, --public-url and
--mail.outbox (SPEC §3, §11, §13, §14 "Sign-up and login")."""

import datetime as dt
import json
import secrets
import shutil
import tempfile
import unittest
from pathlib import Path

from cxs_harness import (BILLING_PHONE, CHILD_AN, CHILD_OPID, HOUR, ID_RE, INDUSTRIES, MINUTE,
                         NO_SALES_CODE, PASSWORD, SUBJECT_ACCEPTED, SUBJECT_PROVISIONAL,
                         SUBJECT_READY, SUBJECT_RESET, UNOWNED_OPID, UNREGISTERED_AN,
                         CustomerClient, CustomerTestCase, login, mail_mark, mails_to, outbox_mails,
                         signup_body, wait_mail)

SIGNUP_KEYS = ("contractor_name", "industry", "phone", "department", "person", "email", "opid",
               "an", "dn", "plan", "billing_an", "billing_phone", "password", "auth_method",
               "has_sales_code", "sales_code")
ERROR_KEYS = set(SIGNUP_KEYS)


def japanese(text: str) -> bool:
    return any("\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" or ch == "\u3002"
               for ch in text)


def ascii_share(text: str) -> float:
    return sum(ch.isascii() for ch in text) / max(1, len(text))


def digits(s: str) -> str:
    return s.replace("-", "")


def other_opid_an_dn(server):
    """An AN and a DN of the OPID that never gets an account (for *_not_in_opid)."""
    routes = server.routes(UNOWNED_OPID)
    an = next(iter(routes))
    return an, routes[an][0]


class SignupBase(CustomerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.web = CustomerClient(cls.srv)
        cls.addClassCleanup(cls.web.close)

    def apply(self, body, status=202, lang=None, msg=""):
        """POST /api/signup; the answer body."""
        got, headers, answer = self.web.post("/api/signup", body, lang=lang)
        self.assertEqual(got, status, f"{msg} POST /api/signup {body!r:.400}: {answer!r:.1500}")
        self.assertSecurityHeaders(headers, "POST /api/signup")
        return answer

    def apply_and_mail(self, body):
        """A valid application: the (1/3) mail and the token of its link."""
        mark = mail_mark(self.srv)
        answer = self.apply(body)
        self.assertEqual(answer, {"status": "provisional"})
        mail = wait_mail(self.srv, SUBJECT_PROVISIONAL, to=body["email"], after=mark)
        token = mail.link_token(f"{self.srv.public_url}/signup/confirm/")
        self.assertRegex(token, r"^[A-Za-z0-9_-]{43}$")
        return mail, token

    def summary(self, token, status=200, lang=None):
        return self.assertStatus(self.web.get(f"/api/signup/{token}", lang=lang), status,
                                 f"GET /api/signup/{token}")

    def confirm(self, token, status=201, lang=None):
        return self.assertStatus(self.web.post(f"/api/signup/{token}/confirm", {}, lang=lang,
                                               csrf=None, session=None),
                                 status, f"confirm {token}")


class Signup(SignupBase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # An OPID only ever sent with errors: nothing may be stored for it.
        cls.form_opid = cls.srv.take_opid()

    def form(self, **changes):
        body = signup_body(self.srv, self.form_opid)
        body.update(changes)
        return {k: v for k, v in body.items() if v is not ...}

    # -- the whole way, with the three mails ----------------------------------------------------

    def test_application_summary_confirm_and_three_mails(self):
        s = self.srv
        body = signup_body(s)
        email = body["email"]
        mark = mail_mark(s)
        before = s.now()
        m1, token = self.apply_and_mail(body)
        self.assertMailBasics(m1, email, SUBJECT_PROVISIONAL)
        self.assertIn(f"{s.public_url}/signup/confirm/{token}", m1.lines(),
                      "the confirmation link is on a line of its own")

        summary = self.summary(token)
        self.assertEqual(summary["status"], "provisional")
        expires = dt.datetime.fromisoformat(summary["expires"])
        self.assertEqual(expires.utcoffset(), dt.timedelta(hours=9), summary["expires"])
        self.assertGreaterEqual(expires, before + dt.timedelta(hours=24, seconds=-120))
        self.assertLessEqual(expires, s.now() + dt.timedelta(hours=24, seconds=120))
        app = summary["application"]
        self.assertNotIn("password", app)
        self.assertNotIn(PASSWORD, json.dumps(summary, ensure_ascii=False))
        for key in ("contractor_name", "industry", "department", "person", "email", "opid", "an",
                    "dn", "plan", "auth_method"):
            self.assertEqual(app.get(key), body[key], key)
        self.assertEqual(app["phone"], "0312345678", "digits only")
        self.assertIs(app["has_sales_code"], False)
        self.assertEqual(app["sales_code"], NO_SALES_CODE)

        created = self.confirm(token)
        account_id = created["id"]
        self.assertRegex(account_id, ID_RE)
        m3 = wait_mail(s, SUBJECT_READY, to=email, after=mark)
        mails = mails_to(s, email, mark)
        self.assertEqual([m.subject for m in mails],
                         [SUBJECT_PROVISIONAL, SUBJECT_ACCEPTED, SUBJECT_READY],
                         "the three mails, in this order (file names sort in sending order)")
        self.assertEqual([m.name for m in mails], sorted(m.name for m in mails))
        for m in mails:
            self.assertRegex(m.name, r"^\d{8}T\d{6}-\d+\.eml$")
            self.assertMailBasics(m, email)
        self.assertEqual(len({str(m.msg["Message-ID"]) for m in mails}), 3, "Message-IDs differ")
        self.assertEqual(m3.account_id, account_id)
        self.assertIn(f"ログインURL: {s.public_url}/login", m3.lines())

        summary = self.summary(token)
        self.assertEqual(summary["status"], "confirmed")
        self.assertNotIn("password", summary["application"])

        acct = self.assertStatus(s.get(f"/admin/accounts/{account_id}"), 200)
        self.assertEqual(acct["opid"], body["opid"])
        self.assertEqual(acct["plan"], "free")
        self.assertEqual(acct["auth_method"], "otp")
        self.assertEqual(acct["registered"], s.today().isoformat())
        self.assertEqual(acct["email"], email)

        # The password of the application logs in.
        c = login(s, account_id, PASSWORD, email_to=email)
        self.addCleanup(c.close)
        me = self.assertStatus(c.get("/api/me"), 200)
        self.assertEqual(me["id"], account_id)
        self.assertEqual(me["contractor_name"], body["contractor_name"])
        self.assertEqual(me["industry"], body["industry"])
        self.assertEqual(me["phone"], "0312345678")
        self.assertEqual(me["person"], body["person"])
        self.assertEqual(me["department"], body["department"])
        self.assertEqual(sorted(me["ans"]), sorted(s.routes(body["opid"])))

    def test_second_confirm_is_409_and_sends_nothing(self):
        s = self.srv
        body = signup_body(s)
        _, token = self.apply_and_mail(body)
        mark = mail_mark(s)
        account_id = self.confirm(token)["id"]
        wait_mail(s, SUBJECT_READY, to=body["email"], after=mark)
        mark = mail_mark(s)
        again = self.web.post(f"/api/signup/{token}/confirm", {})
        self.assertCustomerError(again, 409, "already_confirmed", "second confirm")
        self.assertNoMailTo(body["email"], mark, "second confirm")
        self.assertEqual(self.assertStatus(s.get(f"/admin/accounts/{account_id}"), 200)["opid"],
                         body["opid"])

    def test_unknown_token(self):
        for token in (secrets.token_urlsafe(32), "short", "A" * 43):
            self.assertCustomerError(self.web.get(f"/api/signup/{token}"), 404, "not_found",
                                     f"GET {token}")
            self.assertCustomerError(self.web.post(f"/api/signup/{token}/confirm", {}), 404,
                                     "not_found", f"confirm {token}")

    # -- field rules ----------------------------------------------------------------------------

    def test_every_field_rule(self):
        s = self.srv
        other_an, other_dn = other_opid_an_dn(s)
        std = {"plan": "standard", "billing_an": list(s.routes(self.form_opid))[1],
               "billing_phone": BILLING_PHONE}
        too_long = "あ" * 101
        cases = [  # (field, codes, changes, only this field)
            ("contractor_name", "required", {"contractor_name": ...}, True),
            ("contractor_name", "required", {"contractor_name": ""}, True),
            ("contractor_name", "too_long", {"contractor_name": too_long}, True),
            ("contractor_name", "invalid", {"contractor_name": 12}, True),
            ("industry", "required", {"industry": ...}, True),
            ("industry", "not_in_list", {"industry": "農業"}, True),
            ("industry", "not_in_list", {"industry": "情報通信"}, True),
            ("phone", "required", {"phone": ...}, True),
            ("phone", "invalid", {"phone": "123"}, True),
            ("phone", "invalid", {"phone": "abcdefghij"}, True),
            ("phone", "invalid", {"phone": "03-1234"}, True),
            ("department", "too_long", {"department": too_long}, True),
            ("person", "required", {"person": ...}, True),
            ("person", "required", {"person": ""}, True),
            ("person", "too_long", {"person": too_long}, True),
            ("email", "required", {"email": ...}, True),
            ("email", "required", {"email": ""}, True),
            ("email", "invalid", {"email": "not-an-address"}, True),
            ("email", "invalid", {"email": "a@b@example.com"}, True),
            ("email", "invalid", {"email": "@example.com"}, True),
            ("email", "invalid", {"email": "user@"}, True),
            ("email", "invalid", {"email": "us er@example.com"}, True),
            ("opid", "required", {"opid": ...}, False),
            ("opid", "unknown_opid", {"opid": "NOSUCH01"}, False),
            ("opid", {"unknown_opid", "invalid"}, {"opid": "bad opid!"}, False),
            ("opid", "child_opid", {"opid": CHILD_OPID, "an": CHILD_AN, "dn": "0352991001"},
             False),
            ("an", "required", {"an": ...}, False),
            ("an", "an_not_in_opid", {"an": other_an}, True),
            ("an", "an_not_in_opid", {"an": UNREGISTERED_AN}, True),
            ("an", {"invalid", "an_not_in_opid"}, {"an": "12345"}, False),
            ("dn", "required", {"dn": ...}, False),
            ("dn", "dn_not_in_opid", {"dn": other_dn}, True),
            ("dn", "dn_not_in_opid", {"dn": "0399999999"}, True),
            ("dn", {"invalid", "dn_not_in_opid"}, {"dn": "abc"}, False),
            ("plan", "required", {"plan": ...}, True),
            ("plan", "invalid", {"plan": "gold"}, True),
            ("billing_an", "required", dict(std, billing_an=...), True),
            ("billing_an", "required", dict(std, billing_an=""), True),
            ("billing_an", "an_not_in_opid", dict(std, billing_an=other_an), True),
            ("billing_an", {"invalid", "an_not_in_opid"}, dict(std, billing_an="12"), False),
            ("billing_phone", "required", dict(std, billing_phone=...), True),
            ("billing_phone", "invalid", dict(std, billing_phone="123"), True),
            ("password", "required", {"password": ...}, True),
            ("password", "weak_password", {"password": "Abcdef1"}, True),          # 7 chars
            ("password", "weak_password", {"password": "A1" + "b" * 63}, True),    # 65 chars
            ("password", "weak_password", {"password": "alllower1"}, True),
            ("password", "weak_password", {"password": "ALLUPPER1"}, True),
            ("password", "weak_password", {"password": "NoDigitsHere"}, True),
            ("password", "weak_password", {"password": "Has-Hyphen1"}, True),
            ("password", "weak_password", {"password": "Spa ce12Ab"}, True),
            ("password", "weak_password", {"password": "Ｐａｓｓｗ０ｒｄＸ"}, True),  # full-width
            ("password", "weak_password", {"password": "Pässw0rdX"}, True),
            ("auth_method", "required", {"auth_method": ...}, True),
            ("auth_method", "invalid", {"auth_method": "sms"}, True),
            ("has_sales_code", {"required", "invalid"}, {"has_sales_code": ...}, True),
            ("has_sales_code", "invalid", {"has_sales_code": "yes"}, True),
            ("sales_code", {"required", "invalid"}, {"has_sales_code": True}, True),
            ("sales_code", {"required", "invalid"},
             {"has_sales_code": True, "sales_code": ""}, True),
            ("sales_code", "invalid", {"has_sales_code": True, "sales_code": "ABC123"}, True),
            ("sales_code", "invalid", {"has_sales_code": True, "sales_code": "A" * 15}, True),
            ("sales_code", "invalid", {"has_sales_code": True, "sales_code": "A" * 13}, True),
            ("sales_code", "invalid", {"has_sales_code": True, "sales_code": "ABCD-123456789"},
             True),
            ("sales_code", "invalid", {"has_sales_code": True, "sales_code": "ＡＢＣＤ１２３４５６７８９０"},
             True),
        ]
        mark = mail_mark(s)
        for field, codes, changes, only in cases:
            with self.subTest(field=field, changes=changes):
                body = self.form(**changes)
                answer = self.apply(body, 422)
                self.assertFieldError(answer, field, codes, msg=f"{changes}")
                for e in answer["errors"]:
                    self.assertIn(e.get("field"), ERROR_KEYS, f"unknown field in {e}")
                    self.assertTrue({"field", "code", "message"} <= set(e), e)
                if only:
                    self.assertEqual({e["field"] for e in answer["errors"]}, {field},
                                     f"{changes}: errors for other fields: {answer}")
        # Nothing was stored: no mail went out, and a valid application for the same OPID works.
        self.assertNoMailTo(self.form()["email"], mark, "applications with errors")
        self.apply_and_mail(self.form())

    def test_boundaries_and_dn_of_another_an_of_the_opid(self):
        s = self.srv
        opid = s.take_opid()
        routes = s.routes(opid)
        ans = list(routes)
        # 100 characters are fine; the DN may belong to any AN of the OPID.
        body = signup_body(s, opid, contractor_name="会" * 100, person="担" * 100,
                           department="部" * 100, an=ans[0], dn=routes[ans[2]][0],
                           industry="その他")
        _, token = self.apply_and_mail(body)
        app = self.summary(token)["application"]
        self.assertEqual(app["contractor_name"], "会" * 100)
        self.assertEqual(app["dn"], routes[ans[2]][0])

    def test_industries(self):
        """Every industry of the list is accepted (checked without storing: another field is
        broken, and the industry is not named in the errors)."""
        for industry in INDUSTRIES:
            with self.subTest(industry=industry):
                answer = self.apply(self.form(industry=industry, person=...), 422)
                self.assertFieldError(answer, "person", "required")
                self.assertEqual([e for e in answer["errors"] if e["field"] == "industry"], [])

    def test_all_errors_at_once(self):
        body = self.form(contractor_name="あ" * 101, industry="農業", phone="123", person=...,
                         email="nope", plan="gold", password="weak", auth_method="sms",
                         has_sales_code=True, sales_code="X")
        answer = self.apply(body, 422)
        want = {"contractor_name": "too_long", "industry": "not_in_list", "phone": "invalid",
                "person": "required", "email": "invalid", "plan": "invalid",
                "password": "weak_password", "auth_method": "invalid", "sales_code": "invalid"}
        for field, code in want.items():
            self.assertFieldError(answer, field, code, msg="all at once")
        # The registry rules, all together as well.
        other_an, other_dn = other_opid_an_dn(self.srv)
        body = self.form(an=other_an, dn=other_dn, plan="standard", billing_an=other_an,
                         billing_phone=BILLING_PHONE)
        answer = self.apply(body, 422)
        self.assertFieldError(answer, "an", "an_not_in_opid")
        self.assertFieldError(answer, "dn", "dn_not_in_opid")
        self.assertFieldError(answer, "billing_an", "an_not_in_opid")

    def test_messages_in_japanese_and_english(self):
        body = self.form(contractor_name="あ" * 101, industry="農業", phone="123", person=...,
                         email="nope", password="weak", auth_method="sms")
        ja = self.apply(body, 422)
        ja2 = self.apply(body, 422, lang="ja")
        en = self.apply(body, 422, lang="en")
        en_us = self.apply(body, 422, lang="en-US,en;q=0.9")
        ja_first = self.apply(body, 422, lang="ja,en;q=0.8")

        def by_field(answer):
            return {(e["field"], e["code"]): e["message"] for e in answer["errors"]}

        ja, ja2, en, en_us, ja_first = map(by_field, (ja, ja2, en, en_us, ja_first))
        self.assertEqual(set(ja), set(en), "the same errors in both languages")
        self.assertEqual(ja, ja2, "Japanese is the default")
        self.assertEqual(en, en_us, "en-US is English")
        self.assertEqual(ja, ja_first, "ja first is Japanese")
        for key in ja:
            self.assertTrue(japanese(ja[key]), f"{key}: not Japanese: {ja[key]!r}")
            self.assertNotEqual(ja[key], en[key], key)
            self.assertGreaterEqual(ascii_share(en[key]), 0.8, f"{key}: not English: {en[key]!r}")
        # Registry errors and the other error shapes too.
        other = self.form(opid="NOSUCH02")
        ja = self.apply(other, 422)["errors"]
        en = self.apply(other, 422, lang="en")["errors"]
        ja_msg = [e["message"] for e in ja if e["field"] == "opid"][0]
        en_msg = [e["message"] for e in en if e["field"] == "opid"][0]
        self.assertTrue(japanese(ja_msg), ja_msg)
        self.assertGreaterEqual(ascii_share(en_msg), 0.8, en_msg)
        for lang, check in (("ja", japanese), ("en", lambda m: ascii_share(m) >= 0.8)):
            err = self.assertCustomerError(
                self.web.post("/api/signup", b"{nope", headers={"Content-Type": "application/json"},
                              lang=lang), 400, "json", f"non-JSON ({lang})")
            self.assertTrue(check(err["error"]["message"]), err)
            err = self.assertCustomerError(self.web.get(f"/api/signup/{secrets.token_urlsafe(32)}",
                                                        lang=lang), 404, "not_found", lang)
            self.assertTrue(check(err["error"]["message"]), err)

    def test_body_that_is_not_json(self):
        mark = mail_mark(self.srv)
        for raw in (b"not json", b"", b"{\"opid\":", "契約".encode(), b"\xff\xfe"):
            with self.subTest(raw=raw):
                self.assertCustomerError(
                    self.web.post("/api/signup", raw, headers={"Content-Type": "application/json"}),
                    400, "json", f"{raw!r}")
        status, _, answer = self.web.post("/api/signup", b"[1,2]",
                                          headers={"Content-Type": "application/json"})
        self.assertIn(status, (400, 422), answer)
        self.assertNoMailTo(self.form()["email"], mark, "non-JSON bodies")

    # -- OPID taken ------------------------------------------------------------------------------

    def test_opid_taken_by_pending_application_and_by_contract(self):
        s = self.srv
        body = signup_body(s)
        _, token = self.apply_and_mail(body)
        again = self.apply(dict(body, email="someone.else@example.com"), 422)
        self.assertFieldError(again, "opid", "opid_taken")
        mark = mail_mark(s)
        self.confirm(token)
        wait_mail(s, SUBJECT_READY, to=body["email"], after=mark)
        again = self.apply(dict(body, email="third@example.com"), 422)
        self.assertFieldError(again, "opid", "opid_taken")
        # An account created by an operator takes the OPID as well.
        acct = s.create_account()
        answer = self.apply(signup_body(s, acct["opid"]), 422)
        self.assertFieldError(answer, "opid", "opid_taken")

    # -- normalisation, standard plan, sales code ------------------------------------------------

    def test_hyphens_standard_plan_and_sales_code(self):
        s = self.srv
        opid = s.take_opid()
        routes = s.routes(opid)
        ans = list(routes)
        an, billing = ans[0], ans[2]
        dn = routes[an][0]

        def hyphenate(number):
            return f"{number[:4]}-{number[4:7]}-{number[7:]}"

        body = signup_body(s, opid, phone="03-1234-5678", an=hyphenate(an),
                           dn=f"{dn[:2]}-{dn[2:6]}-{dn[6:]}", plan="standard", billing_an=hyphenate(billing),
                           billing_phone="06-1234-5678", has_sales_code=True,
                           sales_code="AB12cd34EF56gh", auth_method="otp")
        _, token = self.apply_and_mail(body)
        app = self.summary(token)["application"]
        self.assertEqual((app["phone"], app["an"], app["dn"]), ("0312345678", an, dn))
        self.assertEqual((app["billing_an"], app["billing_phone"]), (billing, "0612345678"))
        self.assertEqual(app["plan"], "standard")
        self.assertIs(app["has_sales_code"], True)
        self.assertEqual(app["sales_code"], "AB12cd34EF56gh")
        mark = mail_mark(s)
        account_id = self.confirm(token)["id"]
        wait_mail(s, SUBJECT_READY, to=body["email"], after=mark)
        acct = self.assertStatus(s.get(f"/admin/accounts/{account_id}"), 200)
        self.assertEqual(acct["plan"], "standard")
        self.assertEqual(acct["billing_an"], billing)
        self.assertEqual(acct["billing_phone"], "0612345678")

    def test_free_plan_ignores_billing_and_unused_sales_code(self):
        s = self.srv
        body = signup_body(s, billing_an="garbage", billing_phone="123", has_sales_code=False,
                           sales_code="!!bad!!")
        _, token = self.apply_and_mail(body)
        summary = self.summary(token)
        app = summary["application"]
        self.assertEqual(app["plan"], "free")
        self.assertEqual(app["sales_code"], NO_SALES_CODE)
        text = json.dumps(summary, ensure_ascii=False)
        self.assertNotIn("garbage", text)
        self.assertNotIn("!!bad!!", text)

    def test_certificate_auth_method_is_accepted(self):
        s = self.srv
        body = signup_body(s, auth_method="certificate")
        _, token = self.apply_and_mail(body)
        self.assertEqual(self.summary(token)["application"]["auth_method"], "certificate")
        mark = mail_mark(s)
        account_id = self.confirm(token)["id"]
        m3 = wait_mail(s, SUBJECT_READY, to=body["email"], after=mark)
        self.assertEqual(m3.account_id, account_id)
        acct = self.assertStatus(s.get(f"/admin/accounts/{account_id}"), 200)
        self.assertEqual(acct["auth_method"], "certificate")


class SignupExpiry(SignupBase):
    """The link is valid 24 hours (test clock); then 410 and the OPID is free again."""

    def test_link_expires_after_24_hours_and_the_opid_is_free_again(self):
        s = self.srv
        body_a = signup_body(s)
        body_b = signup_body(s)
        _, token_a = self.apply_and_mail(body_a)
        _, token_b = self.apply_and_mail(body_b)
        s.advance(23 * HOUR + 50 * MINUTE)
        self.assertEqual(self.summary(token_a)["status"], "provisional")
        s.advance(12 * MINUTE)                                    # 24 h 2 min after sending
        ja = self.assertCustomerError(self.web.get(f"/api/signup/{token_a}"), 410, "expired")
        self.assertTrue(japanese(ja["error"]["message"]), ja)
        en = self.assertCustomerError(self.web.get(f"/api/signup/{token_a}", lang="en"), 410,
                                      "expired")
        self.assertIn("apply", en["error"]["message"].lower(), "a message to apply again")
        mark = mail_mark(s)
        self.assertCustomerError(self.web.post(f"/api/signup/{token_a}/confirm", {}), 410,
                                 "expired", "confirm after 24 h")
        self.assertNoMailTo(body_a["email"], mark, "confirm of an expired link")
        # Both OPIDs may apply again (B without having looked at its expired link).
        _, token_b2 = self.apply_and_mail(dict(body_b, email="again.b@example.com"))
        _, token_a2 = self.apply_and_mail(body_a)
        self.assertNotEqual(token_a2, token_a)
        self.assertEqual(self.summary(token_a2)["status"], "provisional")
        mark = mail_mark(s)
        account_id = self.confirm(token_a2)["id"]
        self.assertEqual(wait_mail(s, SUBJECT_READY, to=body_a["email"], after=mark).account_id,
                         account_id)
        acct = self.assertStatus(s.get(f"/admin/accounts/{account_id}"), 200)
        self.assertEqual(acct["opid"], body_a["opid"])
        self.assertEqual(acct["registered"], s.today().isoformat())
        self.assertEqual(self.summary(token_b2)["status"], "provisional")


class SignupLinks(SignupBase):
    """--public-url sets the links of the mails; --mail.outbox moves the outbox."""

    @classmethod
    def setUpClass(cls):
        cls.outbox_dir = Path(tempfile.mkdtemp(prefix="cxs-it-outbox-"))
        cls.addClassCleanup(shutil.rmtree, cls.outbox_dir, ignore_errors=True)
        cls.server_options = {"extra_args": ["--public-url=https://cx.example.jp:8443",
                                             f"--mail.outbox={cls.outbox_dir}"]}
        super().setUpClass()

    def test_links_use_the_public_url_and_mails_go_to_the_outbox_folder(self):
        s = self.srv
        self.assertEqual(s.outbox, self.outbox_dir)
        self.assertEqual(s.public_url, "https://cx.example.jp:8443")
        body = signup_body(s)
        m1, token = self.apply_and_mail(body)
        self.assertIn(f"https://cx.example.jp:8443/signup/confirm/{token}", m1.lines())
        self.assertEqual(m1.path.parent, self.outbox_dir)
        mark = mail_mark(s)
        account_id = self.confirm(token)["id"]
        m3 = wait_mail(s, SUBJECT_READY, to=body["email"], after=mark)
        self.assertIn("ログインURL: https://cx.example.jp:8443/login", m3.lines())
        self.assertEqual(m3.account_id, account_id)
        mark = mail_mark(s)
        self.assertStatus(self.web.post("/api/password/reset-request",
                                        {"id": account_id, "email": body["email"]}), 202)
        reset = wait_mail(s, SUBJECT_RESET, to=body["email"], after=mark)
        reset.link_token("https://cx.example.jp:8443/password/reset/")
        self.assertEqual(list((s.data_dir / "outbox").glob("*.eml")), [],
                         "nothing in the default outbox")
        self.assertEqual(len(outbox_mails(s)), 4)


if __name__ == "__main__":
    unittest.main()
