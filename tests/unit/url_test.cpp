#include "core/url.h"

#include <gtest/gtest.h>

namespace ssocli {
namespace {

TEST(PercentEncode, KeepsUnreservedAndEncodesTheRestUppercase) {
  EXPECT_EQ(PercentEncode("alice@example.com"), "alice%40example.com");
  EXPECT_EQ(PercentEncode("s3cr:t pw"), "s3cr%3At%20pw");
  EXPECT_EQ(PercentEncode("AZaz09-._~"), "AZaz09-._~");
  EXPECT_EQ(PercentEncode("+/=&?#%"), "%2B%2F%3D%26%3F%23%25");
  EXPECT_EQ(PercentEncode("\xc3\xa9"), "%C3%A9");  // UTF-8 bytes
}

TEST(PercentDecode, DecodesAndKeepsMalformedEscapes) {
  EXPECT_EQ(PercentDecode("a%40b+c", true), "a@b c");
  EXPECT_EQ(PercentDecode("a%40b+c", false), "a@b+c");
  EXPECT_EQ(PercentDecode("100%", true), "100%");
  EXPECT_EQ(PercentDecode("%zz%4", true), "%zz%4");
}

TEST(FormEncode, JoinsEncodedPairs) {
  EXPECT_EQ(FormEncode({{"grant_type", "password"}, {"username", "a@b"}, {"password", "p&q=r"}}),
            "grant_type=password&username=a%40b&password=p%26q%3Dr");
}

TEST(ValidateLoginUrl, AcceptsHttpAndHttpsBaseUrls) {
  EXPECT_TRUE(ValidateLoginUrl("https://login.apigee.com").ok());
  EXPECT_TRUE(ValidateLoginUrl("https://zone.login.apigee.com/").ok());
  EXPECT_TRUE(ValidateLoginUrl("http://127.0.0.1:18997").ok());
  EXPECT_TRUE(ValidateLoginUrl("HTTPS://Zone.Login.Apigee.com").ok());
}

TEST(ValidateLoginUrl, RejectsUnusableValuesWithKLoginUrl) {
  for (const char* bad : {"", "login.apigee.com", "ftp://x", "https://", "https://x/?a=b", "https://x/#f",
                          "https://x y", "https://x\n"}) {
    Status st = ValidateLoginUrl(bad);
    EXPECT_FALSE(st.ok()) << bad;
    EXPECT_EQ(st.kind(), ErrorKind::kLoginUrl) << bad;
    EXPECT_FALSE(st.message().empty());
  }
}

TEST(UrlHost, ExtractsTheHost) {
  EXPECT_EQ(UrlHost("https://zone.login.apigee.com"), "zone.login.apigee.com");
  EXPECT_EQ(UrlHost("https://zone.login.apigee.com:8443/x"), "zone.login.apigee.com");
  EXPECT_EQ(UrlHost("http://127.0.0.1:18997"), "127.0.0.1");
  EXPECT_EQ(UrlHost("http://[::1]:80/"), "[::1]");
  EXPECT_EQ(UrlHost("http://u:p@h/"), "h");
  EXPECT_EQ(UrlHost("mailto:x"), "");
}

}  // namespace
}  // namespace ssocli
