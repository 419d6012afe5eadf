#include "zone/totp.h"

#include <gtest/gtest.h>

namespace ssocli {
namespace {

// RFC 6238 appendix B, SHA-1 key "12345678901234567890": the 8-digit codes end in these 6 digits.
TEST(TotpTest, MatchesRfc6238Vectors) {
  const std::string key = "12345678901234567890";
  EXPECT_EQ(TotpCode(key, 59), "287082");
  EXPECT_EQ(TotpCode(key, 1111111109), "081804");
  EXPECT_EQ(TotpCode(key, 1234567890), "005924");
  EXPECT_EQ(TotpCode(key, 2000000000), "279037");
}

TEST(TotpTest, AcceptsOneStepOfDriftEitherWay) {
  const std::string key = "12345678901234567890";
  const int64_t now = 1111111109;
  EXPECT_TRUE(VerifyTotp(key, TotpCode(key, now), now));
  EXPECT_TRUE(VerifyTotp(key, TotpCode(key, now - 30), now));
  EXPECT_TRUE(VerifyTotp(key, TotpCode(key, now + 30), now));
  EXPECT_FALSE(VerifyTotp(key, TotpCode(key, now - 90), now));
  EXPECT_FALSE(VerifyTotp(key, TotpCode(key, now + 90), now));
  EXPECT_FALSE(VerifyTotp(key, "12345", now));
  EXPECT_FALSE(VerifyTotp(key, "", now));
}

TEST(TotpTest, Base32DecodesAsAuthenticatorsShowIt) {
  // "12345678901234567890" in base32.
  EXPECT_EQ(Base32Decode("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"), "12345678901234567890");
  EXPECT_EQ(Base32Decode("gezd gnbv gy3t qojq gezd gnbv gy3t qojq"), "12345678901234567890");
  EXPECT_EQ(Base32Decode("MZXW6==="), "foo");
  EXPECT_FALSE(Base32Decode("MZXW1"));  // '1' is not base32
  EXPECT_FALSE(Base32Decode(""));
}

}  // namespace
}  // namespace ssocli
