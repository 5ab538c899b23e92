// cxs-form-rules: the form rules of the C++ domain as one JSON document on stdout, which
// ./ops/cxs build writes to web/src/generated/form-rules.json for the browser's pre-checks
// (docs/web.md, "Form rules from one source"). Every message comes from domain::field_message,
// every limit from the domain's named constants, the industries from domain::industries(): the
// server stays the one source and the judge. Links cxs_domain only (no CAF, no Beast).

#include "domain/account.hpp"
#include "domain/child_users.hpp"
#include "domain/custom_upload.hpp"
#include "domain/groups.hpp"
#include "domain/numbers.hpp"
#include "domain/signup.hpp"

#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

namespace {

using cxs::domain::lang;

nlohmann::json messages() {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [field, code] : cxs::domain::field_message_keys())
    out[field][code] = {{"ja", cxs::domain::field_message(field, code, lang::ja)},
                        {"en", cxs::domain::field_message(field, code, lang::en)}};
  return out;
}

nlohmann::json limits() {
  namespace d = cxs::domain;
  return {
      {"text_max", d::text_max_length},
      {"email_max", d::email_max_length},
      {"opid", {{"min", d::opid_min_length}, {"max", d::opid_max_length}}},
      {"password", {{"min", d::password_min_length}, {"max", d::password_max_length}}},
      {"sales_code_length", d::sales_code_length},
      {"phone",
       {{"min_digits", d::jp_phone_min_digits},
        {"max_digits", d::jp_phone_max_digits},
        {"international_prefix", std::string(d::jp_international_prefix)}}},
      {"group",
       {{"name_max", d::group_name_max_length},
        {"members_max", d::group_max_members},
        {"per_kind_max", d::groups_per_kind_max}}},
      {"custom",
       {{"name_max", d::custom_name_max_length},
        {"unit_max", d::custom_unit_max_length},
        {"sets_max", d::custom_sets_max},
        {"points_max", d::custom_points_max},
        {"retention_months", d::custom_retention_months},
        {"upload_max_bytes", d::custom_upload_max_bytes}}},
      {"users", {{"max", d::children_max}}},
  };
}

nlohmann::json an_formats() {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& f : cxs::domain::an_formats)
    out.push_back({{"prefix", std::string(f.prefix)}, {"digits", f.digits}});
  return out;
}

}  // namespace

int main() try {
  const nlohmann::json rules{
      {"generated_by", "cxs-form-rules (tools/form_rules.cpp) from the C++ domain; do not edit"},
      {"messages", messages()},
      {"limits", limits()},
      {"an_formats", an_formats()},
      {"industries", cxs::domain::industries()},
  };
  std::cout << rules.dump(2) << '\n';
  return std::cout.good() ? 0 : 1;
} catch (const std::exception& e) {
  // A catalogue that cannot be exported must stop the build, with the reason.
  std::cerr << "cxs-form-rules: " << e.what() << '\n';
  return 1;
}
