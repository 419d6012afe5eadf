#include "zone/jwt_signer.h"

#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "core/base64.h"
#include "zone_test_util.h"

namespace ssocli {
namespace {

using nlohmann::ordered_json;
using testing::JwtPart;
using testing::Keys;
using testing::SharedTestSigner;

ordered_json SampleClaims() {
  ordered_json claims;
  claims["jti"] = "abc";
  claims["sub"] = "user";
  claims["exp"] = 2000000000;
  return claims;
}

TEST(JwtSignerTest, SignsWithUaaHeaderAndVerifies) {
  auto signer = SharedTestSigner();
  std::string jwt = signer->Sign(SampleClaims(), "http://zone/token_keys");
  ordered_json header = JwtPart(jwt, 0);
  EXPECT_EQ(Keys(header), (std::vector<std::string>{"alg", "jku", "kid", "typ"}));
  EXPECT_EQ(header["alg"], "RS256");
  EXPECT_EQ(header["jku"], "http://zone/token_keys");
  EXPECT_EQ(header["kid"], signer->kid());
  EXPECT_EQ(header["typ"], "JWT");
  EXPECT_EQ(Keys(JwtPart(jwt, 1)), (std::vector<std::string>{"jti", "sub", "exp"}));
  auto claims = signer->Verify(jwt);
  ASSERT_TRUE(claims.ok()) << claims.status().message();
  EXPECT_EQ((*claims)["sub"], "user");
}

TEST(JwtSignerTest, RejectsTamperingAndMalformedTokens) {
  auto signer = SharedTestSigner();
  std::string jwt = signer->Sign(SampleClaims(), "x");
  size_t dot = jwt.find('.');
  ordered_json forged = SampleClaims();
  forged["sub"] = "admin";
  std::string tampered = jwt.substr(0, dot + 1) + Base64UrlEncode(forged.dump()) + jwt.substr(jwt.rfind('.'));
  EXPECT_FALSE(signer->Verify(tampered).ok());
  std::string none = Base64UrlEncode(R"({"alg":"none"})") + "." + Base64UrlEncode(forged.dump()) + ".";
  EXPECT_FALSE(signer->Verify(none).ok());
  for (const char* bad : {"", ".", "..", "...", "a.b", "a.b.c.d", "!!.??.**", "e30.e30.e30", "eyJ.eyJ.eyJ"}) {
    EXPECT_FALSE(signer->Verify(bad).ok()) << bad;
  }
  EXPECT_FALSE(signer->Verify(jwt + "x").ok());
  auto other = JwtSigner::Generate();
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(other->Verify(jwt).ok());
}

TEST(JwtSignerTest, JwkCarriesThePublicKey) {
  auto signer = SharedTestSigner();
  ordered_json jwk = signer->Jwk();
  EXPECT_EQ(Keys(jwk), (std::vector<std::string>{"kty", "e", "use", "kid", "alg", "value", "n"}));
  EXPECT_EQ(jwk["kty"], "RSA");
  EXPECT_EQ(jwk["e"], "AQAB");
  EXPECT_EQ(jwk["use"], "sig");
  EXPECT_EQ(jwk["alg"], "RS256");
  std::string pem = jwk["value"];
  EXPECT_EQ(pem.rfind("-----BEGIN PUBLIC KEY-----\n", 0), 0u);
  EXPECT_EQ(Base64UrlDecode(jwk["n"].get<std::string>())->size(), 256u);
}

TEST(JwtSignerTest, LoadsPemKeysAndRejectsOthers) {
  EvpPkeyPtr key(EVP_RSA_gen(2048));
  ASSERT_TRUE(key);
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  ASSERT_EQ(PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr), 1);
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  std::string pem(data, static_cast<size_t>(len));
  auto a = JwtSigner::FromPem(pem);
  auto b = JwtSigner::FromPem(pem);
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_EQ(a->kid(), b->kid());  // same key, same kid across runs
  EXPECT_TRUE(b->Verify(a->Sign(SampleClaims(), "x")).ok());

  EXPECT_EQ(JwtSigner::FromPem("not a key").status().kind(), ErrorKind::kUsage);
  EXPECT_EQ(JwtSigner::FromPemFile("/nonexistent/key.pem").status().kind(), ErrorKind::kUsage);
  EvpPkeyPtr ec(EVP_EC_gen("P-256"));
  std::unique_ptr<BIO, decltype(&BIO_free)> ec_bio(BIO_new(BIO_s_mem()), BIO_free);
  PEM_write_bio_PrivateKey(ec_bio.get(), ec.get(), nullptr, nullptr, 0, nullptr, nullptr);
  len = BIO_get_mem_data(ec_bio.get(), &data);
  EXPECT_FALSE(JwtSigner::FromPem(std::string(data, static_cast<size_t>(len))).ok());
}

}  // namespace
}  // namespace ssocli
