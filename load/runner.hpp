#pragma once
// One cxs-load run: set-up (registry entries, accounts, seed calls and sessions, not measured),
// the open-loop run of the planned operations, and the end (sessions logged out), reported as a
// run_report. The operations are chains of HTTP requests and mail waits driven by callbacks on
// one thread (load/http_client.hpp), so a slow answer never delays another operation's start.

#include <iosfwd>
#include <memory>
#include <string>
#include <variant>

#include "load/options.hpp"
#include "load/report.hpp"

namespace cxs::load {

struct setup_failure {
  std::string message;
};

// Runs everything; progress lines go to `log`. A set-up that cannot be completed (the token is
// refused, an account cannot be created or logged in, …) is a setup_failure naming what failed.
std::variant<run_report, setup_failure> run_load(const load_options& options, std::ostream& log);

}  // namespace cxs::load
