#include "domain/cdr.hpp"

#include <gtest/gtest.h>

#include "domain/time.hpp"

namespace cxs::domain {
namespace {

const std::string header = "call_id,start,an,dn,caller,origin_pref,dest_pref,duration_s,result";
// 2026-11-25T12:00:00+09:00 = 2026-11-25T03:00:00Z
const int64_t now = days_from_civil({2026, 11, 25}) * 86400 + 3 * 3600;

parsed_batch csv_ok(const std::string& body) {
  auto r = parse_csv(body, now);
  if (auto* e = std::get_if<batch_error>(&r)) {
    ADD_FAILURE() << "batch error " << e->code << ": " << e->message;
    return {};
  }
  return std::get<parsed_batch>(std::move(r));
}

batch_error csv_bad(const std::string& body) {
  auto r = parse_csv(body, now);
  if (auto* e = std::get_if<batch_error>(&r)) return *e;
  ADD_FAILURE() << "expected a batch error";
  return {};
}

// One CSV line from a good default record with one field replaced.
struct row {
  std::string call_id = "c-1", start = "2026-11-02T09:15:03+09:00", an = "0120123456", dn = "0312345678",
              caller = "0662345678", origin_pref = "", dest_pref = "", duration_s = "30", result = "completed";
  std::string csv() const {
    return call_id + "," + start + "," + an + "," + dn + "," + caller + "," + origin_pref + "," + dest_pref + "," +
           duration_s + "," + result;
  }
};

// The single error of a one-record CSV body (the record is on line 2).
line_error only_error(const row& r) {
  const parsed_batch b = csv_ok(header + "\n" + r.csv() + "\n");
  EXPECT_TRUE(b.records.empty());
  if (b.errors.size() != 1) {
    ADD_FAILURE() << "expected one error, got " << b.errors.size();
    return {};
  }
  EXPECT_EQ(b.errors[0].line, 2u);
  return b.errors[0];
}

void expect_error(const row& r, const std::string& field, const std::string& code) {
  const line_error e = only_error(r);
  EXPECT_EQ(e.field, field) << r.csv();
  EXPECT_EQ(e.code, code) << r.csv() << " -> " << e.message;
  EXPECT_FALSE(e.message.empty());
}

void expect_good(const row& r) {
  const parsed_batch b = csv_ok(header + "\n" + r.csv() + "\n");
  EXPECT_EQ(b.records.size(), 1u) << r.csv();
  for (const auto& e : b.errors) ADD_FAILURE() << r.csv() << ": " << e.field << " " << e.code << " " << e.message;
}

TEST(CdrResult, NamesRoundTrip) {
  const char* names[] = {"completed",       "busy",       "no_answer", "abandoned", "out_of_hours",
                         "area_restricted", "congestion", "other"};
  for (int i = 0; i < call_result_count; ++i) {
    EXPECT_EQ(result_name(static_cast<call_result>(i)), names[i]);
    EXPECT_EQ(parse_result(names[i]), static_cast<call_result>(i));
  }
  EXPECT_FALSE(parse_result("Completed"));
  EXPECT_FALSE(parse_result(""));
  EXPECT_FALSE(parse_result("ok"));
}

TEST(CdrCsv, ParsesAGoodRecord) {
  const parsed_batch b =
      csv_ok(header + "\n" + "call-01,2026-11-02T09:15:03+09:00,0120123456,0312345678,0662345678,,,125,completed\n");
  ASSERT_EQ(b.records.size(), 1u);
  ASSERT_TRUE(b.errors.empty());
  const cdr& c = b.records[0];
  EXPECT_EQ(c.call_id, "call-01");
  EXPECT_EQ(c.start, days_from_civil({2026, 11, 2}) * 86400 + 15 * 60 + 3);  // 00:15:03Z
  EXPECT_EQ(c.an, "0120123456");
  EXPECT_EQ(c.dn, "0312345678");
  EXPECT_EQ(c.caller, "0662345678");
  EXPECT_EQ(c.origin_pref, 27);  // derived from the Osaka caller
  EXPECT_EQ(c.dest_pref, 13);    // derived from the Tokyo DN
  EXPECT_EQ(c.duration_s, 125u);
  EXPECT_EQ(c.result, call_result::completed);
  EXPECT_EQ(b.lines, std::vector<std::size_t>{2});
}

TEST(CdrCsv, HeaderInAnyOrder) {
  const std::string body =
      "result,duration_s,dest_pref,origin_pref,caller,dn,an,start,call_id\r\n"
      "busy,0,47,01,,09012345678,0570123456,2026-11-02T00:00:00Z,x.1\r\n";
  const parsed_batch b = csv_ok(body);
  ASSERT_EQ(b.records.size(), 1u);
  const cdr& c = b.records[0];
  EXPECT_EQ(c.call_id, "x.1");
  EXPECT_EQ(c.an, "0570123456");
  EXPECT_EQ(c.dn, "09012345678");
  EXPECT_EQ(c.caller, "");
  EXPECT_EQ(c.origin_pref, 1);
  EXPECT_EQ(c.dest_pref, 47);
  EXPECT_EQ(c.duration_s, 0u);
  EXPECT_EQ(c.result, call_result::busy);
}

TEST(CdrCsv, HeaderToleratesSpacesCaseAndBom) {
  const std::string body =
      "\xEF\xBB\xBF"
      "Call_ID, start ,an,dn,caller,origin_pref,dest_pref,duration_s,RESULT\n" +
      row{}.csv();
  EXPECT_EQ(csv_ok(body).records.size(), 1u);
}

TEST(CdrCsv, BadHeaders) {
  EXPECT_EQ(csv_bad("").code, "no_header");
  EXPECT_EQ(csv_bad("\n\r\n  \n").code, "no_header");

  const batch_error missing = csv_bad("call_id,start,an,dn,caller,origin_pref,dest_pref,duration_s\n");
  EXPECT_EQ(missing.code, "missing_column");
  EXPECT_NE(missing.message.find("result"), std::string::npos) << missing.message;

  const batch_error unknown = csv_bad(header + ",note\n");
  EXPECT_EQ(unknown.code, "unknown_column");
  EXPECT_NE(unknown.message.find("note"), std::string::npos) << unknown.message;

  const batch_error dup = csv_bad("call_id,start,an,dn,caller,origin_pref,dest_pref,duration_s,result,an\n");
  EXPECT_EQ(dup.code, "duplicate_column");

  // A body without its header: the first record is read as a header and refused, and no
  // number from it is echoed.
  const batch_error no_header = csv_bad(row{}.csv() + "\n");
  EXPECT_EQ(no_header.code, "unknown_column");
  EXPECT_EQ(no_header.message.find("0662345678"), std::string::npos);
}

TEST(CdrCsv, LineEndsAndBlankLines) {
  // LF, CRLF, no final newline, blank lines counted but skipped.
  row a, b, c;
  a.call_id = "a";
  b.call_id = "b";
  c.call_id = "c";
  const std::string body = header + "\r\n" + a.csv() + "\r\n\r\n" + b.csv() + "\n\n   \n" + c.csv();
  const parsed_batch p = csv_ok(body);
  ASSERT_EQ(p.records.size(), 3u);
  EXPECT_TRUE(p.errors.empty());
  EXPECT_EQ(p.records[0].call_id, "a");
  EXPECT_EQ(p.records[2].result, call_result::completed);  // no stray \r in the last field
  EXPECT_EQ(p.lines, (std::vector<std::size_t>{2, 4, 7}));

  const parsed_batch header_only = csv_ok(header + "\n");
  EXPECT_TRUE(header_only.records.empty());
  EXPECT_TRUE(header_only.errors.empty());
}

TEST(CdrCsv, QuotedFields) {
  row r;
  r.call_id = "\"q-1\"";
  r.start = "\"2026-11-02T09:15:03+09:00\"";
  r.result = "\"completed\"";
  const parsed_batch p = csv_ok(header + "\n" + r.csv() + "\n");
  ASSERT_EQ(p.records.size(), 1u);
  EXPECT_EQ(p.records[0].call_id, "q-1");

  // A quoted comma stays in its field: 9 fields, and call_id is refused for the comma.
  row comma;
  comma.call_id = "\"a,b\"";
  expect_error(comma, "call_id", "invalid");

  // "" is one quote; the message shows the unescaped value.
  row escaped;
  escaped.call_id = "\"a\"\"b\"";
  const line_error e = only_error(escaped);
  EXPECT_EQ(e.field, "call_id");
  EXPECT_NE(e.message.find("a\"b"), std::string::npos) << e.message;

  // An empty quoted field is empty.
  row empty_dn;
  empty_dn.dn = "\"\"";
  empty_dn.dest_pref = "\"\"";
  const parsed_batch q = csv_ok(header + "\n" + empty_dn.csv() + "\n");
  ASSERT_EQ(q.records.size(), 1u);
  EXPECT_EQ(q.records[0].dn, "");
  EXPECT_EQ(q.records[0].dest_pref, 0);
}

TEST(CdrCsv, BrokenQuotingRejectsTheLineOnly) {
  row bad_close, after_quote, good;
  bad_close.call_id = "\"open";
  after_quote.call_id = "\"x\"y";
  const std::string body = header + "\n" + bad_close.csv() + "\n" + after_quote.csv() + "\n" + good.csv() + "\n";
  const parsed_batch p = csv_ok(body);
  ASSERT_EQ(p.errors.size(), 2u);
  EXPECT_EQ(p.errors[0].line, 2u);
  EXPECT_EQ(p.errors[0].field, "line");
  EXPECT_EQ(p.errors[0].code, "invalid");
  EXPECT_EQ(p.errors[1].line, 3u);
  EXPECT_EQ(p.errors[1].field, "line");
  ASSERT_EQ(p.records.size(), 1u);
  EXPECT_EQ(p.lines[0], 4u);
}

TEST(CdrCsv, WrongFieldCountIsColumns) {
  const std::string body = header + "\n" + "a,2026-11-02T09:15:03+09:00,0120123456,,,,,0\n" +  // 8 fields
                           row{}.csv() + ",extra\n" +                                          // 10 fields
                           row{}.csv() + ",\n";                                                // trailing comma: 10
  const parsed_batch p = csv_ok(body);
  ASSERT_EQ(p.errors.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(p.errors[i].line, i + 2);
    EXPECT_EQ(p.errors[i].field, "line");
    EXPECT_EQ(p.errors[i].code, "columns");
  }
  EXPECT_NE(p.errors[0].message.find("8"), std::string::npos) << p.errors[0].message;
  EXPECT_NE(p.errors[1].message.find("10"), std::string::npos) << p.errors[1].message;
}

TEST(CdrRules, CallId) {
  row r;
  r.call_id = "";
  expect_error(r, "call_id", "missing");
  r.call_id = std::string(65, 'a');
  expect_error(r, "call_id", "invalid");
  r.call_id = "a/b";
  expect_error(r, "call_id", "invalid");
  r.call_id = "a b";
  expect_error(r, "call_id", "invalid");
  r.call_id = "\xE5\x91\xBC";  // 呼
  expect_error(r, "call_id", "invalid");
  r.call_id = std::string(64, 'a');
  expect_good(r);
  r.call_id = "Az09._:-";
  expect_good(r);
}

TEST(CdrRules, Start) {
  row r;
  r.start = "";
  expect_error(r, "start", "missing");
  r.start = "2026-11-02 09:15:03";
  expect_error(r, "start", "invalid");
  r.start = "2026-11-02T09:15:03";  // no offset
  expect_error(r, "start", "invalid");
  r.start = "2026-02-30T09:15:03+09:00";
  expect_error(r, "start", "invalid");
  r.start = "yesterday";
  expect_error(r, "start", "invalid");
}

TEST(CdrRules, FutureMeansMoreThanFiveMinutesAhead) {
  row r;
  r.start = "2026-11-25T12:05:00+09:00";  // exactly now + 300 s
  expect_good(r);
  r.start = "2026-11-25T03:05:00Z";  // the same instant in UTC
  expect_good(r);
  r.start = "2026-11-25T12:05:01+09:00";  // now + 301 s
  expect_error(r, "start", "future");
  r.start = "2026-11-25T03:05:01Z";
  expect_error(r, "start", "future");
  r.start = "2026-11-24T22:05:01-05:00";  // now + 301 s from New York
  expect_error(r, "start", "future");
}

TEST(CdrRules, AnyOffsetIsTheSameInstant) {
  row a, b, c;
  a.call_id = "a";
  a.start = "2026-12-31T15:30:00Z";
  b.call_id = "b";
  b.start = "2027-01-01T00:30:00+09:00";
  c.call_id = "c";
  c.start = "2026-12-31T10:30:00-0500";
  const parsed_batch p = csv_ok(header + "\n" + a.csv() + "\n" + b.csv() + "\n" + c.csv() + "\n");
  // The 'now' of this file is November 2026, so allow the future for this one check.
  ASSERT_TRUE(p.records.empty());
  const auto r = parse_csv(header + "\n" + a.csv() + "\n" + b.csv() + "\n" + c.csv() + "\n", now + 86400 * 60);
  const parsed_batch& q = std::get<parsed_batch>(r);
  ASSERT_EQ(q.records.size(), 3u);
  EXPECT_EQ(q.records[0].start, q.records[1].start);
  EXPECT_EQ(q.records[0].start, q.records[2].start);
  EXPECT_EQ(to_jst(q.records[0].start).date, (civil_date{2027, 1, 1}));
  EXPECT_EQ(to_jst(q.records[0].start).hour, 0);
}

TEST(CdrRules, An) {
  row r;
  r.an = "";
  expect_error(r, "an", "missing");
  r.an = "0120-123-456";  // the feed sends digits
  expect_error(r, "an", "invalid");
  r.an = "012012345";
  expect_error(r, "an", "invalid");
  r.an = "0312345678";
  expect_error(r, "an", "invalid");
  r.an = "08001234567";
  expect_good(r);
  r.an = "0570123456";
  expect_good(r);
}

TEST(CdrRules, DnAndCaller) {
  row r;
  r.dn = "";
  expect_good(r);
  r.dn = "03-1234-5678";
  expect_error(r, "dn", "invalid");
  r.dn = std::string(21, '1');
  expect_error(r, "dn", "invalid");
  r.dn = "0312345678";
  r.caller = "";
  expect_good(r);
  r.caller = "+81312345678";
  expect_error(r, "caller", "invalid");
  r.caller = "0312345678x";
  const line_error e = only_error(r);
  EXPECT_EQ(e.field, "caller");
  EXPECT_EQ(e.message.find("0312345678"), std::string::npos) << "caller numbers are never echoed: " << e.message;
}

TEST(CdrRules, Prefectures) {
  row r;
  r.origin_pref = "13";
  r.dest_pref = "00";
  expect_good(r);
  r.origin_pref = "47";
  expect_good(r);
  r.origin_pref = "48";
  expect_error(r, "origin_pref", "out_of_range");
  r.origin_pref = "99";
  expect_error(r, "origin_pref", "out_of_range");
  r.origin_pref = "1";
  expect_error(r, "origin_pref", "invalid");
  r.origin_pref = "013";
  expect_error(r, "origin_pref", "invalid");
  r.origin_pref = "ab";
  expect_error(r, "origin_pref", "invalid");
  r.origin_pref = "";
  r.dest_pref = "50";
  expect_error(r, "dest_pref", "out_of_range");
  r.dest_pref = "x";
  expect_error(r, "dest_pref", "invalid");
}

TEST(CdrRules, PrefectureDerivation) {
  auto one = [](const row& r) {
    const parsed_batch p = csv_ok(header + "\n" + r.csv() + "\n");
    EXPECT_EQ(p.records.size(), 1u);
    return p.records.empty() ? cdr{} : p.records[0];
  };
  row r;
  r.caller = "0112345678";  // Sapporo
  r.dn = "0922345678";      // Fukuoka
  EXPECT_EQ(one(r).origin_pref, 1);
  EXPECT_EQ(one(r).dest_pref, 40);
  r.origin_pref = "00";  // given wins, even "unknown"
  r.dest_pref = "27";
  EXPECT_EQ(one(r).origin_pref, 0);
  EXPECT_EQ(one(r).dest_pref, 27);
  r.origin_pref = r.dest_pref = "";
  r.caller = "";         // withheld
  r.dn = "09012345678";  // mobile
  EXPECT_EQ(one(r).origin_pref, 0);
  EXPECT_EQ(one(r).dest_pref, 0);
  r.caller = "05012345678";  // IP
  r.dn = "0988234567";       // Naha
  EXPECT_EQ(one(r).origin_pref, 0);
  EXPECT_EQ(one(r).dest_pref, 47);
}

TEST(CdrRules, Duration) {
  row r;
  r.duration_s = "";
  expect_error(r, "duration_s", "missing");
  r.duration_s = "1.5";
  expect_error(r, "duration_s", "invalid");
  r.duration_s = "abc";
  expect_error(r, "duration_s", "invalid");
  r.duration_s = "-1";
  expect_error(r, "duration_s", "out_of_range");
  r.duration_s = "86401";
  expect_error(r, "duration_s", "out_of_range");
  r.duration_s = "99999999999999999999999";
  expect_error(r, "duration_s", "out_of_range");
  r.duration_s = "86400";
  expect_good(r);
  r.duration_s = "0";
  expect_good(r);
}

TEST(CdrRules, Result) {
  row r;
  r.result = "";
  expect_error(r, "result", "missing");
  r.result = "ok";
  expect_error(r, "result", "invalid");
  for (const char* name :
       {"busy", "no_answer", "abandoned", "out_of_hours", "area_restricted", "congestion", "other"}) {
    r.result = std::string(name);
    r.duration_s = std::string("0");  // (assigning literals here trips GCC 12's -Wrestrict false positive)
    expect_good(r);
  }
}

TEST(CdrRules, DurationOnlyOnCompletedCalls) {
  row r;
  r.result = "busy";
  r.duration_s = "12";
  const line_error e = only_error(r);
  EXPECT_EQ(e.field, "duration_s");
  EXPECT_EQ(e.code, "inconsistent");
  r.duration_s = "0";
  expect_good(r);
  r.result = "completed";  // a completed call may have 0 seconds
  expect_good(r);
}

TEST(CdrRules, OnlyTheFirstErrorOfALine) {
  row r;
  r.call_id = "bad id";
  r.an = "123";
  r.result = "nope";
  const line_error e = only_error(r);
  EXPECT_EQ(e.field, "call_id");

  row s;
  s.an = "123";
  s.duration_s = "-4";
  EXPECT_EQ(only_error(s).field, "an");
}

TEST(CdrCsv, GoodLinesAreKeptBesideBadOnes) {
  row good1, bad, good2;
  good1.call_id = "g1";
  bad.an = "";
  good2.call_id = "g2";
  good2.result = "no_answer";
  good2.duration_s = "0";
  const parsed_batch p = csv_ok(header + "\n" + good1.csv() + "\n" + bad.csv() + "\n" + good2.csv() + "\n");
  ASSERT_EQ(p.records.size(), 2u);
  EXPECT_EQ(p.records[0].call_id, "g1");
  EXPECT_EQ(p.records[1].call_id, "g2");
  EXPECT_EQ(p.lines, (std::vector<std::size_t>{2, 4}));
  ASSERT_EQ(p.errors.size(), 1u);
  EXPECT_EQ(p.errors[0].line, 3u);
  EXPECT_EQ(p.errors[0].field, "an");
  EXPECT_EQ(p.errors[0].code, "missing");
}

// ---- NDJSON ----

const std::string good_json =
    R"({"call_id":"n1","start":"2026-11-02T09:15:03+09:00","an":"0120123456","dn":"0312345678","caller":"0662345678","origin_pref":"","dest_pref":"","duration_s":30,"result":"completed"})";

TEST(CdrNdjson, ParsesRecordsAndNumbersLinesFromOne) {
  std::string second = good_json;
  second.replace(second.find("\"n1\""), 4, "\"n2\"");
  second.replace(second.find("30"), 2, "\"31\"");  // duration_s as a string
  const parsed_batch p = parse_ndjson(good_json + "\n\n" + second + "\r\n", now);
  ASSERT_EQ(p.records.size(), 2u) << (p.errors.empty() ? "" : p.errors[0].message);
  EXPECT_EQ(p.lines, (std::vector<std::size_t>{1, 3}));
  EXPECT_EQ(p.records[0].call_id, "n1");
  EXPECT_EQ(p.records[0].duration_s, 30u);
  EXPECT_EQ(p.records[0].origin_pref, 27);
  EXPECT_EQ(p.records[0].dest_pref, 13);
  EXPECT_EQ(p.records[1].duration_s, 31u);
}

line_error json_error(const std::string& line) {
  const parsed_batch p = parse_ndjson(line, now);
  EXPECT_TRUE(p.records.empty()) << line;
  if (p.errors.size() != 1) {
    ADD_FAILURE() << "expected one error for " << line;
    return {};
  }
  EXPECT_EQ(p.errors[0].line, 1u);
  return p.errors[0];
}

std::string with(const std::string& key, const std::string& json_value) {
  std::string s = good_json;
  const std::string k = "\"" + key + "\":";
  const std::size_t at = s.find(k) + k.size();
  std::size_t end = at;
  if (s[at] == '"') {
    end = s.find('"', at + 1) + 1;
  } else {
    while (s[end] != ',' && s[end] != '}') ++end;
  }
  return s.replace(at, end - at, json_value);
}

std::string without(const std::string& key) {
  std::string s = good_json;
  const std::size_t at = s.find("\"" + key + "\":");
  const std::size_t comma = s.find(',', at);
  if (comma == std::string::npos) return s.erase(at - 1, s.size() - 1 - (at - 1));  // the last key
  return s.erase(at, comma - at + 1);
}

TEST(CdrNdjson, FieldRules) {
  auto expect = [](const std::string& line, const char* field, const char* code) {
    const line_error e = json_error(line);
    EXPECT_EQ(e.field, field) << line;
    EXPECT_EQ(e.code, code) << line << " -> " << e.message;
  };
  expect(without("call_id"), "call_id", "missing");
  expect(with("call_id", "null"), "call_id", "missing");
  expect(with("call_id", "12"), "call_id", "invalid");  // numbers are not strings
  expect(with("an", "120123456"), "an", "invalid");
  expect(with("an", "\"\""), "an", "missing");
  expect(with("start", "\"2026-11-02\""), "start", "invalid");
  expect(with("start", "\"2026-11-25T12:05:01+09:00\""), "start", "future");
  expect(with("dn", "312345678"), "dn", "invalid");
  expect(with("caller", "[\"0312345678\"]"), "caller", "invalid");
  expect(with("origin_pref", "13"), "origin_pref", "invalid");
  expect(with("origin_pref", "\"48\""), "origin_pref", "out_of_range");
  expect(with("duration_s", "-3"), "duration_s", "out_of_range");
  expect(with("duration_s", "\"-3\""), "duration_s", "out_of_range");
  expect(with("duration_s", "1.5"), "duration_s", "invalid");
  expect(with("duration_s", "true"), "duration_s", "invalid");
  expect(with("duration_s", "{}"), "duration_s", "invalid");
  expect(with("duration_s", "86401"), "duration_s", "out_of_range");
  expect(without("duration_s"), "duration_s", "missing");
  expect(with("result", "\"ok\""), "result", "invalid");
  expect(without("result"), "result", "missing");
  expect(with("result", "\"busy\""), "duration_s", "inconsistent");
}

TEST(CdrNdjson, OptionalFieldsMayBeAbsentOrNull) {
  for (const std::string& line : {without("dn"), with("dn", "null"), without("origin_pref"), with("caller", "null")}) {
    const parsed_batch p = parse_ndjson(line, now);
    EXPECT_EQ(p.records.size(), 1u) << line;
    EXPECT_TRUE(p.errors.empty()) << line;
  }
  const parsed_batch withheld = parse_ndjson(with("caller", "null"), now);
  ASSERT_EQ(withheld.records.size(), 1u);
  EXPECT_EQ(withheld.records[0].caller, "");
  EXPECT_EQ(withheld.records[0].origin_pref, 0);
}

TEST(CdrNdjson, UnknownKeysAreIgnored) {
  std::string line = good_json;
  line.insert(1, R"("note":{"x":[1,2,{"an":"bad"}]},"extra":"x",)");
  const parsed_batch p = parse_ndjson(line, now);
  ASSERT_EQ(p.records.size(), 1u);
  EXPECT_EQ(p.records[0].an, "0120123456");
}

TEST(CdrNdjson, UnreadableLinesAreJsonErrors) {
  for (const std::string line :
       {"{", "not json", "{\"call_id\":\"a\"} {}", "[1,2]", "\"a string\"", "42", "{\"call_id\":\"\xff\"}"}) {
    const line_error e = json_error(line);
    EXPECT_EQ(e.field, "line") << line;
    EXPECT_EQ(e.code, "json") << line;
  }
  // A JSON error does not stop the batch, and line numbers count blank lines.
  const parsed_batch p = parse_ndjson("oops\n\n" + good_json + "\n{\n", now);
  ASSERT_EQ(p.records.size(), 1u);
  EXPECT_EQ(p.lines[0], 3u);
  ASSERT_EQ(p.errors.size(), 2u);
  EXPECT_EQ(p.errors[0].line, 1u);
  EXPECT_EQ(p.errors[1].line, 4u);
}

TEST(CdrNdjson, EmptyBody) {
  const parsed_batch p = parse_ndjson("", now);
  EXPECT_TRUE(p.records.empty());
  EXPECT_TRUE(p.errors.empty());
}

}  // namespace
}  // namespace cxs::domain

