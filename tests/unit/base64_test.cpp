#include "core/base64.h"

#include <gtest/gtest.h>

namespace ssocli {
namespace {

TEST(Base64, EncodesLikeCoreutilsBase64) {
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Encode("foo"), "Zm9v");
  // The cache dir name of the compat fixtures.
  EXPECT_EQ(Base64Encode("http://127.0.0.1:18997"), "aHR0cDovLzEyNy4wLjAuMToxODk5Nw==");
  EXPECT_EQ(Base64Encode("alice@example.com-token.dat"), "YWxpY2VAZXhhbXBsZS5jb20tdG9rZW4uZGF0");
}

TEST(Base64, RoundTripsEveryByte) {
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  for (size_t len = 0; len < all.size(); len += 7) {
    std::string s = all.substr(0, len);
    EXPECT_EQ(Base64Decode(Base64Encode(s)), s);
    EXPECT_EQ(Base64UrlDecode(Base64UrlEncode(s)), s);
  }
}

TEST(Base64, UrlAlphabetHasNoPaddingAndNoPlusOrSlash) {
  std::string s = "\xfb\xff\xbf";
  EXPECT_EQ(Base64Encode(s), "+/+/");
  EXPECT_EQ(Base64UrlEncode(s), "-_-_");
  EXPECT_EQ(Base64UrlEncode("f"), "Zg");
  EXPECT_EQ(Base64UrlDecode("Zg"), "f");
  EXPECT_EQ(Base64UrlDecode("Zg=="), "f");
}

TEST(Base64, RejectsGarbage) {
  EXPECT_FALSE(Base64Decode("Zm9v!"));
  EXPECT_FALSE(Base64Decode("Z"));
  EXPECT_FALSE(Base64Decode("Zm=9"));
  EXPECT_FALSE(Base64Decode("-_-_"));  // URL alphabet is not standard
  EXPECT_FALSE(Base64UrlDecode("+/+/"));
  EXPECT_FALSE(Base64Decode("Zg==="));
}

}  // namespace
}  // namespace ssocli
