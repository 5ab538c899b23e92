#pragma once
// How an account record comes to be and how it changes: from a validated request (an
// operator's, or a confirmed sign-up application's form) and by its owner's settings. One place
// copies the fields, so a new field is added once.

#include "domain/account.hpp"
#include "domain/mail_texts.hpp"
#include "domain/settings.hpp"
#include "domain/signup.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cxs::domain {

// The account a confirmed application asks for, registered on the day it is confirmed. The
// password stays empty: the application holds only its hash.
account_request request_from_application(const signup_form& form, civil_date registered);

// A new account's record; retention_month is the JST month index of today (retention has
// nothing to do this month). Its AN order is the caller's to set: the OPID's ANs in the registry.
account new_account_record(const account_request& request, std::string id, uint32_t number, std::string password_hash,
                           uint16_t retention_month);

// A customer's own settings change is judged (needs the current password or not, and was it
// right) against the record read before; the directory judges it again against the record it
// changes, so a change stored meanwhile (another tab's new password or address) cannot carry it
// through on that earlier judgement (SPEC §18).
struct own_change_check {
  std::string verified_hash;  // the password hash the current password matched; empty: none was given
};

// A change of basic settings (SPEC §4) or a reissued password; a set field replaces the stored one.
struct account_changes {
  std::optional<std::string> email, person, department, auth_method, password_hash;
  std::optional<own_change_check> own;  // set for the customer's own change (PUT /api/me)
};
// The settings a customer sent, with the new password already hashed (or none).
account_changes changes_from_settings(const settings_change& change, std::optional<std::string> password_hash);
void apply_changes(account& a, const account_changes& changes);

// What a change alters that needs the current password and a notice mail (SPEC §18). A field
// sent with its stored value alters nothing; a new password always counts.
// email_by_main: a child ID's address, changed by its main ID (SPEC §15 child IDs).
enum class changed_item { email, password, auth_method, password_reissued, email_by_main };
std::vector<changed_item> changed_items(const account& before, const account_changes& changes);
// nullopt when `changes` may be stored onto the record `now`; otherwise the field failure that
// judging it against `now` gives: current_password required (it alters the email, password or
// auth method and no current password was given) or wrong_password (the hash the current
// password matched is no longer the ID's). Changes without `own` (an operator's, a reissue, a main
// ID's patch of its child) pass.
std::optional<failure> recheck_own_change(const account& now, const account_changes& changes);
// The {{changes}} lines of the notice mail, one "・…" line per item (mails are Japanese, SPEC §4).
std::string describe_changes(const std::vector<changed_item>& items);

// The notice's addresses: the one the ID has now and, when the email changed, the old one too.
std::vector<std::string> notice_addresses(const std::string& email_before, const std::string& email_now);
// The variables of the account_changed mail for ID `id` of `person`, changed at `when` (unix seconds).
mail_vars change_notice_vars(const std::string& person, const std::string& id, const std::vector<changed_item>& items,
                             int64_t when);

}  // namespace cxs::domain
