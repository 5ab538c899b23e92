#include "actors/child_ids.hpp"

#include "domain/account_record.hpp"
#include "domain/mail_texts.hpp"

#include <spdlog/spdlog.h>

namespace cxs::actors {

namespace {

// The account's AN groups, for checking or applying a child's an_groups.
void with_an_groups(const wiring& w, const std::string& main_id, then_fn<domain::group_book> then) {
  ask_account<std::vector<domain::number_group>>(
      w, main_id,
      [then](domain::expected<std::vector<domain::number_group>> groups) {
        if (!groups) return then(groups.error());
        domain::group_book book;
        for (auto& g : groups.value()) book.put(domain::group_kind::an, std::move(g));
        then(std::move(book));
      },
      groups_atom::value, domain::group_kind::an, std::vector<std::string>{});
}

// Checks the an_groups named (when some are) before `next` runs.
void check_groups(const wiring& w, const std::string& main_id, const std::vector<std::string>* an_groups,
                  domain::lang l, std::function<void()> next, std::function<void(domain::failure)> refuse) {
  if (!an_groups || an_groups->empty()) return next();
  with_an_groups(w, main_id, [=, ids = *an_groups](domain::expected<domain::group_book> book) {
    if (!book) return refuse(book.error());
    auto errors = domain::check_child_groups(ids, book.value(), l);
    if (!errors.empty()) return refuse(domain::field_failure(std::move(errors)));
    next();
  });
}

// The "ready to use" mail of a new child, in the form of the account's own (3/3). The child
// exists whatever happens to the mail; a lost one is logged for support.
void mail_child(caf::event_based_actor* self, const wiring& w, const domain::child_user& child) {
  auto mailer = w.mailer;
  self->request(w.directory, w.timeout, creds_atom::value, child.main_id)
      .then(
          [=](account_ptr& main) {
            if (!main) return;
            std::string limit = child.an_groups.empty()
                                    ? std::string()
                                    : "\n閲覧できる範囲: メインIDの管理者が指定したFD/ND番号グループの番号のみ\n";
            outgoing_mail mail{child.email,
                               std::string(domain::mail_child_ready),
                               {{"contractor_name", main->contractor_name},
                                {"person", child.person},
                                {"main_person", main->person},
                                {"id", child.id},
                                {"login_url", w.public_url ? w.public_url->get() + "/login" : std::string("/login")},
                                {"opid", main->opid},
                                {"limit_info", limit}}};
            self->request(mailer, std::chrono::seconds(30), mail_atom::value, std::move(mail))
                .then(
                    [id = child.id](bool queued) {
                      if (!queued) spdlog::error("child ID {}: its ready mail could not be queued", id);
                    },
                    [id = child.id](caf::error&) {
                      spdlog::error("child ID {}: the mailer did not take its mail", id);
                    });
          },
          [](caf::error&) { spdlog::error("child ID: the directory did not answer for its mail"); });
}

// A child's address changed by its main ID: the child hears of it at both addresses (SPEC §18),
// as the owner of an account does. The change stands whatever happens to the mail.
void notify_email_change(const wiring& w, const domain::child_user& child, const std::string& email_before) {
  const auto vars =
      domain::change_notice_vars(child.person, child.id, {domain::changed_item::email_by_main}, w.clock->now());
  for (auto& address : domain::notice_addresses(email_before, child.email))
    ask<bool>(
        *w.system, w.mailer, std::chrono::seconds(30),
        [id = child.id](domain::expected<bool> queued) {
          if (!queued || !queued.value()) spdlog::error("child ID {}: a change notice could not be queued", id);
        },
        mail_atom::value, outgoing_mail{address, std::string(domain::mail_account_changed), vars});
}

}  // namespace

void create_child(const wiring& w, std::string main_id, domain::child_request request, domain::lang l,
                  then_fn<domain::child_user> then) {
  auto refuse = [then](domain::failure f) { then(std::move(f)); };
  check_groups(
      w, main_id, &request.an_groups, l,
      [=] {
        auto ticket = w.hashes->admit();
        if (!ticket) return then(hashing_busy());
        // Detached: Argon2id runs here, never on a scheduler thread.
        w.system->spawn<caf::detached>([=](caf::event_based_actor* self) {
          auto hash = ticket->run([&] { return domain::hash_password(request.password); });
          if (!hash) return then(hash.error());
          new_child child{request, std::move(*hash), l};
          child.request.password.clear();
          self->request(w.directory, w.timeout, usernew_atom::value, main_id, std::move(child))
              .then(
                  [=](domain::child_user& made) {
                    mail_child(self, w, made);
                    then(std::move(made));
                  },
                  [=](caf::error& e) { then(to_failure(self->system(), e)); });
        });
      },
      refuse);
}

void patch_child(const wiring& w, std::string main_id, std::string id, domain::child_patch patch, domain::lang l,
                 then_fn<domain::child_user> then) {
  const std::vector<std::string>* named = patch.an_groups ? &*patch.an_groups : nullptr;
  check_groups(
      w, main_id, named, l,
      [=] {
        // A new address: the notice goes to the one it replaced too (SPEC §18), which the
        // directory names with its answer.
        ask<child_patch_answer>(
            *w.system, w.directory, w.timeout,
            [=](domain::expected<child_patch_answer> patched) {
              if (!patched) return then(patched.error());
              auto& [child, email_before] = patched.value();
              if (child.email != email_before) notify_email_change(w, child, email_before);
              then(std::move(child));
            },
            userset_atom::value, main_id, id, patch);
      },
      [then](domain::failure f) { then(std::move(f)); });
}

void child_analysis(const wiring& w, std::string child_id, std::string main_id, domain::analysis_request query,
                    then_fn<domain::analysis_document> then) {
  ask<std::vector<std::string>>(
      *w.system, w.directory, w.timeout,
      [=](domain::expected<std::vector<std::string>> limit) mutable {
        if (!limit) return then(limit.error());
        query.an_group_limit = std::move(limit.value());
        ask_analysis(w, main_id, std::move(query), then);
      },
      limit_atom::value, std::move(child_id));
}

void child_groups(const wiring& w, std::string child_id, std::string main_id, domain::group_kind kind,
                  then_fn<std::vector<domain::number_group>> then) {
  ask<std::vector<std::string>>(
      *w.system, w.directory, w.timeout,
      [=](domain::expected<std::vector<std::string>> limit) mutable {
        if (!limit) return then(limit.error());
        ask_account<std::vector<domain::number_group>>(w, main_id, std::move(then), groups_atom::value, kind,
                                                       std::move(limit.value()));
      },
      limit_atom::value, std::move(child_id));
}

void limit_summary(const wiring& w, account_summary summary, then_fn<account_summary> then) {
  if (!summary.child || summary.child->an_groups.empty()) return then(std::move(summary));
  with_an_groups(w, summary.child->main_id, [=](domain::expected<domain::group_book> book) mutable {
    if (!book) return then(book.error());
    if (auto allowed = domain::allowed_ans(summary.child->an_groups, book.value(), summary.current_ans)) {
      summary.numbers = domain::limited_numbers(summary.numbers, *allowed);
      summary.current_ans = std::move(*allowed);
    }
    then(std::move(summary));
  });
}

}  // namespace cxs::actors
