#include "load/workload.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>

namespace cxs::load {

namespace {

std::string digits(unsigned value, int width) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%0*u", width, value);
  return buf;
}

std::string lower(std::string s) {
  for (auto& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

constexpr int64_t jst_offset = 9 * 3600;

std::string jst_timestamp(int64_t unix_seconds) {
  using namespace std::chrono;
  auto local = sys_seconds(seconds(unix_seconds + jst_offset));
  auto day = floor<days>(local);
  year_month_day ymd(day);
  hh_mm_ss hms(local - day);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02ld:%02ld:%02ld+09:00", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<long>(hms.hours().count()), static_cast<long>(hms.minutes().count()),
                static_cast<long>(hms.seconds().count()));
  return buf;
}

template <class T>
const T& pick(const std::vector<T>& from, std::mt19937_64& rng) {
  return from[std::uniform_int_distribution<std::size_t>(0, from.size() - 1)(rng)];
}

bool chance(double p, std::mt19937_64& rng) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; }

}  // namespace

simulated_account account_at(const std::string& prefix, const std::string& mail_domain, unsigned index,
                             double standard_share) {
  simulated_account a;
  a.opid = prefix + "A" + digits(index + 1, 6);
  a.email = lower(a.opid) + "@" + mail_domain;
  a.ans = {"08009" + digits(2 * index, 6), "08009" + digits(2 * index + 1, 6)};
  a.dns = {"03520" + digits(index % 100000, 5), "06620" + digits(index % 100000, 5)};
  a.standard = std::floor((index + 1) * standard_share) > std::floor(index * standard_share);
  return a;
}

simulated_account signup_at(const std::string& prefix, const std::string& mail_domain, const std::string& tag,
                            unsigned n, std::set<std::string>& taken) {
  simulated_account a;
  a.opid = prefix + "S" + tag + digits(n % 100000, 5);
  a.email = lower(a.opid) + "@" + mail_domain;
  for (unsigned k = 0; k < 1000000; ++k) {
    auto an = "08008" + digits(k, 6);
    if (taken.insert(an).second) {
      a.ans = {an};
      break;
    }
  }
  a.dns = {"03530" + digits(n % 100000, 5)};
  return a;
}

std::string run_tag(int64_t unix_seconds) {
  static constexpr char alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  auto v = static_cast<uint64_t>(unix_seconds) % (36ull * 36 * 36 * 36);
  std::string tag(4, '0');
  for (int i = 3; i >= 0; --i, v /= 36) tag[i] = alphabet[v % 36];
  return tag;
}

std::string registry_patch(const std::vector<simulated_account>& accounts) {
  nlohmann::json opids = nlohmann::json::array();
  for (const auto& a : accounts) {
    nlohmann::json ans = nlohmann::json::array();
    for (const auto& an : a.ans) ans.push_back({{"an", an}, {"dns", a.dns}});
    opids.push_back({{"opid", a.opid}, {"parent", true}, {"ans", ans}});
  }
  return nlohmann::json{{"opids", opids}}.dump();
}

std::string account_body(const simulated_account& a, const std::string& password, const std::string& registered) {
  nlohmann::json body{{"opid", a.opid},          {"plan", a.standard ? "standard" : "free"},
                      {"auth_method", "otp"},    {"password", password},
                      {"email", a.email},        {"person", "負荷 試験"},
                      {"registered", registered}};
  if (a.standard) {
    body["billing_an"] = a.ans.front();
    body["billing_phone"] = "0312345678";
  }
  return body.dump();
}

std::string signup_body(const simulated_account& a, const std::string& password) {
  return nlohmann::json{{"contractor_name", "負荷試験株式会社 " + a.opid},
                        {"industry", "情報通信業"},
                        {"phone", "03-1234-5678"},
                        {"person", "負荷 花子"},
                        {"email", a.email},
                        {"opid", a.opid},
                        {"an", a.ans.front()},
                        {"dn", a.dns.front()},
                        {"plan", "free"},
                        {"password", password},
                        {"auth_method", "otp"},
                        {"has_sales_code", false}}
      .dump();
}

std::string jst_date(int64_t unix_seconds, int days) {
  return jst_timestamp(unix_seconds + int64_t{days} * 86400).substr(0, 10);
}

