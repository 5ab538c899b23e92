// Japanese number rules: ANs, OPIDs, phone numbers (SPEC §1, §13) and, via prefecture.hpp,
// the prefecture of a phone number.
#pragma once

#include <string>
#include <string_view>

#include "domain/prefecture.hpp"

namespace cxs::domain {

// Forms accept 0120-123-456; storage and comparisons use digits only.
std::string strip_hyphens(std::string_view s);
// True for a non-empty string of ASCII digits.
bool is_all_digits(std::string_view s);

// An AN is 0120 + 6 digits or 0800 + 7 digits (toll-free, FD) or 0570 + 6 digits (navi-dial, ND).
// Takes digits only (strip hyphens first).
bool is_valid_an(std::string_view digits);

// OPID: 1–16 characters [A-Za-z0-9].
bool is_valid_opid(std::string_view s);

// A valid Japanese number in national format with its leading 0 (geographic, mobile, IP 050,
// toll-free, navi-dial…), as libphonenumber judges it for region JP. Takes digits only.
// International forms (010…, +81…) are refused: the forms ask for the national number.
bool is_valid_jp_phone(std::string_view digits);

}  // namespace cxs::domain
