#include "domain/account_pack.hpp"

#include <cstdint>

namespace cxs::domain {
namespace {

constexpr unsigned char format_version = 1;

void put_varint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

void put_string(std::string& out, const std::string& s) {
  put_varint(out, s.size());
  out += s;
}

// Dates as year (zigzag), month, day: the unset date {} is kept as it is.
void put_date(std::string& out, civil_date d) {
  const int64_t year = d.year;
  put_varint(out, (static_cast<uint64_t>(year) << 1) ^ static_cast<uint64_t>(year >> 63));
  put_varint(out, d.month);
  put_varint(out, d.day);
}

// Reads the form front to back; any read past the end fails the whole decode.
struct reader {
  std::string_view in;
  bool ok = true;

  uint64_t varint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (in.empty()) break;
      const auto byte = static_cast<unsigned char>(in.front());
      in.remove_prefix(1);
      v |= static_cast<uint64_t>(byte & 0x7f) << shift;
      if (!(byte & 0x80)) return v;
    }
    ok = false;
    return 0;
  }
  std::string string() {
    const auto n = varint();
    if (!ok || n > in.size()) {
      ok = false;
      return {};
    }
    std::string s(in.substr(0, n));
    in.remove_prefix(n);
    return s;
  }
  civil_date date() {
    const auto zigzag = varint();
    civil_date d{};
    d.year = static_cast<int>(static_cast<int64_t>(zigzag >> 1) ^ -static_cast<int64_t>(zigzag & 1));
    d.month = static_cast<unsigned>(varint());
    d.day = static_cast<unsigned>(varint());
    return d;
  }
};

}  // namespace

std::string pack_account(const account& a) {
  std::string out;
  out.reserve(64 + a.id.size() + a.opid.size() + a.password_hash.size() + a.email.size() + a.person.size() +
              a.department.size() + 12 * a.an_order.size());
  out.push_back(static_cast<char>(format_version));
  put_varint(out, a.number);
  put_varint(out, a.retention_month);
  put_date(out, a.registered);
  put_date(out, a.detailed_since);
  for (const auto* s :
       {&a.id, &a.opid, &a.plan, &a.auth_method, &a.password_hash, &a.email, &a.person, &a.department, &a.billing_an,
        &a.billing_phone, &a.contractor_name, &a.industry, &a.phone, &a.sales_code, &a.main_id})
    put_string(out, *s);
  put_varint(out, a.an_order.size());
  for (const auto& an : a.an_order) put_string(out, an);
  out.shrink_to_fit();
  return out;
}

std::optional<account> unpack_account(std::string_view bytes) {
  if (bytes.empty() || static_cast<unsigned char>(bytes.front()) != format_version) return std::nullopt;
  reader r{bytes.substr(1)};
  account a;
  a.number = static_cast<uint32_t>(r.varint());
  a.retention_month = static_cast<uint16_t>(r.varint());
  a.registered = r.date();
  a.detailed_since = r.date();
  for (auto* s :
       {&a.id, &a.opid, &a.plan, &a.auth_method, &a.password_hash, &a.email, &a.person, &a.department, &a.billing_an,
        &a.billing_phone, &a.contractor_name, &a.industry, &a.phone, &a.sales_code, &a.main_id})
    *s = r.string();
  const auto ans = r.varint();
  if (!r.ok || ans > r.in.size()) return std::nullopt;  // each AN takes at least its length byte
  a.an_order.reserve(ans);
  for (uint64_t i = 0; i < ans && r.ok; ++i) a.an_order.push_back(r.string());
  if (!r.ok || !r.in.empty()) return std::nullopt;
  return a;
}

}  // namespace cxs::domain
