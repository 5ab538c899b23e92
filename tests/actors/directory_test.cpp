// The directory: accounts created and found, account actors started on demand, passivated when
// idle through the handshake, and restarted after a failure on their next message.

#include "actors/directory.hpp"
#include "actor_fixture.hpp"

#include <nlohmann/json.hpp>

#include <set>
#include <tuple>

namespace cxs::actors {
namespace {

using domain::error_code;

class DirectoryTest : public testing::actor_fixture {
 protected:
  registry_ptr registry() {
    domain::opid_entry a{"OPA", true, {{"0120111111", {"0312345678"}}}};
    domain::opid_entry b{"OPB", true, {{"0120222222", {"0312345679"}}}};
    return std::make_shared<const domain::registry>(std::vector<domain::opid_entry>{a, b});
  }

  directory_actor start(uint32_t passivate_after_s = 300, sessions::session_table* sessions = nullptr,
                        std::vector<domain::child_user> children = {}) {
    account_env env{db.get(), writer, &clock};
    auto d = spawn_directory(*sys, {env, passivate_after_s, {}, std::move(children), sessions}, registry());
    to_stop.push_back(caf::actor_cast<caf::actor>(d));
    sched->run();
    return d;
  }

  static new_account request(std::string opid) { return account_request(std::move(opid)); }

