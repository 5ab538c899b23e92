// Japanese number rules: ANs, OPIDs, phone numbers (SPEC §1, §13) and, via prefecture.hpp,
// the prefecture of a phone number.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

#include "domain/prefecture.hpp"

namespace cxs::domain {

// Forms accept 0120-123-456; storage and comparisons use digits only.
std::string strip_hyphens(std::string_view s);
// True for a non-empty string of ASCII digits.
bool is_all_digits(std::string_view s);

// The limits below are the one place their numbers live: the checks, the form messages
// (signup.cpp) and the browser's export (tools/form_rules.cpp) all read them.

// The AN formats: a prefix and the whole length in digits, prefix included.
struct an_format {
  std::string_view prefix;
  std::size_t digits;
};
inline constexpr std::array<an_format, 3> an_formats{{{"0120", 10}, {"0800", 11}, {"0570", 10}}};

// An AN is 0120 + 6 digits or 0800 + 7 digits (toll-free, FD) or 0570 + 6 digits (navi-dial, ND):
// one of an_formats. Takes digits only (strip hyphens first).
bool is_valid_an(std::string_view digits);

// OPID: 1–16 characters [A-Za-z0-9].
inline constexpr std::size_t opid_min_length = 1, opid_max_length = 16;
bool is_valid_opid(std::string_view s);

// A Japanese number in national format: 10 or 11 digits with its leading 0; 010 is the
// international prefix, not a number.
inline constexpr std::size_t jp_phone_min_digits = 10, jp_phone_max_digits = 11;
inline constexpr std::string_view jp_international_prefix = "010";

// A valid Japanese number in national format with its leading 0 (geographic, mobile, IP 050,
// toll-free, navi-dial…), as libphonenumber judges it for region JP. Takes digits only.
// International forms (010…, +81…) are refused: the forms ask for the national number.
bool is_valid_jp_phone(std::string_view digits);

}  // namespace cxs::domain
