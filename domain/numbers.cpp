#include "domain/numbers.hpp"

#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>

namespace cxs::domain {

std::string strip_hyphens(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (const char c : s)
    if (c != '-') out.push_back(c);
  return out;
}

bool is_all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (const char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

bool is_valid_an(std::string_view digits) {
  if (!is_all_digits(digits)) return false;
  for (const an_format& f : an_formats)
    if (digits.substr(0, f.prefix.size()) == f.prefix) return digits.size() == f.digits;
  return false;
}

bool is_valid_opid(std::string_view s) {
  if (s.size() < opid_min_length || s.size() > opid_max_length) return false;
  for (const char c : s) {
    const bool alnum = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    if (!alnum) return false;
  }
  return true;
}

bool is_valid_jp_phone(std::string_view digits) {
  // National format only: a leading 0 that is not the international prefix 010.
  if (!is_all_digits(digits) || digits.size() < jp_phone_min_digits || digits.size() > jp_phone_max_digits ||
      digits[0] != '0')
    return false;
  if (digits.substr(0, jp_international_prefix.size()) == jp_international_prefix) return false;
  using i18n::phonenumbers::PhoneNumber;
  using i18n::phonenumbers::PhoneNumberUtil;
  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();  // a process-wide singleton
  PhoneNumber number;
  if (util.Parse(std::string(digits), "JP", &number) != PhoneNumberUtil::NO_PARSING_ERROR) return false;
  return number.country_code() == 81 && util.IsValidNumberForRegion(number, "JP");
}

}  // namespace cxs::domain
