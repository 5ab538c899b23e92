"""The CSV upload of custom data (SPEC §15, POST /api/custom/upload) through the real binary: UTF-8
and Shift_JIS (CP932, made here by Python's codec) with auto and named encodings, a BOM, CRLF, the
three headers, a broken file refused with an error per line and nothing stored, the same file
stored with partial=true, the parameters, the media type, the plan gate and the 5 MiB limit."""

import datetime as dt

from cxs_harness import SESSION_COOKIE, CustomerTestCase
from test_http import read_response, tls_connect

CSV = {"Content-Type": "text/csv"}


class CustomUpload(CustomerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.std = cls.srv.create_account(plan="standard", registered="2026-03-01")
        cls.free = cls.srv.create_account(registered="2026-03-01")

    def setUp(self):
        self.c = self.login(self.std)
        self.addCleanup(self.c.logout, strict=False)
        self.addCleanup(self.delete_all)

    def delete_all(self):
        for s in self.assertStatus(self.c.get("/api/custom"), 200)["sets"]:
            self.assertStatus(self.c.request("DELETE", f"/api/custom/{s['id']}"), 204)

    def upload(self, data: bytes, status: int, headers=CSV, **params):
        return self.assertStatus(self.c.post("/api/custom/upload", data, headers=headers, params=params), status,
                                 str(params))

    def test_utf8_and_shift_jis_files_with_every_header(self):
        recent = dt.date.today().replace(day=1)
        day = recent.isoformat()
        cases = [
            ("t,value\n", "utf-8", "auto", b""),
            ("date,value\r\n", "utf-8", "utf-8", "\ufeff".encode()),
            ("日付,値\r\n", "cp932", "auto", b""),
            ("日付,値\n", "cp932", "shift_jis", b""),
            ("日付,値\n", "utf-8", "auto", "\ufeff".encode()),
        ]
        for i, (header, codec, encoding, bom) in enumerate(cases):
            with self.subTest(header=header, codec=codec, encoding=encoding):
                newline = "\r\n" if header.endswith("\r\n") else "\n"
                text = f"{header}{day},12.5{newline}2026/11/2,\"1,234\"{newline}"
                name = f"来店数{i}"
                got = self.upload(bom + text.encode(codec), 201, name=name, unit="人", encoding=encoding)
                self.assertEqual(got["name"], name)
                self.assertEqual(got["unit"], "人")
                self.assertEqual(got["errors"], [])
                self.assertEqual(sorted(got["points"], key=lambda p: p["t"]),
                                 sorted([{"t": day, "value": 12.5}, {"t": "2026-11-02", "value": 1234}],
                                        key=lambda p: p["t"]))
                stored = self.assertStatus(self.c.get(f"/api/custom/{got['id']}"), 200)
                self.assertEqual({k: stored[k] for k in ("id", "name", "unit", "points")},
                                 {k: got[k] for k in ("id", "name", "unit", "points")})

    BROKEN = ("t,value\n"
              "2026-11-01,10\n"
              "2026-11-31,1\n"        # line 3: no such day
              "2026-11-02,many\n"     # line 4: not a number
              "2026-11-03\n"          # line 5: one field
              "2026-11-04,4\n")

    def test_a_broken_file_names_each_line_and_stores_nothing(self):
        got = self.upload(self.BROKEN.encode(), 422, name="Broken", unit="件")
        errors = [(e["line"], e["field"], e["code"]) for e in got["errors"]]
        self.assertEqual(errors, [(3, "t", "invalid"), (4, "value", "invalid"), (5, "line", "columns")])
        for e in got["errors"]:
            self.assertTrue(e["message"])
        self.assertEqual(self.assertStatus(self.c.get("/api/custom"), 200)["sets"], [])
        # In English when asked.
        en = self.assertStatus(self.c.post("/api/custom/upload", self.BROKEN.encode(), headers=CSV,
                                           params={"name": "Broken"}, lang="en"), 422)
        self.assertIn("number", en["errors"][1]["message"])

    def test_partial_stores_the_good_lines_and_lists_the_rest(self):
        got = self.upload(self.BROKEN.encode(), 201, name="Broken", partial="true")
        self.assertEqual(got["points"], [{"t": "2026-11-01", "value": 10}, {"t": "2026-11-04", "value": 4}])
        self.assertEqual([(e["line"], e["field"], e["code"]) for e in got["errors"]],
                         [(3, "t", "invalid"), (4, "value", "invalid"), (5, "line", "columns")])
        listed = self.assertStatus(self.c.get("/api/custom"), 200)["sets"]
        self.assertEqual([(s["name"], s["points"]) for s in listed], [("Broken", 2)])
        # A file without one good line is refused even with partial.
        self.upload(b"t,value\nx,1\n", 422, name="Nothing", partial="true")

    def test_a_header_that_cannot_be_read_refuses_the_whole_file(self):
        for data in (b"", b"time,amount\n2026-11-01,1\n", "日付,値\n".encode("cp932")):
            with self.subTest(data=data):
                params = {"name": "X", "partial": "true"}
                if data.startswith(b"\x93"):
                    params["encoding"] = "utf-8"  # CP932 bytes read as UTF-8
                got = self.upload(data, 422, **params)
                self.assertEqual([(e["line"], e["field"], e["code"]) for e in got["errors"]], [(1, "line", "header")])
        self.assertEqual(self.assertStatus(self.c.get("/api/custom"), 200)["sets"], [])

    def test_the_sets_rules_apply(self):
        ok = b"t,value\n2026-11-01,1\n"
        self.upload(ok, 201, name="Visits")
        taken = self.upload(ok, 422, name="Visits")
        self.assertEqual([(e["field"], e["code"]) for e in taken["errors"]], [("name", "name_taken")])
        unnamed = self.upload(ok, 422)
        self.assertEqual([(e["field"], e["code"]) for e in unnamed["errors"]], [("name", "required")])
        old = self.upload(b"t,value\n2020-01-01,1\n", 422, name="Old")
        self.assertEqual([(e["line"], e["field"], e["code"]) for e in old["errors"]], [(2, "t", "too_old")])

    def test_parameters_and_media_type(self):
        ok = b"t,value\n2026-11-01,1\n"
        self.assertCustomerError(self.c.post("/api/custom/upload", ok, headers=CSV,
                                             params={"name": "A", "encoding": "latin1"}), 400, "invalid_parameter")
        bad = self.assertCustomerError(self.c.post("/api/custom/upload", ok, headers=CSV,
                                                   params={"name": "A", "partial": "yes"}), 400, "invalid_parameter")
        self.assertEqual(bad["error"]["field"], "partial")
        for media in ("application/json", "text/plain", "multipart/form-data; boundary=x"):
            with self.subTest(media=media):
                self.assertCustomerError(self.c.post("/api/custom/upload", ok, headers={"Content-Type": media},
                                                     params={"name": "A"}), 415, "unsupported_media_type")
        self.upload(ok, 201, headers={"Content-Type": "Text/CSV; charset=utf-8"}, name="A")
        status, _, _ = self.c.get("/api/custom/upload")
        self.assertEqual(status, 405)

    def test_five_mebibytes_at_most(self):
        head = b"t,value\n"
        exact = head + b"x" * (5 * 1024 * 1024 - len(head))  # one long broken line
        got = self.upload(exact, 422, name="Big")  # read, not refused for its size
        self.assertEqual([(e["line"], e["code"]) for e in got["errors"]], [(2, "columns")])
        # One byte more: 413 from its Content-Length, before the body is sent (Expect: 100-continue).
        sock = tls_connect(self.srv.customer_addr, self.srv.cafile)
        self.addCleanup(sock.close)
        sock.sendall(("POST /api/custom/upload?name=Big HTTP/1.1\r\nHost: localhost\r\n"
                      f"Cookie: {SESSION_COOKIE}={self.c.session}\r\nX-CSRF-Token: {self.c.csrf}\r\n"
                      f"Content-Type: text/csv\r\nContent-Length: {len(exact) + 1}\r\n"
                      "Expect: 100-continue\r\n\r\n").encode())
        sock.settimeout(5)
        r = read_response(sock, bytearray())
        self.assertIsNotNone(r, "closed without an answer")
        self.assertEqual(r.status, 413, r.body)
        self.assertEqual(self.assertStatus(self.c.get("/api/custom"), 200)["sets"], [])

    def test_free_accounts_get_plan_required(self):
        c = self.login(self.free)
        self.addCleanup(c.logout, strict=False)
        self.assertCustomerError(c.post("/api/custom/upload", b"t,value\n", headers=CSV, params={"name": "A"}), 403,
                                 "plan_required")
