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
  const std::string_view head = digits.substr(0, 4);
  if (head == "0120" || head == "0570") return digits.size() == 10;
  if (head == "0800") return digits.size() == 11;
  return false;
}

bool is_valid_opid(std::string_view s) {
  if (s.empty() || s.size() > 16) return false;
  for (const char c : s) {
    const bool alnum = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    if (!alnum) return false;
  }
  return true;
}

bool is_valid_jp_phone(std::string_view digits) {
  // National format only: a leading 0 that is not the international prefix 010.
  if (!is_all_digits(digits) || digits.size() < 10 || digits.size() > 11 || digits[0] != '0') return false;
  if (digits.substr(0, 3) == "010") return false;
  using i18n::phonenumbers::PhoneNumber;
  using i18n::phonenumbers::PhoneNumberUtil;
  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();  // a process-wide singleton
  PhoneNumber number;
  if (util.Parse(std::string(digits), "JP", &number) != PhoneNumberUtil::NO_PARSING_ERROR) return false;
  return number.country_code() == 81 && util.IsValidNumberForRegion(number, "JP");
}

}  // namespace cxs::domain
