#include "actors/mail_transport.hpp"

#include <curl/curl.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <system_error>

namespace cxs::actors {

std::string bare_address(const std::string& mailbox) {
  auto lt = mailbox.rfind('<');
  auto gt = mailbox.rfind('>');
  if (lt != std::string::npos && gt != std::string::npos && gt > lt) return mailbox.substr(lt + 1, gt - lt - 1);
  return mailbox;
}

namespace {

class outbox_transport final : public mail_transport {
 public:
  explicit outbox_transport(std::string folder) : folder_(std::move(folder)) {}

  delivery_result deliver(const std::string&, const std::string&, const std::string& message,
                          const std::string& name) override {
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::create_directories(folder_, ec);
    if (ec) return {false, false, "cannot create the outbox folder: " + ec.message()};
    // Written under a hidden name and renamed: a reader never sees half a message.
    auto final_path = fs::path(folder_) / (name + ".eml");
    auto tmp_path = fs::path(folder_) / ("." + name + ".tmp");
    {
      std::ofstream out(tmp_path, std::ios::binary | std::ios::trunc);
      out.write(message.data(), static_cast<std::streamsize>(message.size()));
      out.flush();
      if (!out) return {false, false, "cannot write to the outbox folder"};
    }
    fs::rename(tmp_path, final_path, ec);
    if (ec) return {false, false, "cannot rename into the outbox folder: " + ec.message()};
    return {true, false, {}};
  }

 private:
  std::string folder_;
};

struct upload_source {
  const std::string* text;
  std::size_t offset = 0;
};

std::size_t read_chunk(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* src = static_cast<upload_source*>(user);
  auto n = std::min(size * count, src->text->size() - src->offset);
  // libcurl takes n bytes, not a C string: nothing here is null-terminated by design.
  std::memcpy(buffer, src->text->data() + src->offset, n);  // NOLINT(bugprone-not-null-terminated-result)
  src->offset += n;
  return n;
}

class smtp_transport final : public mail_transport {
 public:
  explicit smtp_transport(smtp_settings s) : s_(std::move(s)) {}

  delivery_result deliver(const std::string& envelope_from, const std::string& to, const std::string& message,
                          const std::string&) override {
    CURL* curl = curl_easy_init();
    if (!curl) return {false, false, "curl_easy_init failed"};
    curl_slist* rcpt = curl_slist_append(nullptr, ("<" + to + ">").c_str());
    upload_source src{&message};
    curl_easy_setopt(curl, CURLOPT_URL, s_.url.c_str());
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, ("<" + envelope_from + ">").c_str());
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_chunk);
    curl_easy_setopt(curl, CURLOPT_READDATA, &src);
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 60L);
    long use_ssl = s_.starttls == "always" ? CURLUSESSL_ALL : s_.starttls == "never" ? CURLUSESSL_NONE : CURLUSESSL_TRY;
    curl_easy_setopt(curl, CURLOPT_USE_SSL, use_ssl);
    // libcurl verifies the server's certificate and name by default; said here so no one turns it off.
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!s_.ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, s_.ca_file.c_str());
    if (!s_.user.empty()) {
      curl_easy_setopt(curl, CURLOPT_USERNAME, s_.user.c_str());
      curl_easy_setopt(curl, CURLOPT_PASSWORD, s_.password.c_str());
    }
    char error_text[CURL_ERROR_SIZE] = {0};
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_text);
    auto rc = curl_easy_perform(curl);
    long smtp_code = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &smtp_code);
    curl_slist_free_all(rcpt);
    curl_easy_cleanup(curl);
    if (rc == CURLE_OK) return {true, false, {}};
    delivery_result r;
    r.permanent = smtp_code >= 500 && smtp_code < 600;
    r.error = std::string(curl_easy_strerror(rc)) + (error_text[0] ? std::string(": ") + error_text : std::string()) +
              (smtp_code ? " (SMTP " + std::to_string(smtp_code) + ")" : std::string());
    return r;
  }

 private:
  smtp_settings s_;
};

}  // namespace

std::unique_ptr<mail_transport> make_outbox_transport(std::string folder) {
  return std::make_unique<outbox_transport>(std::move(folder));
}

std::unique_ptr<mail_transport> make_smtp_transport(smtp_settings settings) {
  curl_global_init(CURL_GLOBAL_DEFAULT);  // idempotent; the server makes one transport at start
  return std::make_unique<smtp_transport>(std::move(settings));
}

}  // namespace cxs::actors
