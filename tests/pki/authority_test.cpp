// The certificate authority (SPEC §16): the root made once and kept, client certificates with the
// ID as CN, clientAuth, a random serial and a year's validity, the PKCS#12 under its password with
// AES-256-CBC and PBKDF2 (read back by OpenSSL's own `openssl pkcs12`), CSRs checked, the CRL, and
// presented certificates recognised only when ours.
#include "pki/authority.hpp"
#include "tests/pki/test_requests.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>

namespace cxs::pki {
namespace {

namespace fs = std::filesystem;
constexpr int64_t t0 = 1'795'000'000;  // 2026-11-18
const std::string id = "AbCdEf1234";

class AuthorityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = fs::temp_directory_path() / ("cxs-pki-" + std::to_string(::getpid()) + "-" +
                                       ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir);
    std::string error;
    auto opened = authority::open((dir / "ca").string(), t0, error);
    ASSERT_TRUE(opened) << error;
    ca.emplace(std::move(*opened));
  }
  void TearDown() override { fs::remove_all(dir); }

  fs::path dir;
  std::optional<authority> ca;
};

X509* read_cert(const std::string& pem) {
  BIO* b = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  X509* c = PEM_read_bio_X509(b, nullptr, nullptr, nullptr);
  BIO_free(b);
  return c;
}

std::string der_of(X509* c) {
  unsigned char* der = nullptr;
  int len = i2d_X509(c, &der);
  std::string out(reinterpret_cast<char*>(der), static_cast<std::size_t>(len));
  OPENSSL_free(der);
  return out;
}

std::string cn_of(X509* c) {
  char buf[256] = {};
  X509_NAME_get_text_by_NID(X509_get_subject_name(c), NID_commonName, buf, sizeof buf);
  return buf;
}

std::string run(const std::string& command) {
  std::string out;
  FILE* p = ::popen((command + " 2>&1").c_str(), "r");
  std::array<char, 512> buf{};
  while (p && std::fgets(buf.data(), buf.size(), p)) out += buf.data();
  if (p) ::pclose(p);
  return out;
}

