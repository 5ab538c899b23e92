#include "load/runner.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <ctime>
#include <fstream>
#include <functional>
#include <list>
#include <ostream>
#include <random>
#include <set>
#include <unordered_set>

#include <unistd.h>

#include "load/http_client.hpp"
#include "load/mailbox.hpp"
#include "load/workload.hpp"

namespace cxs::load {

namespace {

using clock_type = std::chrono::steady_clock;
using json = nlohmann::json;
using namespace std::chrono_literals;

// The error an answer stands for: "409 session_active" (status and the API's error code),
// "503", or "transport: <libcurl's message>".
std::string error_of(const http_response& r) {
  if (r.status == 0) return "transport: " + r.transport;
  std::string code;
  auto body = json::parse(r.body, nullptr, false);
  if (body.is_object()) {
    if (auto e = body.find("error");
        e != body.end() && e->is_object() && e->contains("code") && (*e)["code"].is_string())
      code = (*e)["code"].get<std::string>();
    else if (auto es = body.find("errors"); es != body.end() && es->is_array() && !es->empty() &&
                                            (*es)[0].is_object() && (*es)[0].contains("code") &&
                                            (*es)[0]["code"].is_string())
      code = (*es)[0]["code"].get<std::string>();
  }
  return std::to_string(r.status) + (code.empty() ? "" : " " + code);
}

json parsed(const http_response& r) { return json::parse(r.body, nullptr, false); }

std::string text_of(const json& j, const char* key) {
  if (!j.is_object()) return {};
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

uint64_t count_of(const json& j, const char* key) {
  if (!j.is_object()) return 0;
  auto it = j.find(key);
  return it != j.end() && it->is_number_unsigned() ? it->get<uint64_t>() : 0;
}

int64_t now_unix() { return static_cast<int64_t>(std::time(nullptr)); }

struct account_state {
  simulated_account sim;
  std::string id;
  std::string cookie;  // "__Host-cxs_session=…", empty without a session
  std::string csrf;
  bool logging_in = false;
  unsigned in_use = 0;  // dashboards and analyses running on the session
};

struct op_run {
  operation op;
  clock_type::time_point planned;
  bool done = false;
};
using op_ptr = std::shared_ptr<op_run>;
using step_done = std::function<void(std::string error)>;  // empty: the step succeeded
using answer = std::function<void(http_response&&)>;

struct mail_waiter {
  std::string address;
  wanted what;
  clock_type::time_point deadline;
  std::function<void(std::optional<std::string>)> done;
};

class load_run {
 public:
  load_run(const load_options& o, std::ostream& log)
      : o_(o),
        log_(log),
        client_({o.cacert, o.connections, std::chrono::milliseconds(static_cast<int64_t>(o.request_timeout_s * 1000))}),
        mailbox_(o.outbox, o.mail_domain),
        rng_(o.seed) {}

  std::variant<run_report, setup_failure> run() {
    std::ifstream token_file(o_.token_file);
    std::getline(token_file, token_);
    while (!token_.empty() && (token_.back() == '\r' || token_.back() == ' ')) token_.pop_back();
    if (token_.empty()) return setup_failure{"cannot read the operator token from --token-file " + o_.token_file};
    const auto duration = std::chrono::nanoseconds(static_cast<int64_t>(o_.duration_s * 1e9));
    plan_ = open_loop_schedule(o_.rates, duration, o_.arrivals, o_.seed);
    // Call IDs and sign-up OPIDs of this run: the time tells runs apart, the process ID two runs
    // started in the same second.
    signup_tag_ = run_tag(now_unix());
    tag_ = "ld" + signup_tag_ + "-" + std::to_string(getpid());
    report_.planned_seconds = o_.duration_s;
    for (const auto& r : o_.rates) report_.operations[r.op];

    const auto setup_started = clock_type::now();
    if (auto problem = setup(); !problem.empty()) return setup_failure{problem};
    report_.setup.seconds = std::chrono::duration<double>(clock_type::now() - setup_started).count();
    log_ << "cxs-load: set-up done in " << report_.setup.seconds << " s; running " << plan_.size()
         << " operations over " << o_.duration_s << " s" << std::endl;

    run_plan(duration);
    end_sessions();
    return report_;
  }

 private:
  // ---- plumbing

  void tally(const char* listener, const std::string& route, long status) {
    ++report_.requests[{listener, route, status}];
  }

  void admin(std::string method, const std::string& path, std::string body, const std::string& content_type,
             std::string route, answer done) {
    http_request req{std::move(method), o_.admin_url + path, {"Authorization: Bearer " + token_}, std::move(body)};
    req.headers.push_back("Content-Type: " + content_type);
    client_.send(std::move(req), [this, route = std::move(route), done = std::move(done)](http_response&& r) {
      tally("admin", route, r.status);
      done(std::move(r));
    });
  }

  void customer(std::string method, const std::string& path, std::string body, const account_state* session,
                std::string route, answer done) {
    http_request req{std::move(method), o_.customer_url + path, {}, std::move(body)};
    req.headers.push_back(req.body.empty() ? "Content-Type:" : "Content-Type: application/json");
    if (session) {
      req.headers.push_back("Cookie: " + session->cookie);
      if (req.method != "GET") req.headers.push_back("X-CSRF-Token: " + session->csrf);
    }
    client_.send(std::move(req), [this, route = std::move(route), done = std::move(done)](http_response&& r) {
      tally("customer", route, r.status);
      done(std::move(r));
    });
  }

  void wait_mail(const std::string& address, wanted what, std::function<void(std::optional<std::string>)> done) {
    const auto timeout = std::chrono::milliseconds(static_cast<int64_t>(o_.mail_timeout_s * 1000));
    waiters_.push_back({address, what, clock_type::now() + timeout, std::move(done)});
  }

  // Network first, then the outbox for the operations waiting for a mail.
  void pump(clock_type::duration max_wait) {
    auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(max_wait);
    if (!waiters_.empty()) wait = std::min<std::chrono::milliseconds>(wait, 2ms);
    client_.run_once(std::max<std::chrono::milliseconds>(wait, 0ms));
    if (waiters_.empty()) return;
    const auto now = clock_type::now();
    if (now - last_mail_poll_ < 2ms) return;
    last_mail_poll_ = now;
    mailbox_.poll();
    std::vector<std::pair<std::function<void(std::optional<std::string>)>, std::optional<std::string>>> ready;
    for (auto it = waiters_.begin(); it != waiters_.end();) {
      auto found = mailbox_.take(it->address, it->what);
      if (found || now >= it->deadline) {
        ready.emplace_back(std::move(it->done), std::move(found));
        it = waiters_.erase(it);
      } else {
        ++it;
      }
    }
    for (auto& [done, found] : ready) done(std::move(found));
  }

  bool drive(const std::function<bool()>& finished, std::chrono::seconds limit) {
    const auto deadline = clock_type::now() + limit;
    while (!finished()) {
      if (clock_type::now() >= deadline) return false;
      pump(5ms);
    }
    return true;
  }

  // Runs step(i, done) for i in [0, count) with at most --setup-concurrency at once; the first
  // error stops new steps and is returned.
  std::string for_each_bounded(std::size_t count, const std::function<void(std::size_t, step_done)>& step,
                               const std::string& what) {
    std::size_t next = 0, running = 0;
    std::string first_error;
    std::function<void()> launch = [&] {
      while (running < o_.setup_concurrency && next < count && first_error.empty()) {
        const auto i = next++;
        ++running;
        step(i, [&](std::string error) {
          --running;
          if (!error.empty() && first_error.empty()) first_error = std::move(error);
          launch();
        });
      }
    };
    launch();
    if (!drive([&] { return running == 0 && (next == count || !first_error.empty()); }, 3600s))
      return what + ": not finished within an hour";
    return first_error.empty() ? std::string() : what + ": " + first_error;
  }

  // ---- set-up

  bool needs_sessions() const {
    return o_.uses(operation::login) || o_.uses(operation::dashboard) || o_.uses(operation::analysis);
  }

  std::string setup() {
    if (auto e = setup_registry(); !e.empty()) return e;
    if (auto e = setup_accounts(); !e.empty()) return e;
    if (auto e = setup_seed(); !e.empty()) return e;
    if (needs_sessions())
      if (auto e = setup_sessions(); !e.empty()) return e;
    return {};
  }

  std::string setup_registry() {
    std::string problem;
    std::set<std::string> taken;
    bool answered = false;
    admin("GET", "/admin/registry", "", "application/json", "/admin/registry", [&](http_response&& r) {
      answered = true;
      if (r.status != 200) {
        problem = "GET /admin/registry answered " + error_of(r) +
                  (r.status == 401 ? " (is --token-file the server's admin.token?)" : "");
        return;
      }
      auto doc = parsed(r);
      if (doc.is_object() && doc["opids"].is_array())
        for (const auto& entry : doc["opids"])
          if (entry.contains("ans") && entry["ans"].is_array())
            for (const auto& an : entry["ans"]) taken.insert(text_of(an, "an"));
    });
    if (!drive([&] { return answered; }, 60s)) return "GET /admin/registry did not answer";
    if (!problem.empty()) return problem;

    accounts_.resize(o_.accounts);
    for (unsigned i = 0; i < o_.accounts; ++i) {
      accounts_[i].sim = account_at(o_.prefix, o_.mail_domain, i, o_.standard_share);
      sims_.push_back(accounts_[i].sim);
    }
    for (const auto& a : sims_)
      for (const auto& an : a.ans) taken.erase(an);  // ours from an earlier run: replaced below
    for (const auto& a : sims_)
      for (const auto& an : a.ans) taken.insert(an);
    const auto signups = std::count_if(plan_.begin(), plan_.end(), [](auto& p) { return p.op == operation::signup; });
    for (unsigned n = 0; n < static_cast<unsigned>(signups); ++n)
      signups_.push_back(signup_at(o_.prefix, o_.mail_domain, signup_tag_, n, taken));

    std::vector<simulated_account> entries = sims_;
    entries.insert(entries.end(), signups_.begin(), signups_.end());
    constexpr std::size_t chunk = 2000;
    const auto chunks = (entries.size() + chunk - 1) / chunk;
    return for_each_bounded(
        chunks,
        [&](std::size_t c, step_done done) {
          std::vector<simulated_account> part(entries.begin() + c * chunk,
                                              entries.begin() + std::min(entries.size(), (c + 1) * chunk));
          admin("PATCH", "/admin/registry", registry_patch(part), "application/json", "/admin/registry",
                [done](http_response&& r) {
                  done(r.status == 200 ? std::string() : error_of(r) + " " + r.body.substr(0, 300));
                });
        },
        "PATCH /admin/registry");
  }

  std::string setup_accounts() {
    const auto registered = jst_date(now_unix(), -92);
    const bool sessions_needed = needs_sessions();
    return for_each_bounded(
        accounts_.size(),
        [&, registered, sessions_needed](std::size_t i, step_done done) {
          auto& a = accounts_[i];
          admin("GET", "/admin/accounts?q=" + a.sim.opid, "", "application/json", "/admin/accounts",
                [this, &a, done, registered, sessions_needed](http_response&& r) {
                  if (r.status != 200) return done("look-up of " + a.sim.opid + ": " + error_of(r));
                  auto found = parsed(r);
                  if (found.is_object() && found["accounts"].is_array())
                    for (const auto& acc : found["accounts"])
                      if (text_of(acc, "opid") == a.sim.opid) {
                        a.id = text_of(acc, "id");
                        a.sim.standard = text_of(acc, "plan") == "standard";
                        ++report_.setup.accounts_reused;
                        if (sessions_needed && count_of(acc, "sessions") > 0)
                          return done("account " + a.id + " (" + a.sim.opid +
                                      ") has a live session, left by a run that did not end; it ends 30 minutes "
                                      "after its last request, or use another --prefix");
                        return done({});
                      }
                  admin("POST", "/admin/accounts", account_body(a.sim, o_.password, registered), "application/json",
                        "/admin/accounts", [this, &a, done](http_response&& r) {
                          if (r.status != 201) return done("creating " + a.sim.opid + ": " + error_of(r));
                          a.id = text_of(parsed(r), "id");
                          ++report_.setup.accounts_created;
                          done({});
                        });
                });
        },
        "accounts");
  }

  std::string setup_seed() {
    constexpr unsigned batch = 10000;
    const auto batches = (o_.seed_calls + batch - 1) / batch;
    return for_each_bounded(
        batches,
        [&](std::size_t b, step_done done) {
          const auto rows = std::min<unsigned>(batch, o_.seed_calls - static_cast<unsigned>(b) * batch);
          auto body = cdr_batch(sims_, tag_ + "s", next_call_, rows, now_unix(), rng_);
          next_call_ += rows;
          admin("POST", "/admin/ingest", std::move(body), "text/csv", "/admin/ingest", [this, done](http_response&& r) {
            if (r.status != 200) return done(error_of(r));
            report_.setup.seed_rows_accepted += count_of(parsed(r), "accepted");
            done({});
          });
        },
        "seed calls");
  }

  std::string setup_sessions() {
    return for_each_bounded(
        accounts_.size(),
        [&](std::size_t i, step_done done) {
          login(accounts_[i], [this, i, done](std::string error) {
            if (error.starts_with("429"))
              error += " (start the server with higher --rate.address-per-minute and --rate.id-per-minute)";
            if (error.empty()) ++report_.setup.sessions;
            done(error.empty() ? error : "login of " + accounts_[i].id + ": " + error);
          });
        },
        "sessions");
  }

  // After the run: let running chains end, then log every session out so that the next run
  // can log the accounts in again at once.
  void end_sessions() {
    drive([&] { return client_.in_flight() == 0 && waiters_.empty(); }, 60s);
    auto error = for_each_bounded(
        accounts_.size(),
        [&](std::size_t i, step_done done) {
          auto& a = accounts_[i];
          if (a.cookie.empty()) return done({});
          logout(a, [this, done](std::string error) {
            if (error.empty()) ++report_.sessions_ended;
            done({});
          });
        },
        "logout");
    if (!error.empty()) log_ << "cxs-load: " << error << std::endl;
  }

  // ---- chains shared by set-up and operations

  void login(account_state& a, step_done done) {
    while (mailbox_.take(a.sim.email, wanted::otp)) {}  // a code left from an earlier try is stale
    customer("POST", "/api/login", json{{"id", a.id}, {"password", o_.password}}.dump(), nullptr, "/api/login",
             [this, &a, done](http_response&& r) {
               if (r.status != 200) return done(error_of(r));
               auto ticket = text_of(parsed(r), "ticket");
               if (ticket.empty()) return done("200 without a ticket");
               wait_mail(a.sim.email, wanted::otp, [this, &a, done, ticket](std::optional<std::string> code) {
                 if (!code) return done("no_mail");
                 customer("POST", "/api/login/otp", json{{"ticket", ticket}, {"code", *code}}.dump(), nullptr,
                          "/api/login/otp", [&a, done](http_response&& r) {
                            if (r.status != 200) return done(error_of(r));
                            auto csrf = text_of(parsed(r), "csrf_token");
                            if (r.set_cookie.empty() || csrf.empty()) return done("200 without a session");
                            a.cookie = r.set_cookie;
                            a.csrf = csrf;
                            done({});
                          });
               });
             });
  }

  void logout(account_state& a, step_done done) {
    customer("POST", "/api/logout", "", &a, "/api/logout", [&a, done](http_response&& r) {
      // 401: the session had already ended (idle time-out); either way there is none now.
      if (r.status != 200 && r.status != 401) return done(error_of(r));
      a.cookie.clear();
      a.csrf.clear();
      done({});
    });
  }

  // ---- the run

  void run_plan(std::chrono::nanoseconds duration) {
    const auto t0 = clock_type::now();
    const auto stop = t0 + duration + std::chrono::milliseconds(static_cast<int64_t>(o_.drain_s * 1000));
    std::size_t next = 0;
    last_end_ = t0;
    for (;;) {
      const auto now = clock_type::now();
      while (next < plan_.size() && t0 + plan_[next].at <= now) {
        start(plan_[next].op, t0 + plan_[next].at, now);
        ++next;
      }
      if (next == plan_.size() && active_.empty()) break;
      if (now >= stop) break;
      const auto until = next < plan_.size() ? t0 + plan_[next].at : stop;
      pump(std::min<clock_type::duration>(until - now, 20ms));
    }
    // Whatever still runs at the stop counts as failed.
    for (auto* r : active_) {
      r->done = true;
      ++report_.operations[r->op].errors["unfinished"];
    }
    active_.clear();
    report_.elapsed_seconds = std::chrono::duration<double>(std::max(last_end_, t0 + duration) - t0).count();
  }

  void start(operation op, clock_type::time_point planned, clock_type::time_point now) {
    auto r = std::make_shared<op_run>(op_run{op, planned});
    ++report_.operations[op].started;
    active_.insert(r.get());
    const double lag_ms = std::chrono::duration<double, std::milli>(now - planned).count();
    report_.max_start_lag_ms = std::max(report_.max_start_lag_ms, lag_ms);
    if (lag_ms > 10) ++report_.late_starts;
    switch (op) {
      case operation::login: return run_login(r);
      case operation::dashboard: return run_dashboard(r);
      case operation::analysis: return run_analysis(r);
      case operation::ingest: return run_ingest(r);
      case operation::signup: return run_signup(r);
    }
  }

  void finish(const op_ptr& r, const std::string& error) {
    if (r->done) return;  // already counted as unfinished at the stop
    r->done = true;
    active_.erase(r.get());
    const auto now = clock_type::now();
    last_end_ = std::max(last_end_, now);
    auto& s = report_.operations[r->op];
    if (error.empty()) {
      ++s.ok;
      s.latency.record(
          static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(now - r->planned).count()));
    } else {
      ++s.errors[error];
    }
  }

  // Round-robin over the accounts that satisfy `usable`.
  account_state* next_account(std::size_t& cursor, const std::function<bool(const account_state&)>& usable) {
    for (std::size_t k = 0; k < accounts_.size(); ++k) {
      auto& a = accounts_[(cursor + k) % accounts_.size()];
      if (usable(a)) {
        cursor = (cursor + k + 1) % accounts_.size();
        return &a;
      }
    }
    return nullptr;
  }

  // Login: the account's session is logged out, then it logs in again through the mailed code.
  void run_login(op_ptr r) {
    auto* a = next_account(login_cursor_, [](const account_state& a) { return !a.logging_in && a.in_use == 0; });
    if (!a) return finish(r, "no_free_account");
    a->logging_in = true;
    auto relogin = [this, r, a] {
      login(*a, [this, r, a](std::string error) {
        a->logging_in = false;
        finish(r, error);
      });
    };
    if (a->cookie.empty()) return relogin();
    logout(*a, [this, r, a, relogin](std::string error) {
      if (!error.empty()) {
        a->logging_in = false;
        return finish(r, error);
      }
      relogin();
    });
  }

  account_state* session_account() {
    return next_account(session_cursor_, [](const account_state& a) { return !a.logging_in && !a.cookie.empty(); });
  }

  // Dashboard: the four questions the dashboard page asks at once.
  void run_dashboard(op_ptr r) {
    auto* a = session_account();
    if (!a) return finish(r, "no_session_account");
    const auto paths = dashboard_paths(now_unix());
    auto remaining = std::make_shared<std::size_t>(paths.size());
    auto first_error = std::make_shared<std::string>();
    ++a->in_use;
    for (const auto& path : paths) {
      const auto route = path == "/api/me" ? "/api/me" : "/api/analytics/{name}";
      customer("GET", path, "", a, route, [this, r, a, remaining, first_error](http_response&& res) {
        if (res.status != 200 && first_error->empty()) *first_error = error_of(res);
        if (--*remaining > 0) return;
        --a->in_use;
        finish(r, *first_error);
      });
    }
  }

  void run_analysis(op_ptr r) {
    auto* a = session_account();
    if (!a) return finish(r, "no_session_account");
    ++a->in_use;
    customer("GET", analysis_path(a->sim, now_unix(), rng_), "", a, "/api/analytics/{name}",
             [this, r, a](http_response&& res) {
               --a->in_use;
               finish(r, res.status == 200 ? std::string() : error_of(res));
             });
  }

  void run_ingest(op_ptr r) {
    auto body = cdr_batch(sims_, tag_, next_call_, o_.ingest_rows, now_unix(), rng_);
    next_call_ += o_.ingest_rows;
    admin("POST", "/admin/ingest", std::move(body), "text/csv", "/admin/ingest", [this, r](http_response&& res) {
      if (res.status != 200) return finish(r, error_of(res));
      auto counts = parsed(res);
      report_.ingest_rows_accepted += count_of(counts, "accepted");
      for (const char* outcome : {"rejected", "unowned", "too_old", "duplicates"})
        if (count_of(counts, outcome) > 0) return finish(r, std::string("rows ") + outcome);
      finish(r, {});
    });
  }

  // Sign-up: the form, mail (1/3)'s link, the confirmation page's summary, the confirmation.
  void run_signup(op_ptr r) {
    if (next_signup_ >= signups_.size()) return finish(r, "no_signup_opid");
    const auto& s = signups_[next_signup_++];
    customer("POST", "/api/signup", signup_body(s, o_.password), nullptr, "/api/signup",
             [this, r, &s](http_response&& res) {
               if (res.status != 202) return finish(r, error_of(res));
               wait_mail(s.email, wanted::signup_token, [this, r](std::optional<std::string> token) {
                 if (!token) return finish(r, "no_mail");
                 customer("GET", "/api/signup/" + *token, "", nullptr, "/api/signup/{token}",
                          [this, r, token = *token](http_response&& res) {
                            if (res.status != 200) return finish(r, error_of(res));
                            customer("POST", "/api/signup/" + token + "/confirm", "", nullptr,
                                     "/api/signup/{token}/confirm", [this, r](http_response&& res) {
                                       if (res.status != 201) return finish(r, error_of(res));
                                       ++report_.signups_completed;
                                       finish(r, {});
                                     });
                          });
               });
             });
  }

  const load_options& o_;
  std::ostream& log_;
  http_client client_;
  outbox_reader mailbox_;
  std::mt19937_64 rng_;
  std::string token_;
  std::string tag_;
  std::string signup_tag_;
  std::vector<planned_start> plan_;
  std::vector<account_state> accounts_;  // sized once in set-up: chains keep references
  std::vector<simulated_account> sims_;
  std::vector<simulated_account> signups_;
  std::size_t next_signup_ = 0;
  uint64_t next_call_ = 0;
  std::size_t login_cursor_ = 0;
  std::size_t session_cursor_ = 0;
  std::list<mail_waiter> waiters_;
  clock_type::time_point last_mail_poll_{};
  std::unordered_set<op_run*> active_;
  clock_type::time_point last_end_{};
  run_report report_;
};

}  // namespace

std::variant<run_report, setup_failure> run_load(const load_options& options, std::ostream& log) {
  load_run run(options, log);
  return run.run();
}

}  // namespace cxs::load
