#pragma once
// Secrets the customer side hands out: unguessable tokens (sign-up links, sessions, tickets,
// CSRF, reissue links), one-time codes, and how they are kept and compared. Tokens are stored
// only as SHA-256 digests, so a copy of the database does not let anyone use them.

#include <cstddef>
#include <string>
#include <string_view>

namespace cxs::domain {

// 256 random bits from the CSPRNG (OpenSSL RAND_bytes) as 43 base64url characters, no padding.
std::string new_token();

// 64 random bits as 16 lower-case hex characters: the ID a 5xx answer and its log line share.
std::string new_request_id();
// The same form, for the IDs of what a customer creates (groups): unguessable and unique across
// accounts, so another account's ID is never found here.
std::string new_record_id();

// Six decimal digits, uniform (rejection sampling), from the CSPRNG, e.g. "048213".
std::string new_otp();

// Secrets a person reads off a page or a mail and types (SPEC §16: the PKCS#12 password, the
// download account and password): uniform characters of an alphabet without look-alikes
// (0/O, 1/l/I), by rejection sampling from the CSPRNG.
inline constexpr std::string_view readable_alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
// Lower case and digits only, for names typed into a browser's sign-in box.
inline constexpr std::string_view readable_lower_alphabet = "abcdefghijkmnpqrstuvwxyz23456789";
std::string new_readable_secret(std::size_t length, std::string_view alphabet = readable_alphabet);

// Lower-case hex SHA-256 of the token: the key under which a token is stored.
std::string token_digest(std::string_view token);

// Constant-time comparison: the time depends on neither content nor length of the secrets.
bool secrets_equal(std::string_view a, std::string_view b);

// True for a string that could be a token from new_token (43 base64url characters): anything
// else is refused before a lookup.
bool looks_like_token(std::string_view s);

}  // namespace cxs::domain
