#include "domain/account_record.hpp"

#include "domain/messages.hpp"
#include "domain/secret.hpp"

namespace cxs::domain {

account_request request_from_application(const signup_form& f, civil_date registered) {
  account_request r;
  r.opid = f.opid;
  r.plan = f.plan;
  r.auth_method = f.auth_method;
  r.email = f.email;
  r.person = f.person;
  r.department = f.department;
  r.registered = registered;
  r.billing_an = f.billing_an;
  r.billing_phone = f.billing_phone;
  r.contractor_name = f.contractor_name;
  r.industry = f.industry;
  r.phone = f.phone;
  r.sales_code = f.sales_code;
  return r;
}

account new_account_record(const account_request& r, std::string id, uint32_t number, std::string password_hash,
                           uint16_t retention_month) {
  account a;
  a.id = std::move(id);
  a.number = number;
  a.opid = r.opid;
  a.plan = r.plan;
  a.auth_method = r.auth_method;
  a.password_hash = std::move(password_hash);
  a.email = r.email;
  a.person = r.person;
  a.department = r.department;
  a.registered = r.registered;
  a.billing_an = r.billing_an;
  a.billing_phone = r.billing_phone;
  a.contractor_name = r.contractor_name;
  a.industry = r.industry;
  a.phone = r.phone;
  a.sales_code = r.sales_code;
  a.retention_month = retention_month;
  if (a.plan == "standard") a.detailed_since = a.registered;
  return a;
}

account_changes changes_from_settings(const settings_change& change, std::optional<std::string> password_hash) {
  return {change.email, change.person, change.department, change.auth_method, std::move(password_hash), {}};
}

void apply_changes(account& a, const account_changes& c) {
  if (c.email) a.email = *c.email;
  if (c.person) a.person = *c.person;
  if (c.department) a.department = *c.department;
  if (c.auth_method) a.auth_method = *c.auth_method;
  if (c.password_hash) a.password_hash = *c.password_hash;
}

std::vector<changed_item> changed_items(const account& before, const account_changes& c) {
  std::vector<changed_item> items;
  if (c.email && *c.email != before.email) items.push_back(changed_item::email);
  if (c.password_hash) items.push_back(changed_item::password);
  if (c.auth_method && *c.auth_method != before.auth_method) items.push_back(changed_item::auth_method);
  return items;
}

std::optional<failure> recheck_own_change(const account& now, const account_changes& c) {
  if (!c.own || changed_items(now, c).empty()) return std::nullopt;
  if (c.own->verified_hash.empty()) return field_failure({{"current_password", "required", {}}});
  if (!secrets_equal(c.own->verified_hash, now.password_hash))
    return field_failure({{"current_password", "wrong_password", {}}});
  return std::nullopt;
}

std::string describe_changes(const std::vector<changed_item>& items) {
  std::string out;
  for (auto item : items) {
    switch (item) {
      case changed_item::email: out += "・メールアドレス\n"; break;
      case changed_item::password: out += "・パスワード\n"; break;
      case changed_item::auth_method: out += "・認証方式\n"; break;
      case changed_item::password_reissued: out += "・パスワード（パスワードの再発行）\n"; break;
      case changed_item::email_by_main: out += "・メールアドレス（メインIDの管理者による変更）\n"; break;
    }
  }
  if (!out.empty()) out.pop_back();
  return out;
}

std::vector<std::string> notice_addresses(const std::string& email_before, const std::string& email_now) {
  if (email_before == email_now) return {email_now};
  return {email_now, email_before};
}

mail_vars change_notice_vars(const std::string& person, const std::string& id, const std::vector<changed_item>& items,
                             int64_t when) {
  return {{"person", person},
          {"id", id},
          {"changes", describe_changes(items)},
          {"when", format_jst_readable(when, lang::ja)}};
}

}  // namespace cxs::domain
