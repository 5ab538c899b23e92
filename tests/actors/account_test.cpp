// The account actor: what an ingest request counts (accepted, duplicates within the request and
// against storage, too old) and an analysis over what it kept, checked against figures the test
// computes itself.

#include "actors/account.hpp"
#include "actor_fixture.hpp"
#include "storage/keys.hpp"

#include <nlohmann/json.hpp>

namespace cxs::actors {
namespace {

class AccountTest : public testing::actor_fixture {
 protected:
  account_ptr record(std::string plan = "free") {
    auto a = std::make_shared<domain::account>();
    a->id = "AcctTest01";
    a->number = 7;
    a->opid = "OPA";
    a->plan = plan;
    a->registered = {2026, 10, 1};
    if (plan == "standard") a->detailed_since = a->registered;
    a->an_order = {"0120111111", "0120222222"};
    return a;
  }

  account_actor start(std::string plan = "free") {
    auto a = spawn_account(*sys, {db.get(), writer, &clock}, record(std::move(plan)),
                           domain::opid_numbers{{"0120111111", "0120222222"}, {"0312345678"}, {}});
    to_stop.push_back(caf::actor_cast<caf::actor>(a));
    return a;
  }

  // A call on a JST date and hour.
  static domain::cdr call(std::string id, std::string an, domain::civil_date d, int hour, domain::call_result r,
                          uint32_t seconds) {
    auto start = domain::days_from_civil(d) * 86400 + (hour - 9) * 3600 + 120;  // JST = UTC+9
    return {std::move(id), start, std::move(an), "0312345678", "", 13, 13, seconds, r};
  }