  std::string create(directory_actor d, std::string opid, std::string plan = "free") {
    auto req = request(std::move(opid));
    req.request.plan = std::move(plan);
    auto made = ask<account_summary>(d, create_atom::value, req);
    EXPECT_TRUE(made && *made) << (made && !*made ? made->error().detail : "no answer");
    return made && *made ? (*made)->account->id : std::string();
  }
};

TEST_F(DirectoryTest, CreatesAnAccountWithTheOpidsAnsAndRefusesASecondForTheSameOpid) {
  auto d = start();
  auto id = create(d, "OPA");
  ASSERT_EQ(id.size(), 10u);
  auto shown = ask<account_summary>(d, show_atom::value, id);
  ASSERT_TRUE(shown && *shown);
  EXPECT_EQ((*shown)->account->opid, "OPA");
  EXPECT_EQ((*shown)->current_ans, std::vector<std::string>{"0120111111"});

  auto again = ask<account_summary>(d, create_atom::value, request("OPA"));
  ASSERT_TRUE(again);
  ASSERT_FALSE(*again);
  EXPECT_EQ(again->error().code, error_code::invalid_fields);
  ASSERT_EQ(again->error().fields.size(), 1u);
  EXPECT_EQ(again->error().fields[0].code, "opid_taken");
}

TEST_F(DirectoryTest, TheRecordIsInStorageWhenCreateAnswers) {
  auto d = start();
  auto id = create(d, "OPB");
  std::string error;
  auto stored = load_accounts(*db, error);
  ASSERT_TRUE(stored) << error;
  ASSERT_EQ(stored->size(), 1u);
  EXPECT_TRUE(stored->find(id));
}

TEST_F(DirectoryTest, UnknownAccountsAreNotFoundValues) {
  auto d = start();
  auto shown = ask<account_summary>(d, show_atom::value, std::string("NoSuchId00"));
  ASSERT_TRUE(shown);
  ASSERT_FALSE(*shown);
  EXPECT_EQ(shown->error().code, error_code::not_found);
  auto live = ask<account_actor>(d, lookup_atom::value, std::string("NoSuchId00"));
  ASSERT_TRUE(live);
  ASSERT_FALSE(*live);
  EXPECT_EQ(live->error().code, error_code::not_found);
}

TEST_F(DirectoryTest, StartsAnAccountActorOnDemandAndHandsOutTheSameOneWhileItLives) {
  auto d = start();
  auto id = create(d, "OPA");
  auto first = ask<account_actor>(d, lookup_atom::value, id);
  auto second = ask<account_actor>(d, lookup_atom::value, id);
  ASSERT_TRUE(first && *first && second && *second);
  EXPECT_EQ((*first)->address(), (*second)->address());
  auto routed =
      ask<std::vector<account_actor>>(d, route_atom::value, std::vector<std::string>{"0120111111", "0120999999"});
  ASSERT_TRUE(routed && *routed);
  ASSERT_EQ((*routed)->size(), 2u);
  EXPECT_EQ((**routed)[0].address(), (*first)->address());
  EXPECT_FALSE((**routed)[1]) << "an AN no account holds has no actor";
}

TEST_F(DirectoryTest, PassivatesAnIdleAccountThroughTheHandshakeAndStartsItAgainOnDemand) {
  auto d = start(/*passivate_after_s=*/0);
  auto id = create(d, "OPA");
  auto first = ask<account_actor>(d, lookup_atom::value, id);
  ASSERT_TRUE(first && *first);
  auto old = (*first)->address();
  // The directory looks for idle accounts every second: the next tick asks this one to stop.
  sched->advance_time(std::chrono::seconds(1));
  sched->run();
  auto again = ask<account_actor>(d, lookup_atom::value, id);
  ASSERT_TRUE(again && *again);
  EXPECT_NE((*again)->address(), old) << "a passivated account comes back as a new actor";
  EXPECT_TRUE(old.get() == nullptr || old.get()->get()->getf(caf::abstract_actor::is_terminated_flag));
}

TEST_F(DirectoryTest, AFailedAccountIsRestartedOnItsNextMessage) {
  auto d = start();
  auto id = create(d, "OPA");
  auto first = ask<account_actor>(d, lookup_atom::value, id);
  ASSERT_TRUE(first && *first);
  caf::anon_send(first->value(), crash_atom::value);
  sched->run();
  auto again = ask<account_actor>(d, lookup_atom::value, id);
  ASSERT_TRUE(again && *again);
  EXPECT_NE((*again)->address(), (*first)->address());
  // The new actor answers: its state was rebuilt from storage.
  auto answer = ask<domain::analysis_document>(again->value(), analyze_atom::value,
                                               domain::analysis_request{"traffic", {{"from", "2026-10-01"}}});
  ASSERT_TRUE(answer);
  EXPECT_TRUE(*answer) << (*answer ? "" : answer->error().detail);
}

TEST_F(DirectoryTest, AtStartAnAccountTakesTheAnsItsOpidGainedMeanwhile) {
  auto d = start();
  auto id = create(d, "OPA");
  caf::anon_send_exit(d, caf::exit_reason::user_shutdown);
  sched->run();
  // A restart with a registry that gave OPA a second AN (a changed --registry file).
  domain::opid_entry a{"OPA", true, {{"0120111111", {"0312345678"}}, {"0120333333", {"0312345670"}}}};
  auto grown = std::make_shared<const domain::registry>(std::vector<domain::opid_entry>{a});
  std::string error;
  auto stored = load_accounts(*db, error);
  ASSERT_TRUE(stored) << error;
  auto again = spawn_directory(*sys, {{db.get(), writer, &clock}, 300, stored, {}, nullptr}, grown);
  to_stop.push_back(caf::actor_cast<caf::actor>(again));
  sched->run();
  auto shown = ask<account_summary>(again, show_atom::value, id);
  ASSERT_TRUE(shown && *shown);
  EXPECT_EQ((*shown)->account->an_order, (std::vector<std::string>{"0120111111", "0120333333"}));
  auto reread = load_accounts(*db, error);
  ASSERT_TRUE(reread && reread->size() == 1u) << error;
  EXPECT_EQ(reread->find(id)->an_order, (*shown)->account->an_order) << "the new order is stored";
}

// A registry change is answered only once every live account has taken it: the question asked
// right after the answer is never served an answer kept from before (answer_cache.hpp). The
// scheduler runs the newest job first, so an answer sent before the account took the news would
// reach the asker first.
TEST_F(DirectoryTest, ARegistryChangeIsAnsweredOnceTheLiveAccountsHaveTakenIt) {
  answer_cache answers(1 << 20);
  auto d = spawn_directory(*sys, {{db.get(), writer, &clock, &answers}, 300, {}, {}, nullptr}, registry());
  // Stopped before `answers` goes: its accounts forget their answers there when they exit.
  struct stop_at_end {
    caf::scheduler::test_coordinator* sched;
    directory_actor d;
    ~stop_at_end() {
      caf::anon_send_exit(d, caf::exit_reason::user_shutdown);
      sched->run();
    }
  } stop{sched, d};
  sched->run();
  auto id = create(d, "OPA");
  auto account = ask<account_actor>(d, lookup_atom::value, id);
  ASSERT_TRUE(account && *account);
  const domain::analysis_request query{"traffic", {{"from", "2026-10-01"}}};
  auto first = ask<domain::analysis_document>(account->value(), analyze_atom::value, query);
  ASSERT_TRUE(first && *first);
  const auto key = answer_key(query, clock.now());
  ASSERT_NE(answers.find(id, key), nullptr) << "the answer is kept";
  EXPECT_EQ((*first)->json.find("0120333333"), std::string::npos);

  domain::opid_entry grown{"OPA", true, {{"0120111111", {"0312345678"}}, {"0120333333", {"0312345670"}}}};
  auto changed = registry_ptr(std::make_shared<const domain::registry>(std::vector<domain::opid_entry>{grown}));
  auto answered = std::make_shared<bool>(false);
  sys->spawn([=](caf::event_based_actor* self) {
    self->request(d, caf::infinite, registry_atom::value, changed).then([=](bool) { *answered = true; });
  });
  while (!*answered && sched->try_run_once_lifo()) {}
  ASSERT_TRUE(*answered);
  EXPECT_EQ(answers.find(id, key), nullptr) << "the answer from before the change is still served";

  sched->run();
  auto second = ask<domain::analysis_document>(account->value(), analyze_atom::value, query);
  ASSERT_TRUE(second && *second);
  EXPECT_NE((*second)->json.find("0120333333"), std::string::npos) << (*second)->json;
  EXPECT_NE(answers.find(id, key), nullptr) << "the new answer is kept again";
}

// Child IDs (SPEC §15): created, listed, changed and deleted by their main ID only; the login
// steps read a child's view (none while disabled); disabling, deleting and a move to free end its
// session; the records are in storage when the answers come, and gone with a move to free.
TEST_F(DirectoryTest, ChildIdsBelongToTheirMainIdAndGoWithAMoveToFree) {
  sessions::session_table sessions;
  auto d = start(300, &sessions);
  auto main_id = create(d, "OPA", "standard");
  auto other = create(d, "OPB", "free");
  new_child req{{"", "kid@example.jp", "子", "otp", {}}, "$argon2id$child", domain::lang::en};
  auto made = ask<domain::child_user>(d, usernew_atom::value, main_id, req);
  ASSERT_TRUE(made && *made);
  const auto child = (*made)->id;
  EXPECT_EQ(child.size(), 10u);
  EXPECT_NE(child, main_id);
  auto refused = ask<domain::child_user>(d, usernew_atom::value, other, req);
  ASSERT_TRUE(refused && !*refused);
  EXPECT_EQ(refused->error().code, error_code::plan_required);

  auto view = ask<account_ptr>(d, creds_atom::value, child);
  ASSERT_TRUE(view && *view && **view);
  EXPECT_EQ((**view)->main_id, main_id);
  EXPECT_EQ((**view)->password_hash, "$argon2id$child");
  EXPECT_EQ((**view)->opid, "OPA");
  auto shown = ask<account_summary>(d, show_atom::value, child);
  ASSERT_TRUE(shown && *shown);
  ASSERT_TRUE((*shown)->child);
  EXPECT_EQ((*shown)->account->email, "kid@example.jp");

  // Another main ID cannot touch it.
  auto foreign = ask<bool>(d, userdel_atom::value, other, child);
  ASSERT_TRUE(foreign && !*foreign);
  EXPECT_EQ(foreign->error().code, error_code::plan_required);

  sessions.create(child, 0, main_id, true);
  domain::child_patch off;
  off.disabled = true;
  auto disabled = ask<child_patch_answer>(d, userset_atom::value, main_id, child, off);
  ASSERT_TRUE(disabled && *disabled);
  EXPECT_TRUE((*disabled)->child.disabled);
  EXPECT_EQ((*disabled)->email_before, (*disabled)->child.email) << "the address did not change";
  EXPECT_FALSE(sessions.live_for(child, 1));
  auto none = ask<account_ptr>(d, creds_atom::value, child);
  ASSERT_TRUE(none && *none);
  EXPECT_FALSE(**none);
  auto limit = ask<std::vector<std::string>>(d, limit_atom::value, child);
  ASSERT_TRUE(limit && !*limit);
  EXPECT_EQ(limit->error().code, error_code::not_found);

  std::string error;
  auto stored = load_children(*db, error);
  ASSERT_TRUE(stored) << error;
  ASSERT_EQ(stored->size(), 1u);
  EXPECT_TRUE((*stored)[0].disabled);

  // A second child, then the move to free takes both in the plan change's write.
  auto second = ask<domain::child_user>(d, usernew_atom::value, main_id, req);
  ASSERT_TRUE(second && *second);
  sessions.create((*second)->id, 0, main_id, true);
  auto free = ask<account_summary>(d, plan_atom::value, main_id,
                                   domain::read_plan_request({{"plan", "free"}, {"confirm", true}}));
  ASSERT_TRUE(free && *free) << (free && !*free ? free->error().detail : "");
  EXPECT_FALSE(sessions.live_for((*second)->id, 1));
  stored = load_children(*db, error);
  ASSERT_TRUE(stored);
  EXPECT_TRUE(stored->empty());
  auto gone = ask<account_ptr>(d, creds_atom::value, child);
  ASSERT_TRUE(gone && *gone);
  EXPECT_FALSE(**gone);
}

// Stored child IDs come back with a new directory; one whose main ID is gone is left out.
TEST_F(DirectoryTest, ChildIdsAreReadBackAtStart) {
  auto d = start();
  auto main_id = create(d, "OPA", "standard");
  new_child req{{"", "kid@example.jp", "子", "otp", {"g1"}}, "$argon2id$child", domain::lang::en};
  auto made = ask<domain::child_user>(d, usernew_atom::value, main_id, req);
  ASSERT_TRUE(made && *made);
  std::string error;
  auto stored = load_children(*db, error);
  ASSERT_TRUE(stored && stored->size() == 1u);
  auto orphan = (*stored)[0];
  orphan.id = "Orphan0001";
  orphan.main_id = "NoSuchMain";
  stored->push_back(orphan);
  auto accounts = load_accounts(*db, error);
  ASSERT_TRUE(accounts);
  account_env env{db.get(), writer, &clock};
  auto again = spawn_directory(*sys, {env, 300, accounts, std::move(*stored), nullptr}, registry());
  to_stop.push_back(caf::actor_cast<caf::actor>(again));
  sched->run();
  auto listed = ask<std::vector<domain::child_user>>(again, users_atom::value, main_id);
  ASSERT_TRUE(listed && *listed);
  ASSERT_EQ((*listed)->size(), 1u);
  EXPECT_EQ((**listed)[0].an_groups, std::vector<std::string>{"g1"});
  auto limit = ask<std::vector<std::string>>(again, limit_atom::value, (*made)->id);
  ASSERT_TRUE(limit && *limit);
  EXPECT_EQ(**limit, std::vector<std::string>{"g1"});
  auto orphan_view = ask<account_ptr>(again, creds_atom::value, std::string("Orphan0001"));
  ASSERT_TRUE(orphan_view && *orphan_view);
  EXPECT_FALSE(**orphan_view);
}

// Changes in flight together (in_flight_writes.hpp): a main ID's patch of a child and the child's
// own settings, or two settings changes of an account. The second starts from the first, so both
// stand; when a write fails (actor_fixture::spawn_faulty_writer), memory ends as storage holds
// the record.
class DirectoryWritesTest : public DirectoryTest {
 protected:
  directory_actor start_with_faults() {
    account_env env{db.get(), spawn_faulty_writer(), &clock};
    auto d = spawn_directory(*sys, {env, 300, {}, {}, nullptr}, registry());
    to_stop.push_back(caf::actor_cast<caf::actor>(d));
    sched->run();
    return d;
  }

