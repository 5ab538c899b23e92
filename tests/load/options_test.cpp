#include "load/options.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace cxs::load;

namespace {

std::variant<load_options, parse_failure> parse(std::vector<std::string> args) {
  args.insert(args.begin(), "cxs-load");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  return parse_options(static_cast<int>(argv.size()), argv.data());
}

const std::vector<std::string> base = {"--admin=https://127.0.0.1:9444", "--customer=https://127.0.0.1:9443",
                                       "--token-file=t", "--outbox=o"};

std::string failure_of(std::vector<std::string> extra) {
  auto args = base;
  args.insert(args.end(), extra.begin(), extra.end());
  auto r = parse(args);
  auto* f = std::get_if<parse_failure>(&r);
  return f ? f->message : std::string();
}

}  // namespace

TEST(LoadOptions, ParsesTheFlagsOfTheSpec) {
  auto args = base;
  for (auto s : {"--accounts=7", "--duration=3", "--rate=login:2", "--rate=dashboard:10,analysis:0.5", "--json"})
    args.push_back(s);
  auto r = parse(args);
  ASSERT_TRUE(std::holds_alternative<load_options>(r)) << std::get<parse_failure>(r).message;
  const auto& o = std::get<load_options>(r);
  EXPECT_EQ(o.accounts, 7u);
  EXPECT_EQ(o.duration_s, 3);
  EXPECT_TRUE(o.json);
  EXPECT_EQ(o.rate_of(operation::login), 2);
  EXPECT_EQ(o.rate_of(operation::dashboard), 10);
  EXPECT_EQ(o.rate_of(operation::analysis), 0.5);
  EXPECT_FALSE(o.uses(operation::signup));
}

TEST(LoadOptions, BadRatesNameTheFlag) {
  EXPECT_NE(failure_of({"--rate=login"}).find("--rate 'login' must be OP:PER_SECOND"), std::string::npos);
  EXPECT_NE(failure_of({"--rate=logout:3"}).find("unknown operation 'logout'"), std::string::npos);
  EXPECT_NE(failure_of({"--rate=login:fast"}).find("'fast' is not a number"), std::string::npos);
  EXPECT_NE(failure_of({"--rate=login:0"}).find("more than 0"), std::string::npos);
  EXPECT_NE(failure_of({"--rate=login:1", "--rate=login:2"}).find("names login twice"), std::string::npos);
  EXPECT_NE(failure_of({}).find("at least one --rate"), std::string::npos);
}

TEST(LoadOptions, LoopbackOnlyUnlessAllowed) {
  auto args = std::vector<std::string>{"--admin=https://10.0.0.5:9444", "--customer=https://127.0.0.1:9443",
                                       "--token-file=t", "--rate=ingest:1"};
  auto r = parse(args);
  ASSERT_TRUE(std::holds_alternative<parse_failure>(r));
  EXPECT_NE(std::get<parse_failure>(r).message.find("not a loopback address"), std::string::npos);
  args.push_back("--allow-remote");
  EXPECT_TRUE(std::holds_alternative<load_options>(parse(args)));
  EXPECT_TRUE(is_loopback_https_url("https://[::1]:1/"));
  EXPECT_TRUE(is_loopback_https_url("https://localhost:443"));
  EXPECT_FALSE(is_loopback_https_url("http://127.0.0.1:80"));
  EXPECT_FALSE(is_loopback_https_url("https://127.example.com"));
}

TEST(LoadOptions, OutboxNeededForMailedSteps) {
  auto r = parse({"--admin=https://127.0.0.1:1", "--customer=https://127.0.0.1:2", "--token-file=t", "--rate=login:1"});
  ASSERT_TRUE(std::holds_alternative<parse_failure>(r));
  EXPECT_NE(std::get<parse_failure>(r).message.find("--outbox"), std::string::npos);
  // Ingest alone needs no mail.
  EXPECT_TRUE(std::holds_alternative<load_options>(
      parse({"--admin=https://127.0.0.1:1", "--customer=https://127.0.0.1:2", "--token-file=t", "--rate=ingest:1"})));
}

TEST(LoadOptions, MissingRequiredFlagIsAUsageError) {
  auto r = parse({"--customer=https://127.0.0.1:2", "--token-file=t", "--rate=ingest:1"});
  ASSERT_TRUE(std::holds_alternative<parse_failure>(r));
  EXPECT_EQ(std::get<parse_failure>(r).exit_code, 2);
  EXPECT_NE(std::get<parse_failure>(r).message.find("--admin"), std::string::npos);
}
