#pragma once
// Fixed-width big-endian key codecs: byte order equals numeric order, so a prefix is a range and
// one month of one account is one contiguous key range (retention drops it with DeleteRange).

#include <cstdint>
#include <string>
#include <string_view>

namespace cxs::storage {

void append_u16(std::string& out, uint16_t v);
void append_u32(std::string& out, uint32_t v);
void append_u64(std::string& out, uint64_t v);
uint16_t read_u16(std::string_view in, std::size_t at);
uint32_t read_u32(std::string_view in, std::size_t at);
uint64_t read_u64(std::string_view in, std::size_t at);

// traffic: account(4) | month(2) | hour(4) | an_index(2) -> hour_counts.
// month = year*12 + month-1 of the JST date; hour = unix seconds / 3600.
std::string traffic_key(uint32_t account, uint16_t month, uint32_t hour, uint16_t an_index);
struct traffic_key_parts {
  uint32_t account;
  uint16_t month;
  uint32_t hour;
  uint16_t an_index;
};
traffic_key_parts parse_traffic_key(std::string_view key);

// dn_traffic: account(4) | month(2) | hour(4) | an_index(2) | dn digits -> hour_counts of the
// calls to that AN that the DN took (standard plan). Months are ranges as in traffic.
std::string dn_traffic_key(uint32_t account, uint16_t month, uint32_t hour, uint16_t an_index, std::string_view dn);
struct dn_traffic_key_parts {
  traffic_key_parts cell;
  std::string_view dn;  // into the key parsed
};
// A key shorter than 13 bytes (no DN) parses as all zeros and an empty dn.
dn_traffic_key_parts parse_dn_traffic_key(std::string_view key);

// cdr: account(4) | month(2) | day(1) | sequence(8) -> a block of packed records.
std::string cdr_key(uint32_t account, uint16_t month, uint8_t day, uint64_t sequence);

// minutes and dn_minutes: account(4) | month(2) | day(1) | sequence(8) -> a block of calls by
// minute (storage/minute_block.hpp): every call without its DN in `minutes`, the calls of the
// per-DN figures with their DN in `dn_minutes`. day_prefix(account, month, day) is every block of
// one day.
std::string minutes_key(uint32_t account, uint16_t month, uint8_t day, uint64_t sequence);
std::string day_prefix(uint32_t account, uint16_t month, uint8_t day);

// The key range [begin, end) of months [from_month, to_month) of one account, in traffic,
// dn_traffic, cdr, ids or minutes.
struct key_range {
  std::string begin, end;
};
key_range month_range(uint32_t account, uint16_t from_month, uint16_t to_month);
std::string account_prefix(uint32_t account);
// Every key of one account in a column family keyed by account first.
key_range account_range(uint32_t account);

// ids: account(4) | month(2) | sequence(8) -> a block of call IDs (storage/id_block.hpp).
std::string ids_key(uint32_t account, uint16_t month, uint64_t sequence);
struct ids_key_parts {
  uint16_t month = 0;
  uint64_t sequence = 0;
};
ids_key_parts parse_ids_key(std::string_view key);  // zeros for a key shorter than 14 bytes

// groups: account(4) | kind(1: 0 = AN, 1 = DN) | group ID -> {"name","members"} as JSON
// (domain/groups.hpp). account_prefix(account) is every group of the account.
std::string group_key(uint32_t account, uint8_t kind, std::string_view id);
struct group_key_parts {
  uint8_t kind = 0;
  std::string_view id;  // into the key parsed; empty for a key of 5 bytes or fewer
};
group_key_parts parse_group_key(std::string_view key);

// custom: account(4) | set ID -> {"name","unit","points":[[t,value],…]} as JSON
// (domain/custom_data.hpp). account_prefix(account) is every set of the account.
std::string custom_key(uint32_t account, std::string_view id);
std::string_view custom_key_id(std::string_view key);  // empty for a key of 4 bytes or fewer

// seen (the former de-duplication index, read only by the migration to ids):
// an (11 bytes, NUL padded) | call_id -> month(2).
std::string seen_key(std::string_view an, std::string_view call_id);
struct seen_key_parts {
  std::string_view an, call_id;  // into the key parsed; empty for a key of 11 bytes or fewer
};
seen_key_parts parse_seen_key(std::string_view key);
// Set once the migration has moved every seen key to ids.
inline constexpr std::string_view meta_ids_migrated_key = "ids_migrated";
// The first JST day (YYYY-MM-DD) whose calls the `minutes` blocks hold (actors/minute_figures.hpp).
inline constexpr std::string_view meta_minutes_since_key = "minutes_since";

// meta: readable string keys; small and rarely written.
std::string meta_account_key(std::string_view id);
inline constexpr std::string_view meta_account_prefix = "account/";
// A child ID's record (domain/child_users.hpp), by its own ID.
std::string meta_user_key(std::string_view id);
inline constexpr std::string_view meta_user_prefix = "user/";
// When an account last stored a CDR, unix seconds in decimal, written with the CDRs (the operators'
// look-up shows it, SPEC §17): last_ingest/<account ID>.
std::string meta_last_ingest_key(std::string_view id);
inline constexpr std::string_view meta_last_ingest_prefix = "last_ingest/";
inline constexpr std::string_view meta_registry_key = "registry";
inline constexpr std::string_view meta_next_account_no_key = "next_account_no";
// The mailer's queue: mail/q/<seq> waiting for delivery, mail/failed/<seq> given up (kept for
// operators), mail/seq the last sequence number used. seq is 16 zero-padded digits, so keys sort
// in sending order.
inline constexpr std::string_view meta_mail_queue_prefix = "mail/q/";
inline constexpr std::string_view meta_mail_failed_prefix = "mail/failed/";
inline constexpr std::string_view meta_mail_seq_key = "mail/seq";
std::string meta_mail_key(std::string_view prefix, uint64_t seq);
// Sign-up applications by the SHA-256 of their token: application/<hex digest>.
inline constexpr std::string_view meta_application_prefix = "application/";
// What became of an application once it was forgotten, a week after its link's 24 hours ended
// (`expired` or `confirmed`), by the same digest: the link keeps its answer for good (SPEC §3),
// and no one's contact data is kept for it. Read only for a token not in memory.
inline constexpr std::string_view meta_link_outcome_prefix = "application_outcome/";
// Customer sessions by the SHA-256 of their cookie value (SPEC §19): session/<hex digest>.
inline constexpr std::string_view meta_session_prefix = "session/";
// Client certificates (SPEC §16) by ID and serial: cert/<ID>/<lower-case hex serial>.
inline constexpr std::string_view meta_certificate_prefix = "cert/";
// Download credentials of the certificate download site (SPEC §16) by ID: certdl/<ID>.
inline constexpr std::string_view meta_download_prefix = "certdl/";
// A running lockout of the download site (SPEC §16, §18) by the download account name as typed
// (unknown names lock too): certdl_lock/<account>, `{"until":…}` (actors/kept_records.hpp).
inline constexpr std::string_view meta_download_lock_prefix = "certdl_lock/";
// What the auth actor keeps across a restart (actors/auth_journal.hpp): an ID's lockout by the ID
// as typed, lock/<ID>; a password reissue link by the SHA-256 of its token, reissue/<hex digest>.
inline constexpr std::string_view meta_lock_prefix = "lock/";
inline constexpr std::string_view meta_reissue_prefix = "reissue/";

}  // namespace cxs::storage