  // Sends both requests before anything runs (the directory takes the second before the writer
  // has answered the first); whether each succeeded.
  template <class First, class Second, class... Xs, class... Ys>
  std::pair<bool, bool> send_together(directory_actor d, std::tuple<Xs...> first, std::tuple<Ys...> second) {
    auto a = std::make_shared<std::optional<bool>>();
    auto b = std::make_shared<std::optional<bool>>();
    auto send = [&](auto message, auto out, auto answer) {
      sys->spawn([=](caf::event_based_actor* self) {
        std::apply(
            [&](auto&&... xs) {
              self->request(d, caf::infinite, xs...)
                  .then([=](decltype(answer)&) { *out = true; }, [=](caf::error&) { *out = false; });
            },
            message);
      });
    };
    send(first, a, First{});
    send(second, b, Second{});
    sched->run();
    EXPECT_TRUE(a->has_value() && b->has_value()) << "both are answered";
    return {a->value_or(false), b->value_or(false)};
  }

  // A main ID's patch of the child's groups and the child's own new name.
  std::pair<bool, bool> change_child_twice(directory_actor d, const std::string& main_id, const std::string& child) {
    domain::child_patch groups;
    groups.an_groups = std::vector<std::string>{"g1"};
    domain::account_changes own;
    own.person = "子二";
    return send_together<child_patch_answer, account_summary>(
        d, std::make_tuple(userset_atom::value, main_id, child, groups),
        std::make_tuple(update_atom::value, child, own));
  }

