#pragma once
// The download credentials of a certificate account (SPEC §16): the account and password that
// mail (3/3) — or the mail of a switch to certificate login — carries, and that the download site
// /certsrv/ asks for with HTTP Basic auth. Both are random; the password is kept only as its
// SHA-256 digest (a 93-bit random secret needs no slow hash, and Basic auth sends it with every
// request of the page). Five wrong passwords in a row lock the download account for 30 minutes.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cxs::domain {

inline constexpr std::size_t download_account_length = 12;   // of readable_lower_alphabet: 60 bits
inline constexpr std::size_t download_password_length = 16;  // of readable_alphabet: 93 bits

struct download_credentials {
  std::string id;       // the CX Support ID whose certificates it fetches
  std::string account;  // the Basic auth user name
  std::string password_digest;
  int64_t issued = 0;
};

// A fresh pair for id at `now`: the record to keep, and the password to mail (kept nowhere).
struct new_download_pair {
  download_credentials record;
  std::string password;
};
new_download_pair make_download_credentials(const std::string& id, int64_t now);

// True when the password is this record's (constant time).
bool download_password_matches(const download_credentials& c, std::string_view password);

// The shape of a download account: anything else names none and is answered at once, never kept.
bool looks_like_download_account(std::string_view s);

// One JSON object; nullopt for anything else (a damaged record is skipped and logged).
std::string encode_download_credentials(const download_credentials& c);
std::optional<download_credentials> decode_download_credentials(std::string_view text);

// The lines a mail gives of the download site (mail (3/3) and the mail of new credentials, SPEC
// §16): its URL (PUBLIC_URL/certsrv/), the account and the password, and what to do with them.
std::string download_mail_block(const std::string& public_url, const std::string& account, const std::string& password);

// Wrong download passwords of one download account in a row.
inline constexpr int download_lock_after = 5;
inline constexpr int64_t download_lock_for_s = 30 * 60;
struct download_failures {
  int in_a_row = 0;
  int64_t locked_until = 0;
  int64_t last = 0;
};
bool download_locked(const download_failures& f, int64_t now);
// Counts a wrong password at `now`; the fifth in a row locks. A lock that ran out counts afresh.
void count_wrong_download(download_failures& f, int64_t now);
// A lock read back after a restart: the row that made it, running until `until`.
download_failures locked_download(int64_t until);

}  // namespace cxs::domain
