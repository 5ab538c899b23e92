// Seeds a data folder with N parent OPIDs (one AN each) and N accounts, written with the same
// codecs the directory uses, so memory and start-up can be measured at 100,000 accounts without
// spending N Argon2id hashes through the API (every account shares one precomputed hash).
//
//   cxs-bench-seed DATA_DIR N [registered YYYY-MM-DD]
// Writes DATA_DIR/db, DATA_DIR/registry.json (to pass as --registry) and DATA_DIR/accounts.txt
// (the IDs, line i = OPID S<i>).

#include "domain/account.hpp"
#include "domain/registry.hpp"
#include "storage/keys.hpp"
#include "storage/store.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

using namespace cxs;

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: cxs-bench-seed DATA_DIR N [registered]\n");
    return 2;
  }
  std::string dir = argv[1];
  auto n = static_cast<uint32_t>(std::stoul(argv[2]));
  auto registered = domain::parse_date(argc > 3 ? argv[3] : "2026-01-01");
  if (!registered) {
    std::fprintf(stderr, "bad date\n");
    return 2;
  }
  std::filesystem::create_directories(dir);
  std::string error;
  auto db = storage::store::open(dir + "/db", error);
  if (!db) {
    std::fprintf(stderr, "%s\n", error.c_str());
    return 1;
  }
  std::vector<domain::opid_entry> entries;
  auto hash = domain::hash_password("Bench2026pass").value();
  auto batch = db->batch();
  std::ofstream ids(dir + "/accounts.txt");  // account i holds OPID S<i> and AN 0120<i>
  for (uint32_t i = 0; i < n; ++i) {
    char opid[16], an[16], dn[16];
    std::snprintf(opid, sizeof opid, "S%07u", i);
    std::snprintf(an, sizeof an, "0120%06u", i);
    std::snprintf(dn, sizeof dn, "03%08u", 50000000 + i);
    entries.push_back({opid, true, {{an, {dn}}}});
    domain::account a;
    a.id = domain::new_account_id();
    ids << a.id << '\n';
    a.number = i + 1;
    a.opid = opid;
    a.plan = "free";
    a.auth_method = "otp";
    a.password_hash = hash;
    a.email = std::string("s") + std::to_string(i) + "@example.jp";
    a.registered = *registered;
    a.an_order = {an};
    a.retention_month = static_cast<uint16_t>(domain::month_index(*registered));
    batch.put(storage::cf::meta, storage::meta_account_key(a.id), domain::to_storage_json(a).dump());
    if (batch.count() >= 10000) {
      if (auto s = db->write(batch, false); !s.ok()) return std::fprintf(stderr, "%s\n", s.error.c_str()), 1;
      batch = db->batch();
    }
  }
  if (auto s = db->write(batch, true); !s.ok()) return std::fprintf(stderr, "%s\n", s.error.c_str()), 1;
  if (auto s = db->flush(); !s.ok()) return std::fprintf(stderr, "%s\n", s.error.c_str()), 1;
  std::ofstream(dir + "/registry.json") << domain::registry(entries).to_json().dump();
  std::printf("{\"accounts\":%u}\n", n);
  return 0;
}
