#pragma once
// How bad input is quoted back in error messages: printable ASCII only and briefly, because
// messages go into JSON answers and must stay valid UTF-8 whatever bytes a client sent. Never
// used for caller numbers or DNs.

#include <cstddef>
#include <string>
#include <string_view>

namespace cxs::domain {

// 'value' in single quotes, other bytes as '?', cut after `limit` characters with "...".
std::string shown(std::string_view value, std::size_t limit = 40);

}  // namespace cxs::domain
