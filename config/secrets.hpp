#pragma once
// Secrets kept in files of the data folder: created at first start with a CSPRNG, mode 0600,
// and never logged (only their paths are).

#include <optional>
#include <string>
#include <string_view>

namespace cxs::config {

// Reads the operator token (trimmed) from path, creating it with 32 random bytes as hex when absent.
// Empty result: error says why.
std::string load_or_create_token(const std::string& path, std::string& error);

// Reads a binary key of n bytes from path, creating it when absent (the caller-hash HMAC key).
std::string load_or_create_key(const std::string& path, std::size_t n, std::string& error);

// A self-signed ECDSA P-256 certificate (SAN localhost, 127.0.0.1, ::1) written to cert_path and
// key_path when either is absent. Returns false with error on failure.
bool ensure_self_signed_cert(const std::string& cert_path, const std::string& key_path, std::string& error);

// A new file of mode 0600 (its folders made as needed), written and synced; false with error when
// it exists already or cannot be written.
bool write_private_file(const std::string& path, std::string_view content, std::string& error);
std::optional<std::string> read_file(const std::string& path);

std::string random_bytes(std::size_t n);
std::string to_hex(std::string_view bytes);

}  // namespace cxs::config
