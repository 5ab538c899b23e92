#include "storage/keys.hpp"

#include <cstdio>

namespace cxs::storage {

void append_u16(std::string& out, uint16_t v) {
  out.push_back(static_cast<char>(v >> 8));
  out.push_back(static_cast<char>(v));
}
void append_u32(std::string& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>(v >> shift));
}
void append_u64(std::string& out, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>(v >> shift));
}
uint16_t read_u16(std::string_view in, std::size_t at) {
  return static_cast<uint16_t>((static_cast<unsigned char>(in[at]) << 8) | static_cast<unsigned char>(in[at + 1]));
}
uint32_t read_u32(std::string_view in, std::size_t at) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(in[at + i]);
  return v;
}
uint64_t read_u64(std::string_view in, std::size_t at) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<unsigned char>(in[at + i]);
  return v;
}

std::string traffic_key(uint32_t account, uint16_t month, uint32_t hour, uint16_t an_index) {
  std::string k;
  k.reserve(12);
  append_u32(k, account);
  append_u16(k, month);
  append_u32(k, hour);
  append_u16(k, an_index);
  return k;
}

traffic_key_parts parse_traffic_key(std::string_view key) {
  return {read_u32(key, 0), read_u16(key, 4), read_u32(key, 6), read_u16(key, 10)};
}

std::string dn_traffic_key(uint32_t account, uint16_t month, uint32_t hour, uint16_t an_index, std::string_view dn) {
  std::string k = traffic_key(account, month, hour, an_index);
  k.append(dn);
  return k;
}

dn_traffic_key_parts parse_dn_traffic_key(std::string_view key) {
  if (key.size() < 13) return {};
  return {parse_traffic_key(key), key.substr(12)};
}

std::string cdr_key(uint32_t account, uint16_t month, uint8_t day, uint64_t sequence) {
  return minutes_key(account, month, day, sequence);  // the same layout
}

std::string day_prefix(uint32_t account, uint16_t month, uint8_t day) {
  std::string k;
  k.reserve(15);
  append_u32(k, account);
  append_u16(k, month);
  k.push_back(static_cast<char>(day));
  return k;
}

std::string minutes_key(uint32_t account, uint16_t month, uint8_t day, uint64_t sequence) {
  std::string k = day_prefix(account, month, day);
  append_u64(k, sequence);
  return k;
}

key_range month_range(uint32_t account, uint16_t from_month, uint16_t to_month) {
  key_range r;
  append_u32(r.begin, account);
  append_u16(r.begin, from_month);
  append_u32(r.end, account);
  append_u16(r.end, to_month);
  return r;
}

std::string account_prefix(uint32_t account) {
  std::string k;
  append_u32(k, account);
  return k;
}

key_range account_range(uint32_t account) {
  return {account_prefix(account), account_prefix(account + 1)};  // numbers count up from 1: never the last
}

std::string seen_key(std::string_view an, std::string_view call_id) {
  std::string k(an.substr(0, 11));
  k.resize(11, '\0');
  k.append(call_id);
  return k;
}

seen_key_parts parse_seen_key(std::string_view key) {
  if (key.size() <= 11) return {};
  std::string_view an = key.substr(0, 11);
  an = an.substr(0, an.find('\0'));
  return {an, key.substr(11)};
}

std::string group_key(uint32_t account, uint8_t kind, std::string_view id) {
  std::string k;
  append_u32(k, account);
  k.push_back(static_cast<char>(kind));
  k.append(id);
  return k;
}

group_key_parts parse_group_key(std::string_view key) {
  if (key.size() <= 5) return {};
  return {static_cast<uint8_t>(key[4]), key.substr(5)};
}

std::string custom_key(uint32_t account, std::string_view id) {
  std::string k;
  append_u32(k, account);
  k.append(id);
  return k;
}

std::string_view custom_key_id(std::string_view key) { return key.size() <= 4 ? std::string_view{} : key.substr(4); }

std::string ids_key(uint32_t account, uint16_t month, uint64_t sequence) {
  std::string k;
  k.reserve(14);
  append_u32(k, account);
  append_u16(k, month);
  append_u64(k, sequence);
  return k;
}

ids_key_parts parse_ids_key(std::string_view key) {
  if (key.size() < 14) return {};
  return {read_u16(key, 4), read_u64(key, 6)};
}

std::string meta_mail_key(std::string_view prefix, uint64_t seq) {
  char digits[17];
  std::snprintf(digits, sizeof digits, "%016llu", static_cast<unsigned long long>(seq));
  return std::string(prefix) + digits;
}

namespace {
std::string prefixed(std::string_view prefix, std::string_view id) {
  std::string k(prefix);
  k.append(id);
  return k;
}
}  // namespace

std::string meta_account_key(std::string_view id) { return prefixed(meta_account_prefix, id); }
std::string meta_user_key(std::string_view id) { return prefixed(meta_user_prefix, id); }
std::string meta_last_ingest_key(std::string_view id) { return prefixed(meta_last_ingest_prefix, id); }

}  // namespace cxs::storage