TEST_F(AuthorityTest, TheRootIsMadeOnceKeptPrivateAndIsACa) {
  struct stat st {};
  ASSERT_EQ(::stat((dir / "ca").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  ASSERT_EQ(::stat((dir / "ca/ca.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  X509* root = read_cert(ca->ca_pem());
  ASSERT_TRUE(root);
  EXPECT_EQ(cn_of(root), "CX Support Root");
  EXPECT_EQ(X509_check_ca(root), 1);
  X509_free(root);
  std::string error;
  auto again = authority::open((dir / "ca").string(), t0 + 86400, error);
  ASSERT_TRUE(again) << error;
  EXPECT_EQ(again->ca_pem(), ca->ca_pem()) << "the same root after a restart";
}

TEST_F(AuthorityTest, AMismatchedKeyIsRefusedAtOpen) {
  std::string error;
  auto other = authority::open((dir / "other").string(), t0, error);
  ASSERT_TRUE(other);
  fs::copy_file(dir / "other/ca.key", dir / "ca/ca.key", fs::copy_options::overwrite_existing);
  EXPECT_FALSE(authority::open((dir / "ca").string(), t0, error));
  EXPECT_NE(error.find("do not match"), std::string::npos) << error;
}

TEST_F(AuthorityTest, APkcs12OpensWithItsPasswordAndHoldsTheRightCertificate) {
  auto made = ca->issue_pkcs12(id, t0);
  ASSERT_TRUE(std::holds_alternative<pkcs12_bundle>(made)) << std::get<refusal>(made).detail;
  auto& bundle = std::get<pkcs12_bundle>(made);
  EXPECT_EQ(bundle.password.size(), 16u);
  EXPECT_GE(bundle.certificate.serial_hex.size(), 16u) << "at least 64 bits";
  EXPECT_EQ(bundle.certificate.not_after - bundle.certificate.not_before, certificate_lifetime_s);

  const auto* bytes = reinterpret_cast<const unsigned char*>(bundle.der.data());
  PKCS12* p12 = d2i_PKCS12(nullptr, &bytes, static_cast<long>(bundle.der.size()));
  ASSERT_TRUE(p12);
  EVP_PKEY* key = nullptr;
  X509* cert = nullptr;
  STACK_OF(X509)* chain = nullptr;
  EXPECT_NE(PKCS12_parse(p12, "wrong password", &key, &cert, &chain), 1);
  ASSERT_EQ(PKCS12_parse(p12, bundle.password.c_str(), &key, &cert, &chain), 1);
  EXPECT_EQ(cn_of(cert), id);
  EXPECT_EQ(X509_check_private_key(cert, key), 1);
  EXPECT_EQ(X509_check_purpose(cert, X509_PURPOSE_SSL_CLIENT, 0), 1);
  EXPECT_TRUE(X509_get_extended_key_usage(cert) & XKU_SSL_CLIENT);
  EXPECT_EQ(X509_check_ca(cert), 0);
  EXPECT_EQ(chain ? sk_X509_num(chain) : 0, 0) << "the root is not handed over to be trusted";
  auto seen = ca->recognise(der_of(cert));
  ASSERT_TRUE(seen);
  EXPECT_EQ(seen->id, id);
  EXPECT_EQ(seen->serial_hex, bundle.certificate.serial_hex);
  EXPECT_EQ(seen->not_before, t0);
  EXPECT_EQ(seen->not_after, t0 + certificate_lifetime_s);
  EVP_PKEY_free(key);
  X509_free(cert);
  sk_X509_pop_free(chain, X509_free);
  PKCS12_free(p12);

  // OpenSSL's own tool reads it with the password, and names the encryption SPEC §16 asks for.
  const auto file = dir / "cxs.p12";
  std::ofstream(file, std::ios::binary) << bundle.der;
  const auto info = run("openssl pkcs12 -info -noout -in " + file.string() + " -passin pass:" + bundle.password);
  EXPECT_NE(info.find("PBES2, PBKDF2, AES-256-CBC"), std::string::npos) << info;
  EXPECT_NE(info.find("MAC: sha256"), std::string::npos) << info;
  EXPECT_EQ(info.find("error"), std::string::npos) << info;
}

TEST_F(AuthorityTest, ACsrIsSignedOnlyForItsOwnIdAndAStrongKey) {
  EVP_PKEY* ec = EVP_EC_gen("P-256");
  auto signed_csr = ca->sign_csr(testing::csr_for(id, ec), id, t0);
  ASSERT_TRUE(std::holds_alternative<issued_certificate>(signed_csr)) << std::get<refusal>(signed_csr).detail;
  X509* cert = read_cert(std::get<issued_certificate>(signed_csr).pem);
  ASSERT_TRUE(cert);
  EXPECT_EQ(cn_of(cert), id);
  EXPECT_EQ(EVP_PKEY_eq(X509_get0_pubkey(cert), ec), 1) << "the customer's own key";
  EXPECT_TRUE(ca->recognise(der_of(cert)));
  X509_free(cert);

  auto other = ca->sign_csr(testing::csr_for("ZyXwVu9876", ec), id, t0);
  ASSERT_TRUE(std::holds_alternative<refusal>(other));
  EXPECT_EQ(std::get<refusal>(other).code, "csr_subject");
  for (std::string junk :
       {"", "hello", "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n"}) {
    auto refused = ca->sign_csr(junk, id, t0);
    ASSERT_TRUE(std::holds_alternative<refusal>(refused)) << junk;
    EXPECT_EQ(std::get<refusal>(refused).code, "csr_invalid") << junk;
  }
  EVP_PKEY* weak = EVP_RSA_gen(1024);
  auto refused = ca->sign_csr(testing::csr_for(id, weak), id, t0);
  ASSERT_TRUE(std::holds_alternative<refusal>(refused));
  EXPECT_EQ(std::get<refusal>(refused).code, "csr_key");
  EVP_PKEY_free(weak);
  EVP_PKEY_free(ec);
}

TEST_F(AuthorityTest, OnlyOurClientCertificatesAreRecognised) {
  std::string error;
  auto stranger = authority::open((dir / "stranger").string(), t0, error);
  ASSERT_TRUE(stranger);
  auto theirs = stranger->issue_pkcs12(id, t0);
  ASSERT_TRUE(std::holds_alternative<pkcs12_bundle>(theirs));
  X509* cert = read_cert(std::get<pkcs12_bundle>(theirs).certificate.pem);
  EXPECT_FALSE(ca->recognise(der_of(cert))) << "same names, another root's key";
  X509_free(cert);
  X509* root = read_cert(ca->ca_pem());
  EXPECT_FALSE(ca->recognise(der_of(root))) << "the root itself is no client certificate";
  X509_free(root);
  EXPECT_FALSE(ca->recognise("not DER at all"));
}

TEST_F(AuthorityTest, TheCrlListsTheRevokedSerials) {
  auto a = std::get<pkcs12_bundle>(ca->issue_pkcs12(id, t0)).certificate;
  auto b = std::get<pkcs12_bundle>(ca->issue_pkcs12(id, t0)).certificate;
  const auto pem = ca->crl_pem({{a.serial_hex, t0 + 60}, {b.serial_hex, t0 + 120}}, t0 + 300);
  ASSERT_FALSE(pem.empty());
  const auto file = dir / "ca.crl";
  std::ofstream(file) << pem;
  const auto root_file = dir / "root.pem";
  std::ofstream(root_file) << ca->ca_pem();
  const auto text = run("openssl crl -noout -text -in " + file.string());
  auto upper = [](std::string s) {
    for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
  };
  EXPECT_NE(upper(text).find(upper(a.serial_hex)), std::string::npos) << text;
  EXPECT_NE(upper(text).find(upper(b.serial_hex)), std::string::npos) << text;
  EXPECT_NE(text.find("CX Support Root"), std::string::npos) << text;
  const auto verified = run("openssl crl -noout -in " + file.string() + " -CAfile " + root_file.string());
  EXPECT_NE(verified.find("verify OK"), std::string::npos) << verified;
  EXPECT_NE(ca->crl_pem({}, t0), "") << "an empty CRL is a CRL too";
}

TEST(Pkcs12Password, SixteenCharactersWithoutLookAlikes) {
  for (int i = 0; i < 200; ++i) {
    auto p = new_pkcs12_password();
    ASSERT_EQ(p.size(), 16u);
    EXPECT_EQ(p.find_first_of("0O1lI"), std::string::npos) << p;
  }
  EXPECT_NE(new_pkcs12_password(), new_pkcs12_password());
}

}  // namespace
}  // namespace cxs::pki
