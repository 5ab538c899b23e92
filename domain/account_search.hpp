#pragma once
// The operators' account list (SPEC §17, the /ops page): which accounts a search text names and
// how the list is paged. The list is ordered by OPID; a page ends at `limit` accounts and the
// next one starts after the last OPID shown.

#include "domain/errors.hpp"
#include "domain/filters.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace cxs::domain {

inline constexpr std::size_t account_list_default_limit = 50;
inline constexpr std::size_t account_list_max_limit = 200;

struct account_search {
  std::string text;   // trimmed; empty: every account
  std::string after;  // the OPID the previous page ended with; empty: from the first
  std::size_t limit = account_list_default_limit;
};

// From GET /admin/accounts?q=&after=&limit=; error invalid_parameter naming `limit` when it is
// not a whole number from 1 to account_list_max_limit.
expected<account_search> read_account_search(const query_params& params);

// Whether an account matches a search text: the text is in its CX Support ID or OPID (letter
// case ignored), or — when the text without hyphens and spaces is all digits — in one of its
// ANs. An empty text matches every account.
class account_matcher {
 public:
  explicit account_matcher(std::string_view text);
  bool matches(std::string_view id, std::string_view opid, const std::vector<std::string_view>& ans) const;
  // Whether the ANs can match at all (the caller may skip looking them up).
  bool looks_at_ans() const { return !digits_.empty(); }

 private:
  std::string upper_;   // the text in capitals
  std::string digits_;  // the text without hyphens and spaces, when that is all digits
};

}  // namespace cxs::domain
