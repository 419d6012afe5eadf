// ssocli token show: what is cached, decoded, never the token itself.
#include "integration/get_token_fixture.h"

namespace ssocli::testing {
namespace {

class TokenShowTest : public GetTokenTest {
 protected:
  ProcessResult Show(const std::vector<std::string>& args) {
    ProcessSpec spec = Spec(args);
    spec.argv[0] = StagedBin("ssocli");
    spec.argv.insert(spec.argv.begin() + 1, {"token", "show"});
    return RunProcess(spec);
  }
};

TEST_F(TokenShowTest, ShowsEveryCachedUserButNoToken) {
  std::string bob = SignIn("bob@example.com", "bob-pw");
  std::string alice = SignIn("alice@example.com", "s3cr:t pw");
  auto r = Show({});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("user:          alice@example.com"));
  EXPECT_THAT(r.out, HasSubstr("user:          bob@example.com"));
  EXPECT_THAT(r.out, HasSubstr("refresh token: yes"));
  EXPECT_THAT(r.out, ::testing::ContainsRegex("expires: +20[0-9-]+T[0-9:]+Z \\(in 1[12]h [0-9]+m\\)"));
  EXPECT_THAT(r.out, HasSubstr(TokenFile("bob@example.com")));
  EXPECT_THAT(r.out, Not(HasSubstr(bob)));
  EXPECT_THAT(r.out, Not(HasSubstr(alice)));
  EXPECT_THAT(r.out, Not(HasSubstr("eyJ")));

  auto j = Show({"--json", "-u", "Bob@Example.com"});
  ASSERT_EQ(j.exit_code, 0) << j.err;
  auto obj = nlohmann::json::parse(j.out, nullptr, false);
  ASSERT_TRUE(obj.is_object()) << j.out;
  EXPECT_EQ(obj["user_name"], "bob@example.com");
  EXPECT_EQ(obj["has_refresh_token"], true);
  EXPECT_EQ(obj["needs_refresh"], false);
  EXPECT_NEAR(obj["expires_in"].get<long>(), 43200, 10);
  EXPECT_EQ(obj["file"], TokenFile("bob@example.com"));
}

TEST_F(TokenShowTest, ExpiredTokenIsMarkedAndNothingCachedIsExit12) {
  EXPECT_EQ(Show({}).exit_code, 12);
  CacheMintedToken("bob@example.com", -120);
  auto r = Show({});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr(" ago), will be refreshed on next use"));
  EXPECT_EQ(Show({"-u", "nobody@example.com"}).exit_code, 12);
  EXPECT_EQ(Show({"--bogus"}).exit_code, 10);
}

}  // namespace
}  // namespace ssocli::testing
