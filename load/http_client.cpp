#include "load/http_client.hpp"

#include <curl/curl.h>

#include <cstring>
#include <stdexcept>
#include <unordered_set>
#include <utility>

namespace cxs::load {

namespace {

struct transfer {
  CURL* easy = nullptr;
  curl_slist* headers = nullptr;
  http_request request;
  http_response response;
  http_client::callback done;
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  static_cast<transfer*>(user)->response.body.append(data, size * count);
  return size * count;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* t = static_cast<transfer*>(user);
  std::string_view line(data, size * count);
  constexpr std::string_view name = "set-cookie:";
  if (t->response.set_cookie.empty() && line.size() > name.size() &&
      strncasecmp(line.data(), name.data(), name.size()) == 0) {
    auto value = line.substr(name.size());
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    t->response.set_cookie = std::string(value.substr(0, value.find_first_of(";\r\n")));
  }
  return size * count;
}

}  // namespace

struct http_client::impl {
  client_settings settings;
  CURLM* multi = nullptr;
  CURLSH* share = nullptr;
  std::unordered_set<transfer*> live;  // owned here until finish() or the destructor

  void configure(transfer& t) {
    CURL* e = t.easy;
    curl_easy_setopt(e, CURLOPT_URL, t.request.url.c_str());
    curl_easy_setopt(e, CURLOPT_PRIVATE, &t);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(settings.timeout.count()));
    curl_easy_setopt(e, CURLOPT_SHARE, share);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, &t);
    if (settings.cacert.empty()) {
      curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
      curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
    } else {
      curl_easy_setopt(e, CURLOPT_CAINFO, settings.cacert.c_str());
    }
    // No "Expect: 100-continue" round trip before larger bodies.
    t.headers = curl_slist_append(t.headers, "Expect:");
    for (const auto& h : t.request.headers) t.headers = curl_slist_append(t.headers, h.c_str());
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, t.headers);
    if (t.request.method == "GET") {
      curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
    } else {
      curl_easy_setopt(e, CURLOPT_POSTFIELDS, t.request.body.data());
      curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(t.request.body.size()));
      if (t.request.method != "POST") curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, t.request.method.c_str());
    }
  }

  void finish(CURL* easy, CURLcode result) {
    transfer* t = nullptr;
    curl_easy_getinfo(easy, CURLINFO_PRIVATE, reinterpret_cast<char**>(&t));
    curl_multi_remove_handle(multi, easy);
    live.erase(t);
    std::unique_ptr<transfer> owned(t);
    if (result == CURLE_OK) {
      curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &owned->response.status);
    } else {
      owned->response.status = 0;
      owned->response.transport = curl_easy_strerror(result);
    }
    curl_easy_cleanup(easy);
    curl_slist_free_all(owned->headers);
    auto done = std::move(owned->done);
    done(std::move(owned->response));
  }
};

http_client::http_client(const client_settings& settings) : impl_(std::make_unique<impl>()) {
  static const bool initialised = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  if (!initialised) throw std::runtime_error("libcurl could not be initialised");
  impl_->settings = settings;
  impl_->multi = curl_multi_init();
  impl_->share = curl_share_init();
  // One thread uses them all: TLS sessions and DNS answers shared without locks.
  curl_share_setopt(impl_->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
  curl_share_setopt(impl_->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
  curl_multi_setopt(impl_->multi, CURLMOPT_MAX_HOST_CONNECTIONS, static_cast<long>(settings.connections_per_host));
  curl_multi_setopt(impl_->multi, CURLMOPT_MAXCONNECTS, static_cast<long>(settings.connections_per_host * 2));
}

http_client::~http_client() {
  // Transfers still running at the end of a run are dropped without their callbacks.
  for (transfer* t : impl_->live) {
    curl_multi_remove_handle(impl_->multi, t->easy);
    curl_easy_cleanup(t->easy);
    curl_slist_free_all(t->headers);
    delete t;
  }
  curl_multi_cleanup(impl_->multi);
  curl_share_cleanup(impl_->share);
}

void http_client::send(http_request request, callback done) {
  auto t = std::make_unique<transfer>();
  t->request = std::move(request);
  t->done = std::move(done);
  t->easy = curl_easy_init();
  impl_->configure(*t);
  curl_multi_add_handle(impl_->multi, t->easy);
  impl_->live.insert(t.release());
}

void http_client::run_once(std::chrono::milliseconds max_wait) {
  int still = 0;
  curl_multi_perform(impl_->multi, &still);
  if (max_wait.count() > 0) curl_multi_poll(impl_->multi, nullptr, 0, static_cast<int>(max_wait.count()), nullptr);
  curl_multi_perform(impl_->multi, &still);
  // Collect first: finishing a transfer may add new ones while the message queue is read.
  std::vector<std::pair<CURL*, CURLcode>> finished;
  int left = 0;
  while (CURLMsg* msg = curl_multi_info_read(impl_->multi, &left))
    if (msg->msg == CURLMSG_DONE) finished.emplace_back(msg->easy_handle, msg->data.result);
  for (auto [easy, result] : finished) impl_->finish(easy, result);
}

std::size_t http_client::in_flight() const { return impl_->live.size(); }

}  // namespace cxs::load
