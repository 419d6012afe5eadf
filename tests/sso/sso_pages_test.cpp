#include "sso/sso_pages.h"

#include <gtest/gtest.h>

#include <string>

namespace ssocli::sso {
namespace {

bool Has(const std::string& text, const std::string& needle) {
  return text.find(needle) != std::string::npos;
}

constexpr char kEvil[] = "<script>alert(1)</script>\"'&";
constexpr char kEscaped[] = "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;";

TEST(SsoPages, PasscodeStartPageHasTheFormOfTheInterface) {
  std::string page = PasscodeStartPage("get_token", "https://login.test/passcode", "STATE-1");
  EXPECT_TRUE(Has(page, "<form method=\"post\" action=\"/passcode\""));
  EXPECT_TRUE(Has(page, "name=\"passcode\""));
  EXPECT_TRUE(Has(page, "<input type=\"hidden\" name=\"state\" value=\"STATE-1\">"));
  EXPECT_TRUE(Has(page, "<button type=\"submit\" id=\"submit-passcode\">"));
  EXPECT_TRUE(Has(page, "href=\"https://login.test/passcode\""));
  EXPECT_TRUE(Has(page, "rel=\"noopener noreferrer\""));
  EXPECT_FALSE(Has(page, "role=\"alert\""));
  EXPECT_TRUE(Has(PasscodeStartPage("get_token", "u", "s", "Try again"), "role=\"alert\">Try again<"));
}

TEST(SsoPages, SelfContained) {
  for (const std::string& page : {PasscodeStartPage("get_token", "https://login.test/passcode", "s"),
                                  SuccessPage("acurl"), ErrorPage("get_token", "Oops", "what", "next")}) {
    EXPECT_EQ(page.rfind("<!DOCTYPE html>", 0), 0u);
    EXPECT_TRUE(Has(page, "<meta charset=\"utf-8\">"));
    EXPECT_TRUE(Has(page, "<style>"));
    EXPECT_FALSE(Has(page, "<script"));
    EXPECT_FALSE(Has(page, "<link"));
    EXPECT_FALSE(Has(page, "src="));
    EXPECT_FALSE(Has(page, "url("));
  }
}

TEST(SsoPages, SuccessAndErrorSayWhatHappenedAndWhatNext) {
  std::string ok = SuccessPage("acurl");
  EXPECT_TRUE(Has(ok, "Signed in"));
  EXPECT_TRUE(Has(ok, "acurl has your token"));
  EXPECT_TRUE(Has(ok, "close this tab"));
  std::string err = ErrorPage("get_token", "The SAML response was rejected",
                              "the assertion expired 5 minutes ago", "Run get_token again.");
  EXPECT_TRUE(Has(err, "<h1>The SAML response was rejected</h1>"));
  EXPECT_TRUE(Has(err, "the assertion expired 5 minutes ago"));
  EXPECT_TRUE(Has(err, "What to do next:"));
  EXPECT_TRUE(Has(err, "Run get_token again."));
  EXPECT_FALSE(Has(ErrorPage("p", "t", "w", ""), "What to do next"));
}

TEST(SsoPages, EscapeEveryInput) {
  std::string start = PasscodeStartPage(kEvil, kEvil, kEvil, kEvil);
  std::string success = SuccessPage(kEvil);
  std::string error = ErrorPage(kEvil, kEvil, kEvil, kEvil);
  for (const std::string& page : {start, success, error}) {
    EXPECT_FALSE(Has(page, "<script>")) << page;
    EXPECT_FALSE(Has(page, kEvil));
    EXPECT_TRUE(Has(page, kEscaped));
  }
  // An attribute value cannot be closed early.
  std::string quote = PasscodeStartPage("p", "https://x/\" onmouseover=\"alert(1)", "s\"><b>");
  EXPECT_FALSE(Has(quote, "\" onmouseover"));
  EXPECT_FALSE(Has(quote, "\"><b>"));
}

}  // namespace
}  // namespace ssocli::sso
