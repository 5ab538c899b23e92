// Rules on free text that every form shares (SPEC §13, §18): lengths count characters, not bytes,
// and one-line fields refuse control characters.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace cxs::domain {

// Characters (code points) of UTF-8 text: every byte that does not continue a sequence.
std::size_t utf8_length(std::string_view s);

// True when s holds a C0 control character (line breaks and tabs included) or DEL.
bool has_control_chars(std::string_view s);

// Text in the given encoding as UTF-8, through glibc's iconv (a well-kept converter, not a table
// of ours): "UTF-8" checks the bytes, "CP932" is Shift_JIS as Windows writes it (with NEC and IBM
// extensions). nullopt when a byte sequence is not valid in that encoding.
std::optional<std::string> to_utf8(std::string_view bytes, const char* encoding);

}  // namespace cxs::domain
