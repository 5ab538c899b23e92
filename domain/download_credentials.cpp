#include "domain/download_credentials.hpp"

#include "domain/secret.hpp"

#include <nlohmann/json.hpp>

namespace cxs::domain {

new_download_pair make_download_credentials(const std::string& id, int64_t now) {
  new_download_pair out;
  out.password = new_readable_secret(download_password_length);
  out.record = {id, new_readable_secret(download_account_length, readable_lower_alphabet), token_digest(out.password),
                now};
  return out;
}

bool download_password_matches(const download_credentials& c, std::string_view password) {
  return secrets_equal(token_digest(password), c.password_digest);
}

bool looks_like_download_account(std::string_view s) {
  if (s.size() != download_account_length) return false;
  for (char c : s)
    if (readable_lower_alphabet.find(c) == std::string_view::npos) return false;
  return true;
}

std::string encode_download_credentials(const download_credentials& c) {
  return nlohmann::json{{"id", c.id}, {"account", c.account}, {"digest", c.password_digest}, {"issued", c.issued}}
      .dump();
}

std::optional<download_credentials> decode_download_credentials(std::string_view text) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object()) return std::nullopt;
  const auto str = [&](const char* k) { return j.contains(k) && j[k].is_string(); };
  if (!str("id") || !str("account") || !str("digest") || !j.contains("issued") || !j["issued"].is_number_integer())
    return std::nullopt;
  download_credentials c{j["id"].get<std::string>(), j["account"].get<std::string>(), j["digest"].get<std::string>(),
                         j["issued"].get<int64_t>()};
  if (c.id.empty() || !looks_like_download_account(c.account) || c.password_digest.size() != 64) return std::nullopt;
  return c;
}

std::string download_mail_block(const std::string& public_url, const std::string& account,
                                const std::string& password) {
  return "【電子証明書のダウンロード】\n"
         "この CX Support ID は電子証明書でログインします。ログインの前に、次のページで電子証明書を\n"
         "取得し、お使いのブラウザに取り込んでください。取り込み方法もページでご案内しています。\n\n"
         "ダウンロードURL: " +
         public_url + "/certsrv/\n" + "ダウンロードアカウント: " + account + "\n" +
         "ダウンロードパスワード: " + password + "\n\n" +
         "ダウンロードパスワードを5回続けて間違えると、30分間ご利用いただけません。\n"
         "ダウンロードアカウントとパスワードは、第三者に知られないよう大切に保管してください。\n";
}

bool download_locked(const download_failures& f, int64_t now) { return f.locked_until > now; }

download_failures locked_download(int64_t until) { return {download_lock_after, until, until - download_lock_for_s}; }

void count_wrong_download(download_failures& f, int64_t now) {
  if (f.locked_until && f.locked_until <= now) f = {};
  f.last = now;
  if (++f.in_a_row >= download_lock_after) f.locked_until = now + download_lock_for_s;
}

}  // namespace cxs::domain