std::string cdr_batch(const std::vector<simulated_account>& accounts, const std::string& tag, uint64_t first_seq,
                      unsigned rows, int64_t now_unix, std::mt19937_64& rng) {
  static const std::vector<std::string> failures = {
      "busy", "no_answer", "abandoned", "out_of_hours", "area_restricted", "congestion", "other"};
  static const std::vector<std::string> area_codes = {"03", "06", "052", "092", "011", "022", "082"};
  std::string out = "call_id,start,an,dn,caller,origin_pref,dest_pref,duration_s,result\n";
  out.reserve(out.size() + rows * 96u);
  std::uniform_int_distribution<int64_t> age(60, 7 * 86400);
  std::uniform_int_distribution<unsigned> subscriber(1000000, 9999999);
  std::lognormal_distribution<double> talk(std::log(150.0), 0.9);
  for (unsigned k = 0; k < rows; ++k) {
    const auto& a = pick(accounts, rng);
    const bool completed = chance(0.7, rng);
    std::string caller;
    if (!chance(0.1, rng)) {
      const auto& area = pick(area_codes, rng);
      caller = area + std::to_string(subscriber(rng)).substr(0, 10 - area.size());
    }
    auto seconds = completed ? std::clamp<long>(std::lround(talk(rng)), 5, 7200) : 0;
    out += tag + "-" + std::to_string(first_seq + k) + "," + jst_timestamp(now_unix - age(rng)) + "," +
           pick(a.ans, rng) + "," + (completed ? pick(a.dns, rng) : std::string()) + "," + caller + ",,," +
           std::to_string(seconds) + "," + (completed ? std::string("completed") : pick(failures, rng)) + "\n";
  }
  return out;
}

std::vector<std::string> dashboard_paths(int64_t now_unix) {
  const auto today = jst_date(now_unix);
  const auto week_ago = jst_date(now_unix, -7);
  const auto month_first = today.substr(0, 8) + "01";
  // Last month up to the same day (the page clamps to the month's end; the 28th is always there).
  using namespace std::chrono;
  year_month_day t(floor<days>(sys_seconds(seconds(now_unix + jst_offset))));
  auto last = t.year() / t.month() / 1d - months(1);
  char lm_from[16], lm_to[16];
  std::snprintf(lm_from, sizeof lm_from, "%04d-%02u-01", static_cast<int>(last.year()),
                static_cast<unsigned>(last.month()));
  std::snprintf(lm_to, sizeof lm_to, "%04d-%02u-%02u", static_cast<int>(last.year()),
                static_cast<unsigned>(last.month()), std::min(static_cast<unsigned>(t.day()), 28u));
  return {"/api/me", "/api/analytics/traffic",
          "/api/analytics/compare?from=" + today + "&to=" + today + "&b_from=" + week_ago + "&b_to=" + week_ago +
              "&granularity=hour",
          "/api/analytics/compare?from=" + month_first + "&to=" + today + "&b_from=" + lm_from + "&b_to=" + lm_to};
}

std::string analysis_path(const simulated_account& a, int64_t now_unix, std::mt19937_64& rng) {
  static const std::vector<std::string> basic = {"traffic", "traffic", "traffic", "compare", "incomplete"};
  static const std::vector<std::string> detailed = {"origin",  "destination", "origin-destination", "numbers",
                                                    "callers", "lines",       "distribution",       "calls-minutes"};
  static const std::vector<int> periods = {0, 6, 30, 91};
  const auto name = a.standard && chance(0.5, rng) ? pick(detailed, rng) : pick(basic, rng);
  const auto today = jst_date(now_unix);
  // The detailed window is shorter than the basic one: keep detailed questions within a month.
  int back = pick(periods, rng);
  if (name != "traffic" && name != "compare" && name != "incomplete") back = std::min(back, 30);
  if (name == "calls-minutes") back = 0;
  std::string q = "from=" + jst_date(now_unix, -back) + "&to=" + today;
  if (name == "calls-minutes")
    q += "&granularity=minute";
  else if (name == "traffic")
    q += back == 0 ? "&granularity=hour" : back > 60 && chance(0.3, rng) ? "&granularity=month" : "&granularity=day";
  if (name == "compare") q += "&b_from=" + jst_date(now_unix, -2 * back - 1) + "&b_to=" + jst_date(now_unix, -back - 1);
  if (chance(0.4, rng)) q += "&an=" + pick(a.ans, rng);
  if (chance(0.25, rng)) q += "&weekday=mon,tue,wed,thu,fri";
  if (chance(0.25, rng)) q += "&hours=9-18";
  if (a.standard && chance(0.2, rng)) q += "&dn=" + pick(a.dns, rng);
  return "/api/analytics/" + name + "?" + q;
}

}  // namespace cxs::load
