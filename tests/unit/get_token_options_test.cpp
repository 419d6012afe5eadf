#include "cli/get_token_options.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

namespace ssocli {
namespace {

// Owns a mutable argv, like the one main() gets.
class Argv {
 public:
  Argv(std::initializer_list<std::string> args) {
    storage_.emplace_back("get_token");
    for (const auto& a : args) storage_.push_back(a);
    for (auto& s : storage_) ptrs_.push_back(s.data());
    ptrs_.push_back(nullptr);
  }
  int argc() const { return static_cast<int>(ptrs_.size() - 1); }
  char** argv() { return ptrs_.data(); }
  std::string at(int i) const { return ptrs_[static_cast<size_t>(i)]; }

 private:
  std::vector<std::string> storage_;
  std::vector<char*> ptrs_;
};

Result<GetTokenOptions> Parse(Argv& a) { return ParseGetTokenArgs(a.argc(), a.argv()); }

TEST(GetTokenOptions, UserAndPasswordSplitAtTheFirstColon) {
  Argv a{"-u", "Alice@Example.com:s3cr:t pw", "-m", "123456"};
  auto o = Parse(a);
  ASSERT_TRUE(o.ok()) << o.status().message();
  EXPECT_EQ(o->sign_in.user, "Alice@Example.com");
  EXPECT_EQ(o->sign_in.password, "s3cr:t pw");
  EXPECT_EQ(o->sign_in.mfa_code, "123456");
}

TEST(GetTokenOptions, SecretsAreOverwrittenInArgv) {
  Argv a{"-u", "alice:hunter2", "-m", "123456", "-p", "PASSCODE1"};
  auto o = Parse(a);
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(a.at(2), "alice:xxxxxxx");
  EXPECT_EQ(a.at(4), "xxxxxx");
  EXPECT_EQ(a.at(6), "xxxxxxxxx");
  EXPECT_EQ(o->sign_in.password, "hunter2");
  EXPECT_EQ(o->sign_in.passcode, "PASSCODE1");
  Argv attached{"-ualice:hunter2", "-pCODE"};
  ASSERT_TRUE(Parse(attached).ok());
  EXPECT_EQ(attached.at(1), "-ualice:xxxxxxx");
  EXPECT_EQ(attached.at(2), "-pxxxx");
}

TEST(GetTokenOptions, EmptyMfaCodeCountsAsGiven) {
  Argv a{"-m", ""};
  auto o = Parse(a);
  ASSERT_TRUE(o.ok());
  ASSERT_TRUE(o->sign_in.mfa_code.has_value());
  EXPECT_EQ(*o->sign_in.mfa_code, "");
}

TEST(GetTokenOptions, PasscodeValueIsOptional) {
  Argv bare{"-p", "-v"};
  auto o = Parse(bare);
  ASSERT_TRUE(o.ok());
  EXPECT_TRUE(o->sign_in.passcode_flow);
  EXPECT_FALSE(o->sign_in.passcode);
  EXPECT_TRUE(o->verbose);
  Argv last{"-p"};
  o = Parse(last);
  ASSERT_TRUE(o.ok());
  EXPECT_TRUE(o->sign_in.passcode_flow);
  EXPECT_FALSE(o->sign_in.passcode);
}

TEST(GetTokenOptions, AllFlags) {
  Argv a{"--force-basic-auth", "--insecure", "-v", "--json", "--non-interactive", "--cacert", "/ca.pem"};
  auto o = Parse(a);
  ASSERT_TRUE(o.ok());
  EXPECT_TRUE(o->sign_in.force_basic_auth);
  EXPECT_TRUE(o->insecure);
  EXPECT_TRUE(o->verbose);
  EXPECT_TRUE(o->json);
  EXPECT_TRUE(o->sign_in.non_interactive);
  EXPECT_EQ(o->cacert, "/ca.pem");
  Argv eq{"--cacert=/x.pem", "--print-sso-cache", "--clear-sso-cache", "--clear-all-sso-cache", "--version", "-k"};
  o = Parse(eq);
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->cacert, "/x.pem");
  EXPECT_TRUE(o->print_cache && o->clear_cache && o->clear_all_cache && o->version && o->insecure);
}

TEST(GetTokenOptions, BrowserFlags) {
  Argv a{"--sso", "--no-browser", "--browser", "firefox %s", "--idp-metadata=/idp.xml", "--sp-entity-id", "sp",
         "--saml-recipient", "https://r", "--port", "8250", "--sso-timeout=60"};
  auto o = Parse(a);
  ASSERT_TRUE(o.ok()) << o.status().message();
  EXPECT_TRUE(o->sign_in.browser);
  EXPECT_TRUE(o->browser.no_browser);
  EXPECT_EQ(o->browser.browser, "firefox %s");
  EXPECT_EQ(o->browser.idp_metadata, "/idp.xml");
  EXPECT_EQ(o->browser.sp_entity_id, "sp");
  EXPECT_EQ(o->browser.saml_recipient, "https://r");
  EXPECT_EQ(o->browser.port, 8250);
  EXPECT_EQ(o->browser.timeout_seconds, 60);
  Argv zero{"--port", "0"};
  EXPECT_EQ(Parse(zero)->browser.port, 0);
}

TEST(GetTokenOptions, HelpWins) {
  Argv a{"-h", "--bogus"};
  auto o = Parse(a);
  ASSERT_TRUE(o.ok());
  EXPECT_TRUE(o->help);
  Argv b{"--help"};
  EXPECT_TRUE(Parse(b)->help);
}

TEST(GetTokenOptions, UsageErrors) {
  for (auto args : std::vector<std::vector<std::string>>{
           {"--bogus"}, {"-x"}, {"stray"}, {"-u"}, {"-u", "-v"}, {"-u", ":pw"}, {"-m"}, {"-m", "-v"},
           {"--cacert"}, {"--cacert="}, {"--json=yes"}, {"--port", "65536"}, {"--port", "x"}, {"--port"},
           {"--sso-timeout", "0"}, {"--sso-timeout", "-5"}, {"--browser"}, {"--idp-metadata="}, {"--sso=1"}}) {
    std::vector<std::string> full = args;
    std::vector<std::string> storage{"get_token"};
    storage.insert(storage.end(), full.begin(), full.end());
    std::vector<char*> ptrs;
    for (auto& s : storage) ptrs.push_back(s.data());
    ptrs.push_back(nullptr);
    auto o = ParseGetTokenArgs(static_cast<int>(storage.size()), ptrs.data());
    ASSERT_FALSE(o.ok()) << full[0];
    EXPECT_EQ(o.status().kind(), ErrorKind::kUsage) << full[0];
    EXPECT_FALSE(o.status().message().empty());
  }
}

}  // namespace
}  // namespace ssocli