  // The child as the directory shows it and as storage holds it.
  std::pair<domain::child_user, domain::child_user> read_child(directory_actor d, const std::string& main_id,
                                                               const std::string& child) {
    auto listed = ask<std::vector<domain::child_user>>(d, users_atom::value, main_id);
    std::string error;
    auto stored = load_children(*db, error);
    EXPECT_TRUE(listed && *listed && stored) << error;
    std::pair<domain::child_user, domain::child_user> out;
    if (listed && *listed)
      for (auto& c : **listed)
        if (c.id == child) out.first = c;
    if (stored)
      for (auto& c : *stored)
        if (c.id == child) out.second = c;
    EXPECT_EQ(out.first.id, child) << "shown";
    EXPECT_EQ(out.second.id, child) << "stored";
    return out;
  }

  std::string make_child(directory_actor d, const std::string& main_id) {
    new_child req{{"", "kid@example.jp", "子", "otp", {}}, "$argon2id$child", domain::lang::en};
    auto made = ask<domain::child_user>(d, usernew_atom::value, main_id, req);
    EXPECT_TRUE(made && *made);
    return made && *made ? (*made)->id : std::string();
  }
};

TEST_F(DirectoryWritesTest, TwoChildChangesInFlightBothStand) {
  auto d = start_with_faults();
  auto main_id = create(d, "OPA", "standard");
  auto child = make_child(d, main_id);
  EXPECT_EQ(change_child_twice(d, main_id, child), std::make_pair(true, true));
  auto [shown, stored] = read_child(d, main_id, child);
  for (const auto& c : {shown, stored}) {
    EXPECT_EQ(c.an_groups, std::vector<std::string>{"g1"}) << "the main ID's patch was undone";
    EXPECT_EQ(c.person, "子二") << "the child's own change was undone";
  }
}

TEST_F(DirectoryWritesTest, AfterAFailedChildWriteMemoryIsWhatStorageHolds) {
  auto d = start_with_faults();
  auto main_id = create(d, "OPA", "standard");
  for (const std::set<int>& failing : {std::set<int>{1}, {2}, {1, 2}}) {
    SCOPED_TRACE(::testing::Message() << "failing write " << *failing.begin() << " of " << failing.size());
    fail_writes({});
    auto child = make_child(d, main_id);
    fail_writes(failing);
    EXPECT_EQ(change_child_twice(d, main_id, child), std::make_pair(!failing.count(1), !failing.count(2)));
    auto [shown, stored] = read_child(d, main_id, child);
    EXPECT_EQ(shown.an_groups, stored.an_groups);
    EXPECT_EQ(shown.person, stored.person);
    // The second write holds the whole record, the first's change included.
    EXPECT_EQ(stored.person, failing.count(2) ? "子" : "子二");
  }
}

// A child's own change stored while its main ID moved to free (which deletes the child IDs): the
// child is told it is gone, not that its change could not be stored.
TEST_F(DirectoryWritesTest, AChildsChangeDuringAMoveToFreeIsAnsweredNotFound) {
  auto d = start_with_faults();
  auto main_id = create(d, "OPA", "standard");
  auto child = make_child(d, main_id);
  domain::account_changes own;
  own.person = "子二";
  auto to_free = domain::read_plan_request({{"plan", "free"}, {"confirm", true}});
  auto child_answer = std::make_shared<std::optional<domain::expected<account_summary>>>();
  sys->spawn([=](caf::event_based_actor* self) {
    self->request(d, caf::infinite, update_atom::value, child, own)
        .then([=](account_summary& a) { child_answer->emplace(std::move(a)); },
              [=](caf::error& e) { child_answer->emplace(to_failure(self->system(), e)); });
  });
  auto moved = std::make_shared<bool>(false);
  sys->spawn([=](caf::event_based_actor* self) {
    self->request(d, caf::infinite, plan_atom::value, main_id, to_free).then([=](account_summary&) { *moved = true; });
  });
  sched->run();
  ASSERT_TRUE(*moved);
  ASSERT_TRUE(child_answer->has_value());
  ASSERT_FALSE(**child_answer);
  EXPECT_EQ((*child_answer)->error().code, error_code::not_found);
  auto gone = ask<account_ptr>(d, creds_atom::value, child);
  ASSERT_TRUE(gone && *gone);
  EXPECT_FALSE(**gone);
}

TEST_F(DirectoryWritesTest, AChildWhoseCreationFailsIsNotCounted) {
  auto d = start_with_faults();
  auto main_id = create(d, "OPA", "standard");
  fail_writes({1});
  new_child req{{"", "kid@example.jp", "子", "otp", {}}, "$argon2id$child", domain::lang::en};
  auto made = ask<domain::child_user>(d, usernew_atom::value, main_id, req);
  ASSERT_TRUE(made && !*made);
  EXPECT_EQ(made->error().code, error_code::storage);
  auto listed = ask<std::vector<domain::child_user>>(d, users_atom::value, main_id);
  ASSERT_TRUE(listed && *listed);
  EXPECT_TRUE((*listed)->empty());
}

// A registry change taken while a settings change of a live account is being written: the live
// account keeps the new AN's storage index (when the write answers it is told the record memory
// holds, not the older one the change was made from), so a call on the new AN counts.
TEST_F(DirectoryWritesTest, ALiveAccountKeepsAnAnTheRegistryGaveWhileAChangeWasWritten) {
  auto d = start_with_faults();
  auto id = create(d, "OPA");
  auto live = ask<account_actor>(d, lookup_atom::value, id);
  ASSERT_TRUE(live && *live);
  domain::opid_entry grown{"OPA", true, {{"0120111111", {"0312345678"}}, {"0120333333", {"0312345670"}}}};
  auto changed = registry_ptr(std::make_shared<const domain::registry>(std::vector<domain::opid_entry>{grown}));
  domain::account_changes person;
  person.person = "山田二";
  auto answered = send_together<account_summary, bool>(d, std::make_tuple(update_atom::value, id, person),
                                                       std::make_tuple(registry_atom::value, changed));
  EXPECT_EQ(answered, std::make_pair(true, true));

  auto batch = std::make_shared<account_records>();
  batch->records.push_back(
      {"call-1", clock.now() - 1, "0120333333", "0312345670", "", 13, 13, 60, domain::call_result::completed});
  auto counts = ask<ingest_counts>(live->value(), ingest_atom::value, records_ptr(batch));
  ASSERT_TRUE(counts && *counts);
  EXPECT_EQ((*counts)->accepted, 1u);
  auto traffic = ask<domain::analysis_document>(
      live->value(), analyze_atom::value,
      domain::analysis_request{"traffic", {{"from", "2026-10-01"}, {"an", "0120333333"}}});
  ASSERT_TRUE(traffic && *traffic) << (traffic && !*traffic ? traffic->error().detail : "no answer");
  EXPECT_EQ(nlohmann::json::parse((*traffic)->json)["totals"]["calls"], 1) << (*traffic)->json;
}

// A registry change gives a new account's OPID an AN while its creation is being written, and
// the writes the test names fail: memory must end as storage holds the accounts, and the creation
// is answered as storage ends: created when the registry change's write (which carries the whole
// record) stored it, though its own write failed.
class CreationInFlightTest : public DirectoryWritesTest {
 protected:
  // How many accounts the directory lists and storage holds afterwards.
  std::pair<std::size_t, std::size_t> create_during_registry_change(directory_actor d, std::set<int> failing) {
    domain::opid_entry grown{"OPA", true, {{"0120111111", {"0312345678"}}, {"0120333333", {"0312345670"}}}};
    auto changed = registry_ptr(std::make_shared<const domain::registry>(std::vector<domain::opid_entry>{grown}));
    const bool stored_meanwhile = !failing.count(2);
    fail_writes(std::move(failing));
    auto answered = send_together<account_summary, bool>(d, std::make_tuple(create_atom::value, request("OPA")),
                                                         std::make_tuple(registry_atom::value, changed));
    EXPECT_EQ(answered, std::make_pair(stored_meanwhile, true)) << "the registry is taken in any case";
    auto page = ask<account_page>(d, find_atom::value, domain::account_search{"", "", 50});
    std::string error;
    auto stored = load_accounts(*db, error);
    EXPECT_TRUE(page && *page && stored) << error;
    if (!page || !*page || !stored) return {};
    return {(*page)->accounts.size(), stored->size()};
  }
};

TEST_F(CreationInFlightTest, WhenBothWritesFailTheAccountIsForgottenAndItsOpidFree) {
  auto d = start_with_faults();
  EXPECT_EQ(create_during_registry_change(d, {1, 2}), std::make_pair(std::size_t{0}, std::size_t{0}));
  fail_writes({});
  EXPECT_EQ(create(d, "OPA").size(), 10u) << "the OPID is free again";
}

TEST_F(CreationInFlightTest, WhenOnlyTheCreationFailsTheRegistryChangesWriteStoredIt) {
  auto d = start_with_faults();
  EXPECT_EQ(create_during_registry_change(d, {1}), std::make_pair(std::size_t{1}, std::size_t{1}));
}

// A child ID whose main ID is not on the standard plan has no login view, even if storage still
// holds it (a move to free deletes child IDs in its write; a failed write can part the two).
TEST_F(DirectoryTest, AChildOfAFreeAccountCannotLogIn) {
  auto d = start();
  auto main_id = create(d, "OPA", "standard");
  new_child req{{"", "kid@example.jp", "子", "otp", {}}, "$argon2id$child", domain::lang::en};
  auto made = ask<domain::child_user>(d, usernew_atom::value, main_id, req);
  ASSERT_TRUE(made && *made);
  std::string error;
  auto accounts = load_accounts(*db, error);
  auto children = load_children(*db, error);
  ASSERT_TRUE(accounts && children) << error;
  auto main = *accounts->find(main_id);
  main.plan = "free";
  accounts->put(main);
  account_env env{db.get(), writer, &clock};
  auto again = spawn_directory(*sys, {env, 300, accounts, std::move(*children), nullptr}, registry());
  to_stop.push_back(caf::actor_cast<caf::actor>(again));
  sched->run();
  auto view = ask<account_ptr>(again, creds_atom::value, (*made)->id);
  ASSERT_TRUE(view && *view);
  EXPECT_FALSE(**view);
}

TEST_F(DirectoryWritesTest, AfterAFailedAccountWriteMemoryIsWhatStorageHolds) {
  auto d = start_with_faults();
  auto id = create(d, "OPA");
  for (const std::set<int>& failing : {std::set<int>{}, {1}, {2}, {1, 2}}) {
    SCOPED_TRACE(::testing::Message() << "failing " << failing.size() << " write(s), first "
                                      << (failing.empty() ? 0 : *failing.begin()));
    fail_writes(failing);
    const std::string tag = std::to_string(failing.size()) + (failing.count(1) ? "a" : "b");
    domain::account_changes email, person;
    email.email = "owner-" + tag + "@example.jp";
    person.person = "山田" + tag;
    auto answered = send_together<account_summary, account_summary>(d, std::make_tuple(update_atom::value, id, email),
                                                                    std::make_tuple(update_atom::value, id, person));
    EXPECT_EQ(answered, std::make_pair(!failing.count(1), !failing.count(2)));
    auto shown = ask<account_summary>(d, show_atom::value, id);
    std::string error;
    auto stored = load_accounts(*db, error);
    ASSERT_TRUE(shown && *shown && stored && stored->find(id)) << error;
    EXPECT_EQ((*shown)->account->email, stored->find(id)->email);
    EXPECT_EQ((*shown)->account->person, stored->find(id)->person);
    if (failing.empty()) {
      EXPECT_EQ(stored->find(id)->email, email.email) << "the first change was undone";
      EXPECT_EQ(stored->find(id)->person, person.person);
    }
  }
}

}  // namespace
}  // namespace cxs::actors

