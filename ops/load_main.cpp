// build/bin/cxs-load: the open-loop load generator of SPEC §17 (docs/operations.md, "cxs-load").
// Exit codes: 0 every operation succeeded, 1 some failed, 2 usage or set-up error.

#include <iostream>
#include <variant>

#include "load/options.hpp"
#include "load/runner.hpp"

int main(int argc, char** argv) {
  auto parsed = cxs::load::parse_options(argc, argv);
  if (auto* failure = std::get_if<cxs::load::parse_failure>(&parsed)) {
    (failure->exit_code == 0 ? std::cout : std::cerr) << failure->message << std::endl;
    return failure->exit_code;
  }
  const auto& options = std::get<cxs::load::load_options>(parsed);
  auto outcome = cxs::load::run_load(options, std::cerr);
  if (auto* failure = std::get_if<cxs::load::setup_failure>(&outcome)) {
    std::cerr << "cxs-load: set-up failed: " << failure->message << std::endl;
    return 2;
  }
  const auto& report = std::get<cxs::load::run_report>(outcome);
  std::cout << (options.json ? cxs::load::render_json(report) + "\n" : cxs::load::render_text(report));
  return report.any_failed() ? 1 : 0;
}