namespace cxs::domain {
namespace {

// The NDJSON fast path must read exactly what nlohmann reads, and leave to it whatever it
// cannot read. Compare both paths over many variants of a line.
TEST(CdrNdjson, FastPathAgreesWithTheGeneralParser) {
  std::vector<std::string> lines = {
      good_json,
      " \t" + good_json + " \t",
      "{}",
      "{ }",
      "{\"call_id\":\"a\"}",
      with("duration_s", "0"),
      with("duration_s", "-0"),
      with("duration_s", "007"),
      with("duration_s", "1e2"),
      with("duration_s", "30.0"),
      with("duration_s", "-12"),
      with("duration_s", "12345678901234567890123"),
      with("duration_s", "\"30\""),
      with("duration_s", "null"),
      with("duration_s", "nul"),
      with("duration_s", "nullx"),
      with("duration_s", "true"),
      with("duration_s", "[]"),
      with("an", "120"),
      with("an", "\"0120\\u0031\""),
      with("call_id", "\"caf\xC3\xA9\""),
      with("call_id", "\"bad\xff\""),
      with("call_id", "\"tab\there\""),
      with("call_id", "\"\""),
      "{\"call_\\u0069d\":\"z\",\"start\":\"2026-11-02T09:15:03+09:00\",\"an\":\"0120123456\",\"duration_s\":0,"
      "\"result\":\"busy\"}",
      "{\"call_id\":\"a\",}",
      "{\"call_id\" \"a\"}",
      "{\"call_id\":\"a\"",
      "{\"call_id\":\"a\"} x",
      "{\"call_id\":\"a\",\"call_id\":\"b\",\"start\":\"2026-11-02T09:15:03Z\",\"an\":\"0570123456\",\"duration_s\":0,"
      "\"result\":\"other\"}",
      "[]",
      "null",
      "",
  };
  for (std::size_t cut = 1; cut < good_json.size(); cut += 7) lines.push_back(good_json.substr(0, cut));
  for (const std::string& line : lines) {
    const parsed_batch fast = parse_ndjson(line, now);
    const parsed_batch slow = detail::parse_ndjson_general(line, now);
    ASSERT_EQ(fast.records.size(), slow.records.size()) << line;
    ASSERT_EQ(fast.errors.size(), slow.errors.size()) << line;
    for (std::size_t i = 0; i < fast.records.size(); ++i) {
      const cdr &a = fast.records[i], &b = slow.records[i];
      EXPECT_EQ(a.call_id, b.call_id) << line;
      EXPECT_EQ(a.start, b.start) << line;
      EXPECT_EQ(a.an, b.an) << line;
      EXPECT_EQ(a.dn, b.dn) << line;
      EXPECT_EQ(a.caller, b.caller) << line;
      EXPECT_EQ(a.origin_pref, b.origin_pref) << line;
      EXPECT_EQ(a.dest_pref, b.dest_pref) << line;
      EXPECT_EQ(a.duration_s, b.duration_s) << line;
      EXPECT_EQ(a.result, b.result) << line;
    }
    for (std::size_t i = 0; i < fast.errors.size(); ++i) {
      EXPECT_EQ(fast.errors[i].field, slow.errors[i].field) << line;
      EXPECT_EQ(fast.errors[i].code, slow.errors[i].code) << line;
      EXPECT_EQ(fast.errors[i].message, slow.errors[i].message) << line;
    }
  }
}

}  // namespace
}  // namespace cxs::domain
