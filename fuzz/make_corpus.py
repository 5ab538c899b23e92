#!/usr/bin/env python3
"""Writes the seed corpora of fuzz/corpus/<target>/ (run once by hand; the files are committed).

Each seed is small and means something: the SPEC §8 CDR lines, the bodies of every JSON route
(valid and broken), the analytics query strings of docs/api.md, the demo registry and variants.
json_body and query seeds start with their selector byte (see fuzz/json_body.cpp, fuzz/query.cpp).
Re-running rewrites the seeds it names and leaves other files alone: crash reproducers, and the
inputs long runs found (named by their SHA-1, merged in by `./ops/cxs fuzz --merge`).
"""
import json
import os

ROOT = os.path.dirname(os.path.abspath(__file__))


def put(target, name, data):
    d = os.path.join(ROOT, "corpus", target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


# ---- CDRs (SPEC §8) ----
H = "call_id,start,an,dn,caller,origin_pref,dest_pref,duration_s,result"
rows = [
    "c-1,2026-11-02T09:15:03+09:00,0120123456,0312345678,0662345678,,,30,completed",
    "c-2,2026-11-02T09:16:00+09:00,0120123456,,09012345678,,,0,busy",
    "c-3,2026-11-02T00:16:00Z,08001234567,0312345678,,13,27,0,no_answer",
    "c-4,2026-11-02T23:59:59+0900,0570111222,0312345678,0312345678,00,00,0,abandoned",
    "c-5,2026-11-03T01:00:00+09:00,0120123456,,,,,0,out_of_hours",
    "c-6,2026-11-03T01:00:00+09:00,0120123456,,0112345678,,,0,area_restricted",
    "c-7,2026-11-03T01:00:00+09:00,0120123456,,,,,0,congestion",
    "c.8:x_Y-9,2026-11-03T01:00:00+09:00,0120123456,,,,,0,other",
]
put("cdr_csv", "valid", H + "\n" + "\n".join(rows) + "\n")
put("cdr_csv", "crlf_bom", "\ufeff" + H + "\r\n" + "\r\n".join(rows[:3]) + "\r\n")
put("cdr_csv", "reordered_header", "result,duration_s,dest_pref,origin_pref,caller,dn,an,start,call_id\n"
    "completed,30,,,0662345678,0312345678,0120123456,2026-11-02T09:15:03+09:00,c-1\n")
put("cdr_csv", "quoted", H + '\n"c-1","2026-11-02T09:15:03+09:00","0120123456","","","","","0","busy"\n'
    '"c""2",2026-11-02T09:15:03+09:00,0120123456,,,,,0,busy\n"c-3,2026-11-02T09:15:03+09:00\n'
    '"c-4"x,2026-11-02T09:15:03+09:00,0120123456,,,,,0,busy\n')
put("cdr_csv", "bad_lines", H + "\n"
    ",2026-11-02T09:15:03+09:00,0120123456,,,,,0,busy\n"
    "c-1,2026-13-02T09:15:03+09:00,0120123456,,,,,0,busy\n"
    "c-2,2027-11-02T09:15:03+09:00,0120123456,,,,,0,busy\n"
    "c-3,2026-11-02T09:15:03+09:00,0120999,,,,,0,busy\n"
    "c-4,2026-11-02T09:15:03+09:00,0120123456,03-1234,,,,0,busy\n"
    "c-5,2026-11-02T09:15:03+09:00,0120123456,,,48,,0,busy\n"
    "c-6,2026-11-02T09:15:03+09:00,0120123456,,,,,-5,busy\n"
    "c-7,2026-11-02T09:15:03+09:00,0120123456,,,,,86401,completed\n"
    "c-8,2026-11-02T09:15:03+09:00,0120123456,,,,,30,busy\n"
    "c-9,2026-11-02T09:15:03+09:00,0120123456,,,,,0,ringing\n"
    "c-10,2026-11-02T09:15:03+09:00,0120123456,,,,,0\n"
    "c-11,2026-11-02T09:15:03+09:00,0120123456,,,,,0,busy,extra\n"
    "   \n")
put("cdr_csv", "no_header", "c-1,2026-11-02T09:15:03+09:00,0120123456,0312345678,0662345678,,,30,completed\n")
put("cdr_csv", "dup_column", H + ",an\n")
put("cdr_csv", "missing_column", "call_id,start,an,dn,caller,origin_pref,dest_pref,duration_s\n")
put("cdr_csv", "empty", "")

ND = [
    {"call_id": "n1", "start": "2026-11-02T09:15:03+09:00", "an": "0120123456", "dn": "0312345678",
     "caller": "0662345678", "origin_pref": "", "dest_pref": "", "duration_s": 30, "result": "completed"},
    {"call_id": "n2", "start": "2026-11-02T09:16:00Z", "an": "08001234567", "dn": None, "caller": None,
     "origin_pref": "13", "dest_pref": "27", "duration_s": "0", "result": "busy"},
    {"call_id": "n3", "start": "2026-11-02T09:17:00+09:00", "an": "0570111222", "duration_s": 0,
     "result": "no_answer", "future_field": {"x": [1, 2]}},
]
put("cdr_ndjson", "valid", "\n".join(json.dumps(o, separators=(",", ":")) for o in ND) + "\n")
put("cdr_ndjson", "spaced_crlf", "\r\n".join(json.dumps(o) for o in ND) + "\r\n")
put("cdr_ndjson", "escapes_unicode",
    '{"call_id":"n\\u0031","start":"2026-11-02T09:15:03+09:00","an":"0120123456","duration_s":0,"result":"busy"}\n'
    '{"c\\u0061ll_id":"n2","start":"2026-11-02T09:15:03+09:00","an":"0120123456","duration_s":0,"result":"busy"}\n'
    '{"call_id":"\u756a\u53f7","start":"2026-11-02T09:15:03+09:00","an":"0120123456","duration_s":0,"result":"busy"}\n')
put("cdr_ndjson", "numbers",
    '{"call_id":"a","start":"2026-11-02T09:15:03+09:00","an":"0120123456","duration_s":-0,"result":"busy"}\n'
    '{"call_id":"b","start":"2026-11-02T09:15:03+09:00","an":"0120123456","duration_s":-5,"result":"busy"}\n'
    '{"call_id":"c","start":"2026-11-02T09:15:03+09:00","an":"0120123456","duration_s":1.5,"result":"completed"}\n'
    '{"call_id":"d","start":"2026-11-02T09:15:03+09:00","an":"0120123456","duration_s":1e2,"result":"completed"}\n'
    '{"call_id":"e","start":"2026-11-02T09:15:03+09:00","an":"0120123456","duration_s":123456789012345678901,"result":"completed"}\n'
    '{"call_id":"f","start":"2026-11-02T09:15:03+09:00","an":"0120123456","duration_s":007,"result":"completed"}\n'
    '{"call_id":"g","start":"2026-11-02T09:15:03+09:00","an":0120123456,"duration_s":true,"result":"completed"}\n')
put("cdr_ndjson", "broken",
    '{"call_id":"a","start":"2026-11-02T09:15:03+09:00"\n[1,2,3]\n"just a string"\nnull\n{}\n'
    '{"call_id":"a","call_id":"b","an":["0120123456"],"start":{"t":1},"result":"busy","duration_s":null}\n'
    '{"call_id":"x"} trailing\n')

# ---- JSON bodies: selector byte (route in the low nibble, 0x80 = English) + body ----
signup = {"contractor_name": "株式会社シーエックス試験", "industry": "情報通信業", "phone": "03-1234-5678",
          "department": "お客様相談室", "person": "試験 花子", "email": "op0001.apply@example.com",
          "opid": "DEMO0001", "an": "0120-111-222", "dn": "03-5200-1234", "plan": "free",
          "password": "Passw0rdTest", "auth_method": "otp", "has_sales_code": False}
signup_std = dict(signup, plan="standard", billing_an="0120333444", billing_phone="0352001234",
                  has_sales_code=True, sales_code="AB12CD34EF56GH")
signup_bad = dict(signup, contractor_name="a\nb", industry="魔法", phone="12", email="no-at", opid="SHOP0002",
                  an="0120999999", dn="0000", plan="gold", password="weak", auth_method="certificate",
                  has_sales_code="yes", person="x" * 101)


def body(selector, value, name):
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    put("json_body", name, bytes([selector]) + text.encode())


body(0, signup, "signup_valid")
body(0x80, signup_std, "signup_standard_en")
body(0, signup_bad, "signup_every_error")
body(0, dict(signup, opid="DEMO0001C1"), "signup_child_opid")
body(1, signup, "signup_strict_valid")
body(1, {"contractor_name": 5, "phone": None}, "signup_strict_types")
body(2, {"person": "山田 花子", "department": "", "email": "new@example.com", "current_password": "Passw0rdTest"},
     "settings_valid")
body(0x82, {"password": "NewPassw0rd", "auth_method": "certificate", "person": "a\tb"}, "settings_errors_en")
body(2, {"email": 3, "password": ""}, "settings_types")
body(3, {"id": "Abcde12345", "password": "Passw0rdTest"}, "login_valid")
body(3, {"id": "", "password": 1}, "login_errors")
body(4, {"ticket": "zotqTtFAg-dhYiM5OHVZJ3drZxqRmfOFHjF0MWS4HoY", "code": "123456"}, "otp_valid")
body(5, {"id": "Abcde12345", "email": "taro@example.co.jp"}, "reissue_request")
body(6, {"plan": "standard", "billing_an": "0120-333-444", "billing_phone": "03-5200-1234"}, "plan_standard")
body(6, {"plan": "free", "confirm": True}, "plan_free_confirm")
body(6, {"plan": "gold", "billing_an": 1, "confirm": "yes"}, "plan_errors")
body(6, "[]", "plan_array")
body(7, {"opid": "TRAVEL04", "plan": "standard", "auth_method": "otp", "password": "Passw0rdTest",
         "email": "ops@example.com", "person": "運用 太郎", "department": "運用部", "registered": "2026-05-01",
         "billing_an": "08007654321", "billing_phone": "0452101234"}, "account_create_valid")
body(7, {"opid": "bad opid!", "plan": 1, "registered": "2027-01-01", "person": "a\u0000b"}, "account_create_errors")
body(7, "\"just a string\"", "account_create_string")
body(8, signup, "all_readers_object")
body(8, "null", "all_readers_null")
body(0, '{"contractor_name": "unterminated', "broken_json")
body(3, '{"id":"\\ud800","password":"x"}', "lone_surrogate")

# ---- Analytics query strings: selector byte (index in fuzz/query.cpp's names + 12 * standard) + query ----
STD = 12  # traffic 0, compare 1, incomplete 2, origin 3, …, nosuch 11
queries = [
    (0, "", "traffic_default"),
    (0, "from=2026-11-02&to=2026-11-04&an=0120-111-222&weekday=mon,tue&hours=9-12", "traffic_filters"),
    (STD + 0, "granularity=month", "traffic_month_standard"),
    (0, "granularity=hour&from=2026-11-20&to=2026-11-25&format=csv", "traffic_hour_csv"),
    (0, "hours=22-6&weekday=sat&weekday=sun&an=0120111222,0570555666", "traffic_wrap"),
    (0, "hours=9-9", "traffic_bad_hours"),
    (0, "from=2026-11-02&from=2026-11-03", "traffic_twice"),
    (0, "granularity=minute&from=2026-11-24&to=2026-11-24", "traffic_minute"),
    (0, "to=2020-01-01", "traffic_before_retention"),
    (0, "from=2027-01-01", "traffic_future"),
    (0, "an=0120999999", "traffic_foreign_an"),
    (0, "an=%30120111222&x=%zz&%", "traffic_escapes"),
    (1, "from=2026-11-02&to=2026-11-03", "compare_default"),
    (STD + 1, "from=2026-11-02&to=2026-11-03&b_from=2025-11-02&b_to=2025-11-03&b_an=0120333444&format=csv",
     "compare_b_standard_csv"),
    (1, "b_from=2026-11-05&b_to=2026-11-01", "compare_b_reversed"),
    (2, "from=2026-11-02&to=2026-11-03", "incomplete_default"),
    (2, "from=2026-11-02&to=2026-11-03&format=csv&granularity=hour", "incomplete_csv"),
    (3, "gos=0.01", "origin_free"),
    (STD + 3, "gos=0.01", "origin_standard"),
    (11, "from=2026-11-02", "unknown_analysis"),
    (STD + 0, "dn=0312345678&granularity=month", "traffic_dn_standard"),
    (STD + 1, "dn=06-1234-5678&an=0120111222&b_an=0120333444", "compare_dn_standard"),
    (STD + 2, "dn=0312345678,0612345678&format=csv", "incomplete_dn_csv"),
    (0, "dn=0312345678", "traffic_dn_free"),
]
for sel, q, name in queries:
    put("query", name, bytes([sel]) + q.encode())

# ---- Registry: the demo registry, variants, the CSV form ----
with open(os.path.join(ROOT, "..", "ops", "demo", "registry.json"), "rb") as f:
    demo = f.read()
put("registry", "demo", demo)
d = json.loads(demo)
put("registry", "demo_compact", json.dumps(d, separators=(",", ":")))
bad = json.loads(demo)
bad["opids"][0]["opid"] = "BAD OPID"
bad["opids"][1]["ans"][0]["an"] = "0120111222"
bad["opids"][2]["ans"][0]["dns"] = ["12345", 7]
bad["opids"][3]["parent"] = "yes"
del bad["opids"][4]["parent"]
bad["opids"].append(dict(d["opids"][0]))
bad["opids"].append("not an object")
put("registry", "demo_every_error", json.dumps(bad))
put("registry", "hyphens", '{"opids":[{"opid":"A1","parent":true,"ans":[{"an":"0120-111-222","dns":["03-5200-1234"]},'
    '{"an":"0570111222"}]},{"opid":"A2","parent":false,"ans":[]}]}')
put("registry", "shapes", '{"opids":{}}')
put("registry", "csv", "opid,parent,an,dn\nDEMO0001,true,0120111222,0352001234\nDEMO0001,true,0120111222,0662005678\n"
    "DEMO0001,true,0120333444,\nSHOP0002,1,08001234567,0783213333\nKID01,false,,\n")
put("registry", "csv_bom_crlf_quoted", "\ufeff\"an\",\"dn\",\"opid\",\"parent\"\r\n\"0120111222\",\"0352001234\",\"X1\",\"0\"\r\n")
put("registry", "csv_errors", "opid,parent,an,dn\nA,maybe,0120111222,\nB,true,0120111222,03\nB,false,01,\nC,true\n")
put("registry", "csv_no_header", "opid,an\n")