namespace cxs::actors {
namespace {

// Two tabs of one customer read the record before either stored (SPEC §18). The first stores a
// new password (or address); the second was judged against the record from before, and the
// directory judges it again against the one it changes: its current password is no longer the
// ID's, or its change, harmless then, now alters the address. For a main ID and a child ID.
TEST_F(DirectoryWritesTest, AnOwnChangeIsJudgedAgainstTheRecordItChanges) {
  auto d = start();
  for (bool child : {false, true}) {
    SCOPED_TRACE(child ? "child ID" : "main ID");
    auto main_id = create(d, child ? "OPB" : "OPA", "standard");
    auto id = child ? make_child(d, main_id) : main_id;
    auto read = ask<account_ptr>(d, creds_atom::value, id);
    ASSERT_TRUE(read && *read && **read);
    const auto before = ***read;
    auto refused_on = [&](const domain::account_changes& c) {
      auto answer = ask<account_summary>(d, update_atom::value, id, c);
      EXPECT_TRUE(answer.has_value());
      if (!answer || *answer) return std::string("stored");
      auto& f = answer->error();
      return f.fields.size() == 1 ? f.fields[0].field + " " + f.fields[0].code : f.detail;
    };

    domain::account_changes password;  // tab 1: a new password, the old one checked
    password.password_hash = "$argon2id$new";
    password.own = domain::own_change_check{before.password_hash};
    EXPECT_EQ(refused_on(password), "stored");
    domain::account_changes address;  // tab 2: a new address, the same old password checked
    address.email = "other@example.jp";
    address.own = domain::own_change_check{before.password_hash};
    EXPECT_EQ(refused_on(address), "current_password wrong_password");

    address.own->verified_hash = "$argon2id$new";  // tab 1 again, with the new password
    EXPECT_EQ(refused_on(address), "stored");
    domain::account_changes contact;  // tab 2: its form still shows the old address
    contact.email = before.email;
    contact.person = "別人";
    contact.own = domain::own_change_check{};
    EXPECT_EQ(refused_on(contact), "current_password required") << "putting the old address back needs it";

    auto now = ask<account_ptr>(d, creds_atom::value, id);
    ASSERT_TRUE(now && *now && **now);
    EXPECT_EQ((**now)->email, "other@example.jp");
    EXPECT_EQ((**now)->person, before.person) << "a refused change stores none of its fields";
    EXPECT_EQ((**now)->password_hash, "$argon2id$new");
    contact.email.reset();
    EXPECT_EQ(refused_on(contact), "stored") << "a contact field alone needs no password";
  }
}

// Two new addresses for one child ID in flight together (two operators of the main ID): each
// answer names the address its own change replaced, so each notice reaches the address that was
// the child's just before (SPEC §18), not one read before the other change.
TEST_F(DirectoryWritesTest, EachNewChildAddressNamesTheAddressItReplaced) {
  auto d = start();
  auto main_id = create(d, "OPA", "standard");
  auto child = make_child(d, main_id);
  std::vector<std::shared_ptr<std::optional<domain::expected<child_patch_answer>>>> answers;
  for (std::string address : {"first@example.jp", "second@example.jp"}) {
    domain::child_patch patch;
    patch.email = address;
    auto out = std::make_shared<std::optional<domain::expected<child_patch_answer>>>();
    answers.push_back(out);
    sys->spawn([=](caf::event_based_actor* self) {
      self->request(d, caf::infinite, userset_atom::value, main_id, child, patch)
          .then([=](child_patch_answer& p) { out->emplace(std::move(p)); },
                [=](caf::error& e) { out->emplace(to_failure(self->system(), e)); });
    });
  }
  sched->run();
  for (auto& a : answers) ASSERT_TRUE(a->has_value() && **a);
  EXPECT_EQ((**answers[0])->email_before, "kid@example.jp");
  EXPECT_EQ((**answers[0])->child.email, "first@example.jp");
  EXPECT_EQ((**answers[1])->email_before, "first@example.jp") << "the first change was in flight";
  EXPECT_EQ((**answers[1])->child.email, "second@example.jp");
}

class DirectoryListTest : public DirectoryTest {
 protected:
  account_page list(directory_actor d, std::string text, std::string after = {}, std::size_t limit = 50) {
    auto page =
        ask<account_page>(d, find_atom::value, domain::account_search{std::move(text), std::move(after), limit});
    EXPECT_TRUE(page && *page);
    return page && *page ? **page : account_page{};
  }
  static std::vector<std::string> opids(const account_page& p) {
    std::vector<std::string> out;
    for (const auto& f : p.accounts) out.push_back(f.summary.account->opid);
    return out;
  }
};

// The operators' account list (SPEC §17): every account in OPID order, paged after the last OPID
// shown, and narrowed by a piece of an ID, an OPID or an AN.
TEST_F(DirectoryListTest, PagesEveryAccountInOpidOrder) {
  auto d = start();
  create(d, "OPB");
  create(d, "OPA");
  auto all = list(d, "");
  EXPECT_EQ(opids(all), (std::vector<std::string>{"OPA", "OPB"}));
  EXPECT_EQ(all.total, 2u);
  EXPECT_EQ(all.next, "");
  auto first = list(d, "", "", 1);
  EXPECT_EQ(opids(first), std::vector<std::string>{"OPA"});
  EXPECT_EQ((std::pair{first.total, first.next}), (std::pair{std::size_t{2}, std::string("OPA")}));
  auto second = list(d, "", first.next, 1);
  EXPECT_EQ(opids(second), std::vector<std::string>{"OPB"});
  EXPECT_EQ((std::pair{second.total, second.next}), (std::pair{std::size_t{2}, std::string()}));
  EXPECT_EQ(second.accounts[0].summary.current_ans, std::vector<std::string>{"0120222222"});
}

// When an account last stored a CDR is read from storage: a directory started anew over the same
// storage (a restart) lists it as the first did; an account that never stored one has none.
TEST_F(DirectoryListTest, TheLastIngestIsReadFromStorage) {
  set_clock_offset(3 * 86400);  // the service's clock, not the machine's, dates the ingest
  auto d = start();
  auto a = create(d, "OPA");
  create(d, "OPB");
  auto live = ask<account_actor>(d, lookup_atom::value, a);
  ASSERT_TRUE(live && *live);
  auto batch = std::make_shared<account_records>();
  batch->records.push_back(
      {"call-1", clock.now() - 1, "0120111111", "0312345678", "", 13, 13, 60, domain::call_result::completed});
  const int64_t before = clock.now();
  auto counts = ask<ingest_counts>(live->value(), ingest_atom::value, records_ptr(batch));
  ASSERT_TRUE(counts && *counts);
  const auto last_ingests = [](const account_page& p) {
    std::vector<int64_t> out;
    for (const auto& f : p.accounts) out.push_back(f.last_ingest);
    return out;
  };
  const auto first = last_ingests(list(d, ""));
  ASSERT_EQ(first.size(), 2u);
  EXPECT_GE(first[0], before);
  EXPECT_LE(first[0], clock.now());
  EXPECT_EQ(first[1], 0) << "OPB stored no CDR";

  std::string error;
  auto stored = load_accounts(*db, error);
  ASSERT_TRUE(stored) << error;
  auto again = spawn_directory(*sys, {{db.get(), writer, &clock}, 300, stored, {}, nullptr}, registry());
  to_stop.push_back(caf::actor_cast<caf::actor>(again));
  sched->run();
  EXPECT_EQ(last_ingests(list(again, "")), first);
}

TEST_F(DirectoryListTest, ASearchNarrowsTheList) {
  auto d = start();
  auto a = create(d, "OPA");
  create(d, "OPB");
  EXPECT_EQ(opids(list(d, "opb")), std::vector<std::string>{"OPB"}) << "letter case ignored";
  EXPECT_EQ(opids(list(d, "0120-222")), std::vector<std::string>{"OPB"}) << "a piece of a hyphenated AN";
  EXPECT_EQ(opids(list(d, "0120")), (std::vector<std::string>{"OPA", "OPB"}));
  EXPECT_EQ(opids(list(d, a.substr(2, 5))), std::vector<std::string>{"OPA"}) << "a piece of the ID";
  auto none = list(d, "NOBODY");
  EXPECT_TRUE(none.accounts.empty());
  EXPECT_EQ(none.total, 0u);
}

}  // namespace
}  // namespace cxs::actors
