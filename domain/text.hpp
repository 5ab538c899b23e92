// Rules on free text that every form shares (SPEC §13, §18): lengths count characters, not bytes,
// and one-line fields refuse control characters.
#pragma once

#include <cstddef>
#include <string_view>

namespace cxs::domain {

// Characters (code points) of UTF-8 text: every byte that does not continue a sequence.
std::size_t utf8_length(std::string_view s);

// True when s holds a C0 control character (line breaks and tabs included) or DEL.
bool has_control_chars(std::string_view s);

}  // namespace cxs::domain
