// Argon2id password hashes (SPEC §4, issue 11): what they look like, that they verify, and that a
// hash without memory is a `busy` failure to answer 503, not an abort and not a wrong password.
#include "domain/account.hpp"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <fstream>
#include <string>

namespace cxs::domain {
namespace {

TEST(PasswordHash, HashesAreSaltedArgon2idThatVerify) {
  auto a = hash_password("Passw0rdTest");
  auto b = hash_password("Passw0rdTest");
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->rfind("$argon2id$v=19$m=19456,t=2,p=1$", 0), 0u) << *a;
  EXPECT_NE(*a, *b) << "a fresh salt each time";
  auto right = verify_password("Passw0rdTest", *a);
  auto wrong = verify_password("Passw0rdTesT", *a);
  ASSERT_TRUE(right.ok() && wrong.ok());
  EXPECT_TRUE(*right);
  EXPECT_FALSE(*wrong);
}

TEST(PasswordHash, ABrokenStoredHashIsAnInternalFailureNotAWrongPassword) {
  for (std::string stored : {"", "$argon2id$stand-in", "$argon2i$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA"}) {
    auto v = verify_password("Passw0rdTest", stored);
    ASSERT_FALSE(v.ok()) << stored;
    EXPECT_EQ(v.error().code, error_code::internal) << stored;
  }
}

// The process's address space now, in bytes (VmSize of /proc/self/status).
rlim_t address_space_in_use() {
  std::ifstream status("/proc/self/status");
  std::string key;
  rlim_t kib = 0;
  while (status >> key)
    if (key == "VmSize:") {
      status >> kib;
      break;
    }
  return kib * 1024;
}

// Run in a child process: caps the address space a few MiB above what it uses, so Argon2id
// cannot get its 19 MiB; exits 0 when hashing and verifying both answered busy.
[[noreturn]] void hash_without_memory(const std::string& stored) {
  rlimit cap{};
  cap.rlim_cur = address_space_in_use() + (4u << 20);
  cap.rlim_max = RLIM_INFINITY;
  if (setrlimit(RLIMIT_AS, &cap) != 0) _exit(3);
  auto h = hash_password("Passw0rdTest");
  auto v = verify_password("Passw0rdTest", stored);
  bool busy = !h && h.error().code == error_code::busy && !v.ok() && v.error().code == error_code::busy;
  _exit(busy ? 0 : 1);
}

TEST(PasswordHashDeathTest, WithoutMemoryHashingIsBusyAndNothingAborts) {
  auto stored = hash_password("Passw0rdTest");
  ASSERT_TRUE(stored);
  EXPECT_EXIT(hash_without_memory(*stored), ::testing::ExitedWithCode(0), "");
}

}  // namespace
}  // namespace cxs::domain
