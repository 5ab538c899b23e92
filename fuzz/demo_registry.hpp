#pragma once
// ops/demo/registry.json as the fuzz targets' registry (built once, only read).

#include "domain/registry.hpp"
#include "fuzz/fuzz_support.hpp"

namespace cxs::fuzz {

inline constexpr std::string_view demo_registry_json =
    R"({"opids":[{"opid":"DEMO0001","parent":true,"ans":[{"an":"0120111222","dns":["0352001234","0662005678",)"
    R"("0529213456"]},{"an":"0120333444","dns":["0927214567","0112227890"]},{"an":"0570555666","dns":["0222631234"]}]},)"
    R"({"opid":"SHOP0002","parent":true,"ans":[{"an":"0120222333","dns":["0362701111","0752312222"]},{"an":)"
    R"("08001234567","dns":["0783213333"]}]},{"opid":"CLINIC03","parent":true,"ans":[{"an":"0120444555","dns":[)"
    R"("0822471111"]},{"an":"0570111222","dns":["0988612222","0992243333"]}]},{"opid":"TRAVEL04","parent":true,)"
    R"("ans":[{"an":"08007654321","dns":["0452101234","0432221234"]}]},{"opid":"DEMO0001C1","parent":false,"ans":)"
    R"([{"an":"0120666777","dns":["0488301234"]}]}]})";

inline const domain::registry& demo_registry() {
  static const domain::registry reg = [] {
    auto parsed = domain::parse_registry_json(demo_registry_json);
    auto* entries = std::get_if<std::vector<domain::opid_entry>>(&parsed);
    check(entries != nullptr, "the demo registry does not parse");
    return domain::registry(*entries);
  }();
  return reg;
}

}  // namespace cxs::fuzz
