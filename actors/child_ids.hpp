#pragma once
// The customer facade's child ID steps (SPEC §15) that span several actors: the AN groups named
// are checked against the account actor's groups, the password is hashed off the scheduler, the
// directory stores the child, and the mailer sends the child its "ready to use" mail. Also the
// views a child sees: its limit on an analysis and on the groups, and the ANs /api/me lists.

#include "actors/wiring.hpp"

namespace cxs::actors {

void create_child(const wiring& w, std::string main_id, domain::child_request request, domain::lang l,
                  then_fn<domain::child_user> then);
void patch_child(const wiring& w, std::string main_id, std::string id, domain::child_patch patch, domain::lang l,
                 then_fn<domain::child_user> then);

// A child's analysis carries its an_groups (fetched fresh: a change applies to the next request).
void child_analysis(const wiring& w, std::string child_id, std::string main_id, domain::analysis_request query,
                    then_fn<domain::analysis_document> then);
// A child's groups of a kind: those of its an_groups' ANs, cut to them (fetched fresh too).
void child_groups(const wiring& w, std::string child_id, std::string main_id, domain::group_kind kind,
                  then_fn<std::vector<domain::number_group>> then);
// A child's /api/me: the account's ANs (and DNs) cut to those of its an_groups.
void limit_summary(const wiring& w, account_summary summary, then_fn<account_summary> then);

}  // namespace cxs::actors