  std::optional<domain::expected<ingest_counts>> ingest(account_actor a, std::vector<domain::cdr> records) {
    auto batch = std::make_shared<account_records>();
    batch->records = std::move(records);
    return ask<ingest_counts>(a, ingest_atom::value, records_ptr(batch));
  }
};

using domain::call_result;

TEST_F(AccountTest, CountsAcceptedDuplicatesAndTooOld) {
  auto a = start();
  auto first =
      ingest(a, {call("c1", "0120111111", {2026, 11, 20}, 10, call_result::completed, 60),
                 call("c2", "0120111111", {2026, 11, 20}, 10, call_result::busy, 0),
                 call("c2", "0120111111", {2026, 11, 20}, 11, call_result::busy, 0),         // repeated in the request
                 call("c1", "0120222222", {2026, 11, 20}, 10, call_result::completed, 30),   // same id, other AN
                 call("c0", "0120111111", {2026, 9, 30}, 10, call_result::completed, 30)});  // before registration
  ASSERT_TRUE(first && *first);
  EXPECT_EQ((*first)->accepted, 3u);
  EXPECT_EQ((*first)->duplicates, 1u);
  EXPECT_EQ((*first)->too_old, 1u);

  // The same calls again: every one is a duplicate now, from storage.
  auto second = ingest(a, {call("c1", "0120111111", {2026, 11, 20}, 10, call_result::completed, 60),
                           call("c3", "0120111111", {2026, 11, 21}, 9, call_result::no_answer, 0)});
  ASSERT_TRUE(second && *second);
  EXPECT_EQ((*second)->accepted, 1u);
  EXPECT_EQ((*second)->duplicates, 1u);
}

// De-duplication reads the call IDs kept by earlier actors from storage, and a repeat is a
// duplicate whatever its start (the ID decides, SPEC §8), in the same month or another.
TEST_F(AccountTest, RepeatsAreDuplicatesForANewActorWhateverTheirStart) {
  auto a = start();
  ASSERT_TRUE(ingest(a, {call("c1", "0120111111", {2026, 10, 20}, 10, call_result::completed, 60),
                         call("c2", "0120222222", {2026, 11, 20}, 10, call_result::busy, 0)}));
  auto again = start();  // a second actor on the same storage: the IDs come from the id blocks
  auto second = ingest(again, {call("c1", "0120111111", {2026, 11, 21}, 9, call_result::completed, 5),  // other month
                               call("c2", "0120222222", {2026, 11, 20}, 10, call_result::busy, 0),
                               call("c2", "0120111111", {2026, 11, 20}, 10, call_result::busy, 0)});  // other AN
  ASSERT_TRUE(second && *second);
  EXPECT_EQ((*second)->accepted, 1u);
  EXPECT_EQ((*second)->duplicates, 2u);
  auto answer = ask<domain::analysis_document>(
      again, analyze_atom::value, domain::analysis_request{"traffic", {{"from", "2026-10-01"}, {"to", "2026-11-30"}}});
  ASSERT_TRUE(answer && *answer);
  EXPECT_EQ(nlohmann::json::parse((*answer)->json)["totals"]["calls"], 3);
}

TEST_F(AccountTest, AnswersTheTrafficOfWhatItKeptPerDayAndAn) {
  auto a = start();
  ASSERT_TRUE(ingest(a, {call("c1", "0120111111", {2026, 11, 20}, 10, call_result::completed, 60),
                         call("c2", "0120111111", {2026, 11, 20}, 23, call_result::busy, 0),
                         call("c3", "0120222222", {2026, 11, 20}, 10, call_result::completed, 30),
                         call("c4", "0120111111", {2026, 11, 21}, 0, call_result::completed, 45)}));
  auto answer = ask<domain::analysis_document>(
      a, analyze_atom::value,
      domain::analysis_request{"traffic", {{"from", "2026-11-20"}, {"to", "2026-11-21"}, {"an", "0120111111"}}});
  ASSERT_TRUE(answer && *answer) << (answer && !*answer ? answer->error().detail : "no answer");
  auto j = nlohmann::json::parse((*answer)->json);
  ASSERT_EQ(j["series"].size(), 2u);
  EXPECT_EQ(j["series"][0]["calls"], 2);
  EXPECT_EQ(j["series"][0]["completed"], 1);
  EXPECT_EQ(j["series"][0]["talk_seconds"], 60);
  EXPECT_EQ(j["series"][1]["calls"], 1);
  EXPECT_EQ(j["totals"]["calls"], 3);
}

TEST_F(AccountTest, AnalysisErrorsAreValues) {
  auto a = start();
  auto other_an = ask<domain::analysis_document>(a, analyze_atom::value,
                                                 domain::analysis_request{"traffic", {{"an", "0120999999"}}});
  ASSERT_TRUE(other_an);
  ASSERT_FALSE(*other_an);
  EXPECT_EQ(other_an->error().code, domain::error_code::not_found);

  auto bad = ask<domain::analysis_document>(a, analyze_atom::value,
                                            domain::analysis_request{"traffic", {{"from", "yesterday"}}});
  ASSERT_TRUE(bad);
  ASSERT_FALSE(*bad);
  EXPECT_EQ(bad->error().code, domain::error_code::invalid_parameter);
  EXPECT_EQ(bad->error().field, "from");

  auto detailed = ask<domain::analysis_document>(a, analyze_atom::value, domain::analysis_request{"origin", {}});
  ASSERT_TRUE(detailed);
  ASSERT_FALSE(*detailed);
  EXPECT_EQ(detailed->error().code, domain::error_code::plan_required);

  auto unknown = ask<domain::analysis_document>(a, analyze_atom::value, domain::analysis_request{"nonsense", {}});
  ASSERT_TRUE(unknown);
  ASSERT_FALSE(*unknown);
  EXPECT_EQ(unknown->error().code, domain::error_code::not_found);
}

TEST_F(AccountTest, AnswersCsvAsAFile) {
  auto a = start();
  ASSERT_TRUE(ingest(a, {call("c1", "0120111111", {2026, 11, 20}, 10, call_result::completed, 60)}));
  auto answer = ask<domain::analysis_document>(
      a, analyze_atom::value,
      domain::analysis_request{"incomplete", {{"from", "2026-11-20"}, {"to", "2026-11-20"}, {"format", "csv"}}});
  ASSERT_TRUE(answer && *answer);
  ASSERT_TRUE((*answer)->csv);
  EXPECT_EQ((*answer)->csv->filename, "incomplete_2026-11-20_2026-11-20.csv");
}

// Detailed data: kept from storage when the first detailed analysis comes, then kept up to date
// by ingest; a new actor (after passivation or a crash) reads the same from storage.
TEST_F(AccountTest, DetailedAnalysesReadWhatWasIngestedBeforeAndAfterTheyLoaded) {
  const auto origin_calls = [&](account_actor a) -> int {
    auto answer = ask<domain::analysis_document>(
        a, analyze_atom::value, domain::analysis_request{"origin", {{"from", "2026-11-01"}, {"to", "2026-11-30"}}});
    if (!answer || !*answer) return -1;
    return nlohmann::json::parse((*answer)->json)["totals"]["calls"].get<int>();
  };
  auto a = start("standard");
  ASSERT_TRUE(ingest(a, {call("c1", "0120111111", {2026, 11, 20}, 10, call_result::completed, 60),
                         call("c2", "0120222222", {2026, 11, 21}, 9, call_result::busy, 0)}));
  EXPECT_EQ(origin_calls(a), 2);  // loaded from storage
  ASSERT_TRUE(ingest(a, {call("c3", "0120111111", {2026, 11, 19}, 8, call_result::completed, 30),
                         call("c1", "0120111111", {2026, 11, 20}, 10, call_result::completed, 60)}));  // c1 again
  EXPECT_EQ(origin_calls(a), 3);  // the new call added in memory, the duplicate not

  auto again = start("standard");  // a second actor on the same storage
  EXPECT_EQ(origin_calls(again), 3);

  auto dn_filtered = ask<domain::analysis_document>(again, analyze_atom::value,
                                                    domain::analysis_request{"numbers", {{"dn", "0399999999"}}});
  ASSERT_TRUE(dn_filtered);
  ASSERT_FALSE(*dn_filtered);
  EXPECT_EQ(dn_filtered->error().code, domain::error_code::not_found);  // not a DN of this account
}

// Per-DN figures: the dn filter on a basic analysis counts the calls that DN took, written with
// the ingest and read again by a new actor from storage.
TEST_F(AccountTest, PerDnFiguresAnswerTheDnFilterOnBasicAnalyses) {
  const auto calls_to = [&](account_actor a, domain::query_params params) -> int {
    params.emplace_back("from", "2026-11-01");
    params.emplace_back("to", "2026-11-30");
    auto answer = ask<domain::analysis_document>(a, analyze_atom::value, domain::analysis_request{"traffic", params});
    if (!answer || !*answer) return -1;
    return nlohmann::json::parse((*answer)->json)["totals"]["calls"].get<int>();
  };
  auto a = start("standard");
  auto elsewhere = call("c3", "0120222222", {2026, 11, 21}, 9, call_result::completed, 10);
  elsewhere.dn = "0698765432";  // a DN the registry does not list for this OPID
  auto nowhere = call("c4", "0120111111", {2026, 11, 21}, 9, call_result::abandoned, 0);
  nowhere.dn.clear();  // never reached a destination
  ASSERT_TRUE(ingest(a, {call("c1", "0120111111", {2026, 11, 20}, 10, call_result::completed, 60),
                         call("c2", "0120222222", {2026, 11, 21}, 9, call_result::busy, 0), elsewhere, nowhere}));
  EXPECT_EQ(calls_to(a, {}), 4);
  EXPECT_EQ(calls_to(a, {{"dn", "0312345678"}}), 2);
  EXPECT_EQ(calls_to(a, {{"dn", "0312345678"}, {"an", "0120222222"}}), 1);
  ASSERT_TRUE(ingest(a, {call("c5", "0120222222", {2026, 11, 22}, 9, call_result::completed, 5)}));
  EXPECT_EQ(calls_to(a, {{"dn", "0312345678"}}), 3);  // kept current in memory

  auto again = start("standard");  // read from storage
  EXPECT_EQ(calls_to(again, {{"dn", "0312345678"}}), 3);
  EXPECT_EQ(calls_to(again, {{"dn", "0312345678"}, {"an", "0120111111"}}), 1);
  EXPECT_EQ(calls_to(again, {{"dn", "0399999999"}}), -1);  // not a DN of this account
}

// Groups: stored synced, listed by name, checked against the account's numbers, read again by a
// new actor from storage, and used by the an_group filter; a free account has none.
TEST_F(AccountTest, GroupsAreKeptCheckedAndFilterAnalyses) {
  const auto change = [](std::string name, std::vector<std::string> members, std::optional<std::string> id = {}) {
    return domain::group_change{
        domain::group_kind::an, std::move(id), {std::move(name), std::move(members)}, domain::lang::en};
  };
  auto a = start("standard");
  ASSERT_TRUE(ingest(a, {call("c1", "0120111111", {2026, 11, 20}, 10, call_result::completed, 60),
                         call("c2", "0120222222", {2026, 11, 21}, 9, call_result::busy, 0)}));
  auto second = ask<domain::number_group>(a, group_atom::value, change("West", {"0120222222"}));
  auto first = ask<domain::number_group>(a, group_atom::value, change("East", {"0120111111"}));
  ASSERT_TRUE(first && *first && second && *second);
  EXPECT_EQ((*first)->id.size(), 16u);
  EXPECT_NE((*first)->id, (*second)->id);

  auto refused = ask<domain::number_group>(a, group_atom::value, change("East", {"0120999999"}));
  ASSERT_TRUE(refused && !*refused);
  EXPECT_EQ(refused->error().code, domain::error_code::invalid_fields);
  ASSERT_EQ(refused->error().fields.size(), 2u);  // name_taken and an_not_in_account
  auto missing = ask<domain::number_group>(a, group_atom::value, change("x", {"0120111111"}, "0000000000000000"));
  ASSERT_TRUE(missing && !*missing);
  EXPECT_EQ(missing->error().code, domain::error_code::not_found);

  const auto calls_in = [&](account_actor actor, const std::string& group) -> int {
    auto answer = ask<domain::analysis_document>(
        actor, analyze_atom::value,
        domain::analysis_request{"traffic", {{"from", "2026-11-01"}, {"to", "2026-11-30"}, {"an_group", group}}});
    if (!answer || !*answer) return -1;
    return nlohmann::json::parse((*answer)->json)["totals"]["calls"].get<int>();
  };
  EXPECT_EQ(calls_in(a, (*first)->id), 1);
  EXPECT_EQ(calls_in(a, (*first)->id + "," + (*second)->id), 2);

  auto again = start("standard");  // read from storage
  auto listed = ask<std::vector<domain::number_group>>(again, groups_atom::value, domain::group_kind::an,
                                                       std::vector<std::string>{});
  ASSERT_TRUE(listed && *listed);
  ASSERT_EQ((*listed)->size(), 2u);
  EXPECT_EQ((**listed)[0].name, "East");  // by name
  EXPECT_EQ((**listed)[1].members, std::vector<std::string>{"0120222222"});
  EXPECT_EQ(calls_in(again, (*second)->id), 1);

  auto gone = ask<bool>(again, ungroup_atom::value, domain::group_kind::an, (*first)->id);
  ASSERT_TRUE(gone && *gone);
  auto twice = ask<bool>(again, ungroup_atom::value, domain::group_kind::an, (*first)->id);
  ASSERT_TRUE(twice && !*twice);
  EXPECT_EQ(twice->error().code, domain::error_code::not_found);
  EXPECT_EQ(calls_in(start("standard"), (*first)->id), -1);  // unknown ID now

  auto free_plan = ask<std::vector<domain::number_group>>(start("free"), groups_atom::value, domain::group_kind::an,
                                                          std::vector<std::string>{});
  ASSERT_TRUE(free_plan && !*free_plan);
  EXPECT_EQ(free_plan->error().code, domain::error_code::plan_required);
}

// Custom data sets: stored synced, listed with their counts, shown, replaced, deleted, read again
// by a new actor; points past the 24-month window are dropped (and written back) when loaded.
TEST_F(AccountTest, CustomDataSetsAreKeptCheckedAndTrimmedByRetention) {
  const auto at = [](const char* t, double v) { return domain::custom_point{*domain::parse_point_time(t), v}; };
  const auto change = [](std::string name, std::vector<domain::custom_point> points,
                         std::optional<std::string> id = {}) {
    return domain::custom_change{std::move(id), {std::move(name), "件", std::move(points)}, domain::lang::en};
  };
  const auto today = domain::jst_today(clock.now());
  const auto recent = domain::format_date(today);
  auto a = start("standard");
  auto made = ask<domain::custom_set>(
      a, customput_atom::value,
      change("Visits", {at(recent.c_str(), 2), at(recent.substr(0, 8).append("01").c_str(), 1)}));
  ASSERT_TRUE(made && *made);
  EXPECT_EQ((*made)->points.size(), 2u);
  EXPECT_LE((*made)->points[0].t, (*made)->points[1].t);  // sorted
  auto taken = ask<domain::custom_set>(a, customput_atom::value, change("Visits", {}));
  ASSERT_TRUE(taken && !*taken);
  EXPECT_EQ(taken->error().code, domain::error_code::invalid_fields);
  auto listed = ask<std::vector<domain::custom_summary>>(a, customs_atom::value);
  ASSERT_TRUE(listed && *listed);
  ASSERT_EQ((*listed)->size(), 1u);
  EXPECT_EQ((**listed)[0].points, 2u);

  // A point older than the window, as an older version of the service could have kept it.
  auto old = **made;
  old.points.insert(old.points.begin(), at("2020-01-01", 9));
  auto batch = db->batch();
  batch.put(storage::cf::custom, storage::custom_key(7, old.id), domain::custom_to_storage(old));
  ASSERT_TRUE(db->write(batch, true).ok());
  auto again = start("standard");
  auto shown = ask<domain::custom_set>(again, custom_atom::value, old.id);
  ASSERT_TRUE(shown && *shown);
  EXPECT_EQ((*shown)->points.size(), 2u);
  storage::status read;
  auto stored = db->get(storage::cf::custom, storage::custom_key(7, old.id), read);
  ASSERT_TRUE(read.ok() && stored);
  EXPECT_EQ(domain::custom_from_storage(old.id, *stored)->points.size(), 2u);  // written back

  auto replaced = ask<domain::custom_set>(again, customput_atom::value, change("Renamed", {}, old.id));
  ASSERT_TRUE(replaced && *replaced);
  EXPECT_TRUE((*replaced)->points.empty());
  auto gone = ask<bool>(again, customdel_atom::value, old.id);
  ASSERT_TRUE(gone && *gone);
  auto missing = ask<domain::custom_set>(start("standard"), custom_atom::value, old.id);
  ASSERT_TRUE(missing && !*missing);
  EXPECT_EQ(missing->error().code, domain::error_code::not_found);
  auto free_plan = ask<std::vector<domain::custom_summary>>(start("free"), customs_atom::value);
  ASSERT_TRUE(free_plan && !*free_plan);
  EXPECT_EQ(free_plan->error().code, domain::error_code::plan_required);
}

}  // namespace
// A child ID's an_groups (SPEC §15): its analyses count only its groups' ANs, another AN is not
// found, and a group deleted since leaves it nothing.
TEST_F(AccountTest, AChildsGroupLimitCutsEveryAnalysisToItsAns) {
  auto a = start("standard");
  ASSERT_TRUE(ingest(a, {call("c1", "0120111111", {2026, 11, 20}, 10, call_result::completed, 60),
                         call("c2", "0120222222", {2026, 11, 20}, 9, call_result::busy, 0),
                         call("c3", "0120222222", {2026, 11, 20}, 11, call_result::busy, 0)}));
  auto east = ask<domain::number_group>(
      a, group_atom::value,
      domain::group_change{domain::group_kind::an, std::nullopt, {"East", {"0120111111"}}, domain::lang::en});
  ASSERT_TRUE(east && *east);
  const auto traffic = [&](domain::query_params params, std::vector<std::string> limit) {
    params.emplace_back("from", "2026-11-20");
    params.emplace_back("to", "2026-11-20");
    domain::analysis_request q{"traffic", std::move(params)};
    q.an_group_limit = std::move(limit);
    return ask<domain::analysis_document>(a, analyze_atom::value, q);
  };
  auto limited = traffic({}, {(*east)->id});
  ASSERT_TRUE(limited && *limited);
  EXPECT_EQ(nlohmann::json::parse((*limited)->json)["totals"]["calls"], 1);
  auto whole = traffic({}, {});
  ASSERT_TRUE(whole && *whole);
  EXPECT_EQ(nlohmann::json::parse((*whole)->json)["totals"]["calls"], 3);
  auto other = traffic({{"an", "0120222222"}}, {(*east)->id});
  ASSERT_TRUE(other && !*other);
  EXPECT_EQ(other->error().code, domain::error_code::not_found);
  auto gone = traffic({}, {"0000000000000000"});
  ASSERT_TRUE(gone && *gone);
  EXPECT_EQ(nlohmann::json::parse((*gone)->json)["totals"]["calls"], 0);
}

// A limited child's groups (SPEC §15): each cut to its ANs, one with none of them hidden from the
// list and unknown as a filter; a child with no limit sees every group whole.
TEST_F(AccountTest, AChildSeesTheGroupsCutToItsAns) {
  auto a = start("standard");
  ASSERT_TRUE(ingest(a, {call("c1", "0120111111", {2026, 11, 20}, 10, call_result::completed, 60),
                         call("c2", "0120222222", {2026, 11, 20}, 9, call_result::busy, 0)}));
  const auto make = [&](std::string name, std::vector<std::string> members) {
    auto g = ask<domain::number_group>(
        a, group_atom::value,
        domain::group_change{
            domain::group_kind::an, std::nullopt, {std::move(name), std::move(members)}, domain::lang::en});
    return g && *g ? (*g)->id : std::string();
  };
  const auto east = make("East", {"0120111111"}), west = make("West", {"0120222222"});
  const auto both = make("Both", {"0120222222", "0120111111"});
  ASSERT_FALSE(east.empty() || west.empty() || both.empty());
  const auto listed = [&](std::vector<std::string> limit) {
    auto got = ask<std::vector<domain::number_group>>(a, groups_atom::value, domain::group_kind::an, limit);
    std::vector<std::pair<std::string, std::vector<std::string>>> out;
    if (got && *got)
      for (const auto& g : **got) out.emplace_back(g.name, g.members);
    return out;
  };
  using seen = std::vector<std::pair<std::string, std::vector<std::string>>>;
  EXPECT_EQ(listed({east}), (seen{{"Both", {"0120111111"}}, {"East", {"0120111111"}}}));
  EXPECT_EQ(listed({}),
            (seen{{"Both", {"0120222222", "0120111111"}}, {"East", {"0120111111"}}, {"West", {"0120222222"}}}));
  const auto calls = [&](std::string group) -> domain::expected<int> {
    domain::analysis_request q{"traffic", {{"from", "2026-11-20"}, {"to", "2026-11-20"}, {"an_group", group}}};
    q.an_group_limit = {east};
    auto answer = ask<domain::analysis_document>(a, analyze_atom::value, q);
    if (!answer) return domain::fail(domain::error_code::storage, "no answer");
    if (!*answer) return answer->error();
    return nlohmann::json::parse((*answer)->json)["totals"]["calls"].get<int>();
  };
  auto through_both = calls(both);
  ASSERT_TRUE(through_both.ok());
  EXPECT_EQ(*through_both, 1);
  auto through_west = calls(west);
  ASSERT_FALSE(through_west.ok());
  EXPECT_EQ(through_west.error().code, domain::error_code::invalid_parameter);
}

// A CSV upload: refused whole while a line is bad, stored synced with the good lines and the
// errors under partial, read again by a new actor; plan_required on free.
TEST_F(AccountTest, UploadedCsvBecomesASetOrNamesItsBadLines) {
  const auto today = domain::jst_today(clock.now());
  const std::string csv = "t,value\n" + domain::format_date(today) + ",5\nnot-a-day,1\n";
  domain::custom_upload upload{"Visits", "件", domain::text_encoding::automatic, false, csv, domain::lang::en};
  auto a = start("standard");
  auto refused = ask<domain::custom_upload_result>(a, customup_atom::value, upload);
  ASSERT_TRUE(refused && !*refused);
  ASSERT_EQ(refused->error().code, domain::error_code::invalid_fields);
  auto failure = refused->error();
  ASSERT_EQ(failure.fields.size(), 1u);
  EXPECT_EQ(failure.fields[0].line, 3u);
  auto none = ask<std::vector<domain::custom_summary>>(a, customs_atom::value);
  ASSERT_TRUE(none && *none);
  EXPECT_TRUE((*none)->empty());

  upload.partial = true;
  auto stored = ask<domain::custom_upload_result>(a, customup_atom::value, upload);
  ASSERT_TRUE(stored && *stored);
  EXPECT_EQ((*stored)->set.points.size(), 1u);
  ASSERT_EQ((*stored)->errors.size(), 1u);
  EXPECT_EQ((*stored)->errors[0].code, "invalid");
  auto shown = ask<domain::custom_set>(start("standard"), custom_atom::value, (*stored)->set.id);
  ASSERT_TRUE(shown && *shown);
  EXPECT_EQ((*shown)->name, "Visits");
  EXPECT_EQ((*shown)->points.size(), 1u);

  auto free_plan = ask<domain::custom_upload_result>(start("free"), customup_atom::value, upload);
  ASSERT_TRUE(free_plan && !*free_plan);
  EXPECT_EQ(free_plan->error().code, domain::error_code::plan_required);
}

}  // namespace cxs::actors
