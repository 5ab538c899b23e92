#include "load/options.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <charconv>

namespace cxs::load {

bool load_options::uses(operation op) const { return rate_of(op) > 0; }

double load_options::rate_of(operation op) const {
  for (const auto& r : rates)
    if (r.op == op) return r.per_second;
  return 0;
}

std::variant<operation_rate, std::string> parse_rate(std::string_view text) {
  const std::string shown(text);
  auto colon = text.find(':');
  if (colon == std::string_view::npos)
    return "--rate '" + shown +
           "' must be OP:PER_SECOND, e.g. login:5 (OP: login, dashboard, analysis, ingest, signup)";
  auto op = operation_named(text.substr(0, colon));
  if (!op)
    return "--rate '" + shown + "': unknown operation '" + std::string(text.substr(0, colon)) +
           "'; use login, dashboard, analysis, ingest or signup";
  auto number = std::string(text.substr(colon + 1));
  double per_second = 0;
  try {
    std::size_t used = 0;
    per_second = std::stod(number, &used);
    if (used != number.size()) throw std::invalid_argument(number);
  } catch (const std::exception&) {
    return "--rate '" + shown + "': '" + number + "' is not a number of operations per second";
  }
  if (!(per_second > 0) || per_second > 100000)
    return "--rate '" + shown + "': the rate must be more than 0 and at most 100000 per second";
  return operation_rate{*op, per_second};
}

bool is_loopback_https_url(std::string_view url) {
  constexpr std::string_view scheme = "https://";
  if (!url.starts_with(scheme)) return false;
  auto rest = url.substr(scheme.size());
  std::string_view host;
  if (rest.starts_with("[")) {
    auto close = rest.find(']');
    if (close == std::string_view::npos) return false;
    host = rest.substr(1, close - 1);
  } else {
    host = rest.substr(0, rest.find_first_of(":/"));
  }
  const bool dotted_digits =
      !host.empty() && std::all_of(host.begin(), host.end(), [](char c) { return (c >= '0' && c <= '9') || c == '.'; });
  return host == "localhost" || host == "::1" || (dotted_digits && host.starts_with("127."));
}

std::string validate(const load_options& o) {
  for (const auto* url : {&o.admin_url, &o.customer_url}) {
    if (!url->starts_with("https://")) return "--admin and --customer must be https:// URLs, got '" + *url + "'";
    if (!o.allow_remote && !is_loopback_https_url(*url))
      return "'" + *url + "' is not a loopback address; cxs-load drives loopback only unless --allow-remote";
  }
  if (o.rates.empty()) return "give at least one --rate=OP:PER_SECOND (e.g. --rate=dashboard:20)";
  for (std::size_t i = 0; i < o.rates.size(); ++i)
    for (std::size_t j = i + 1; j < o.rates.size(); ++j)
      if (o.rates[i].op == o.rates[j].op) return "--rate names " + std::string(name_of(o.rates[i].op)) + " twice";
  if ((o.uses(operation::login) || o.uses(operation::signup) || o.uses(operation::dashboard) ||
       o.uses(operation::analysis)) &&
      o.outbox.empty())
    return "--outbox is needed for login, dashboard, analysis and signup (the server's mails carry the "
           "one-time passwords and the sign-up links)";
  if (o.prefix.empty() || o.prefix.size() > 6 || !std::all_of(o.prefix.begin(), o.prefix.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      }))
    return "--prefix must be 1-6 upper-case letters or digits";
  return {};
}

std::variant<load_options, parse_failure> parse_options(int argc, char** argv) {
  load_options o;
  std::vector<std::string> rate_texts;
  std::string arrivals = "uniform";
  CLI::App app{"cxs-load: an open-loop load generator for CX Support (SPEC §17)"};
  app.add_option("--admin", o.admin_url, "admin listener URL, e.g. https://127.0.0.1:9443")->required();
  app.add_option("--customer", o.customer_url, "customer listener URL, e.g. https://127.0.0.1:8443")->required();
  app.add_option("--token-file", o.token_file, "the operator token file (DATA/admin.token)")->required();
  app.add_option("--outbox", o.outbox, "the server's mail outbox folder (DATA/outbox)");
  app.add_option("--accounts", o.accounts, "simulated accounts (created or reused)")
      ->capture_default_str()
      ->check(CLI::Range(1u, 1000000u));
  app.add_option("--duration", o.duration_s, "seconds of planned starts")
      ->capture_default_str()
      ->check(CLI::Range(0.1, 86400.0));
  app.add_option("--rate", rate_texts, "OP:PER_SECOND, repeated (OP: login, dashboard, analysis, ingest, signup)")
      ->delimiter(',');
  app.add_flag("--json", o.json, "print the results as one JSON object");
  app.add_flag("--allow-remote", o.allow_remote, "allow URLs that are not loopback");
  app.add_option("--cacert", o.cacert, "verify the server's certificate against this PEM file");
  app.add_option("--connections", o.connections, "most connections per listener")
      ->capture_default_str()
      ->check(CLI::Range(1u, 4096u));
  app.add_option("--seed", o.seed, "seed of the schedule and the generated data")->capture_default_str();
  app.add_option("--arrivals", arrivals, "uniform (evenly spaced) or poisson")
      ->capture_default_str()
      ->check(CLI::IsMember({"uniform", "poisson"}));
  app.add_option("--drain", o.drain_s, "seconds running operations may take after the last start")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 600.0));
  app.add_option("--request-timeout", o.request_timeout_s, "seconds one HTTP request may take")
      ->capture_default_str()
      ->check(CLI::Range(0.1, 600.0));
  app.add_option("--mail-timeout", o.mail_timeout_s, "seconds to wait for a mail in the outbox")
      ->capture_default_str()
      ->check(CLI::Range(0.1, 600.0));
  app.add_option("--password", o.password, "password of the simulated accounts")->capture_default_str();
  app.add_option("--prefix", o.prefix, "OPID prefix of the simulated accounts and sign-ups (1-6 of A-Z 0-9)")
      ->capture_default_str();
  app.add_option("--mail-domain", o.mail_domain, "mail domain of the simulated accounts")->capture_default_str();
  app.add_option("--ingest-rows", o.ingest_rows, "CDR rows per ingest operation")
      ->capture_default_str()
      ->check(CLI::Range(1u, 1000000u));
  app.add_option("--seed-calls", o.seed_calls, "CDR rows ingested during set-up")
      ->capture_default_str()
      ->check(CLI::Range(0u, 100000000u));
  app.add_option("--standard-share", o.standard_share, "share of simulated accounts on the standard plan")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  app.add_option("--setup-concurrency", o.setup_concurrency, "set-up requests in flight")
      ->capture_default_str()
      ->check(CLI::Range(1u, 256u));
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    return parse_failure{app.help(), 0};
  } catch (const CLI::ParseError& e) {
    return parse_failure{std::string("cxs-load: ") + e.what(), 2};
  }
  for (const auto& text : rate_texts) {
    auto rate = parse_rate(text);
    if (auto* message = std::get_if<std::string>(&rate)) return parse_failure{"cxs-load: " + *message, 2};
    o.rates.push_back(std::get<operation_rate>(rate));
  }
  o.arrivals = arrivals == "poisson" ? arrival_process::poisson : arrival_process::uniform;
  if (auto problem = validate(o); !problem.empty()) return parse_failure{"cxs-load: " + problem, 2};
  return o;
}

}  // namespace cxs::load
