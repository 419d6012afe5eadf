// get_token and the cache: compatibility with the original both ways, refresh, the single-flight
// guarantee under parallel runs, and the safety rules.
#include <signal.h>
#include <sys/file.h>

#include <regex>
#include <set>

#include "core/url.h"
#include "integration/get_token_fixture.h"

namespace ssocli::testing {
namespace {

const std::string kFixtureUrl = "http://127.0.0.1:18997";

// Copies a fixture's sso-cli tree into HOME as ~/.sso-cli, with writable modes.
void InstallFixture(const std::string& name, const std::string& home) {
  std::string from = std::string(SSOCLI_FIXTURES) + "/compat/" + name + "/sso-cli";
  fs::copy(from, home + "/.sso-cli", fs::copy_options::recursive);
  for (const auto& e : fs::recursive_directory_iterator(home + "/.sso-cli")) {
    fs::permissions(e.path(), e.is_directory() ? fs::perms::owner_all : (fs::perms::owner_read | fs::perms::owner_write));
  }
  fs::permissions(home + "/.sso-cli", fs::perms::owner_all);
}

// The original reads a token with a regex and lists users with `ls`; emulate both with the shell
// tools it uses, to prove our files are what it expects.
std::string OriginalReadsToken(const std::string& file) {
  ProcessSpec spec;
  spec.argv = {"bash", "-c", R"SH(sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p' "$1")SH", "bash", file};
  spec.env = BaseEnv();
  auto r = RunProcess(spec);
  return r.out.empty() ? "" : r.out.substr(0, r.out.find('\n'));
}
std::vector<std::string> OriginalListsUsers(const std::string& dir) {
  ProcessSpec spec;
  spec.argv = {"bash", "-c", R"(cd "$1" && ls | grep -v 'server\.' | while read f; do echo "$f" | base64 -d; echo; done)",
               "bash", dir};
  spec.env = BaseEnv();
  auto r = RunProcess(spec);
  std::vector<std::string> users;
  std::istringstream in(r.out);
  for (std::string line; std::getline(in, line);) users.push_back(line);
  return users;
}

TEST_F(GetTokenTest, ReadsEveryCacheTheOriginalWroteWithoutTheNetwork) {
  // Nothing listens on the fixtures' URL: any request would fail with exit 21.
  struct Case {
    const char* fixture;
    std::vector<std::string> args;
    std::string stdin_data;
  };
  for (const Case& c : std::vector<Case>{{"fresh_password", {}, ""},
                                         {"fresh_password", {"-u", "Alice@Example.com"}, ""},
                                         {"refreshed_default", {}, ""},
                                         {"refreshed_insecure", {"--insecure"}, ""},
                                         {"passcode_zone", {"-p"}, ""},
                                         {"multi_user", {"-u", "dave@example.com"}, ""}}) {
    TempDir home;
    InstallFixture(c.fixture, home.path());
    auto spec = Spec(c.args, c.stdin_data, {{"HOME", home.path()}, {"SSO_LOGIN_URL", kFixtureUrl}});
    auto r = RunProcess(spec);
    EXPECT_EQ(r.exit_code, 0) << c.fixture << ": " << r.err;
    std::string expected_path = std::string(SSOCLI_FIXTURES) + "/compat/" + c.fixture + "/stdout";
    if (fs::exists(expected_path)) {
      EXPECT_EQ(r.out, ReadFile(expected_path)) << c.fixture;
    }
    EXPECT_EQ(r.err, "") << c.fixture;
  }
}

TEST_F(GetTokenTest, MultiUserCacheAsksWhichUserWithTheOriginalsWords) {
  TempDir home;
  InstallFixture("multi_user", home.path());
  auto r = RunProcess(Spec({}, "erin@example.com\n", {{"HOME", home.path()}, {"SSO_LOGIN_URL", kFixtureUrl}}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err,
            "sso-cli cache found to contain access tokens pertaining to multiple users;\n"
            "please enter the username (email), to fetch correct one:\n");
  std::string erin = ReadFile(home.path() + "/.sso-cli/aHR0cDovLzEyNy4wLjAuMToxODk5Nw==/" +
                              TokenFileName("erin@example.com"));
  EXPECT_EQ(r.out, AccessTokenOf(erin) + "\n");
  r = RunProcess(Spec({"--non-interactive"}, std::nullopt, {{"HOME", home.path()}, {"SSO_LOGIN_URL", kFixtureUrl}}));
  EXPECT_EQ(r.exit_code, 12);
  r = RunProcess(Spec({}, "", {{"HOME", home.path()}, {"SSO_LOGIN_URL", kFixtureUrl}}));
  EXPECT_EQ(r.exit_code, 12);
}

TEST_F(GetTokenTest, TheOriginalCanReadWhatWeWrite) {
  std::string token = SignIn("alice@example.com", "s3cr:t pw");
  SignIn("bob@example.com", "bob-pw");
  EXPECT_EQ(OriginalReadsToken(TokenFile("alice@example.com")), token);
  // Exactly the two users: our lock and metadata files are invisible to it.
  auto users = OriginalListsUsers(ZoneDir());
  EXPECT_EQ(std::set<std::string>(users.begin(), users.end()),
            (std::set<std::string>{"alice@example.com-token.dat", "bob@example.com-token.dat"}));
}

TEST_F(GetTokenTest, ExpiredTokenIsRefreshedWithTheOriginalsRequest) {
  std::string old_body = CacheMintedToken("bob@example.com", -10);
  std::string old_refresh = nlohmann::json::parse(old_body)["refresh_token"];
  auto r = GetToken({});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto q = zone_->RequestsTo("/oauth/token");
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0]["path"], "/oauth/token");
  EXPECT_EQ(q[0]["body"], "grant_type=refresh_token&refresh_token=" + PercentEncode(old_refresh));
  EXPECT_EQ(q[0]["headers"]["Authorization"], "Basic ZWRnZWNsaTplZGdlY2xpc2VjcmV0");
  std::string cached = ReadFile(TokenFile("bob@example.com"));
  EXPECT_EQ(AccessTokenOf(cached) + "\n", r.out);
  EXPECT_NE(AccessTokenOf(cached), AccessTokenOf(old_body));
  EXPECT_EQ(nlohmann::json::parse(cached)["refresh_token"], old_refresh) << "no rotation: same refresh token";
  EXPECT_EQ(ModeOf(TokenFile("bob@example.com")), 0600u);
  // The refreshed token is used from then on.
  zone_->ClearRequests();
  EXPECT_EQ(GetToken({}).out, r.out);
  EXPECT_TRUE(zone_->Requests().empty());
}

TEST_F(GetTokenTest, RefreshesAheadOfExpiryByTheMargin) {
  // 100 s lifetime: margin = min(60, 10) = 10 s. 30 s left: used as is; SSO_REFRESH_MARGIN can't
  // push the margin past a tenth of the lifetime, but a 40 s token with 3 s left is refreshed.
  std::string body = zone_->MintToken("bob@example.com", 100, static_cast<long>(::time(nullptr)) - 70);
  fs::create_directories(ZoneDir());
  ::chmod(CacheRoot().c_str(), 0700);
  ::chmod(ZoneDir().c_str(), 0700);
  WriteFile(TokenFile("bob@example.com"), body + "\n");
  EXPECT_EQ(GetToken({}).out, AccessTokenOf(body) + "\n");
  EXPECT_TRUE(zone_->RequestsTo("/oauth/token").empty());

  body = zone_->MintToken("bob@example.com", 40, static_cast<long>(::time(nullptr)) - 37);
  WriteFile(TokenFile("bob@example.com"), body + "\n");
  auto r = GetToken({});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out, AccessTokenOf(body) + "\n");
  EXPECT_EQ(zone_->RequestsTo("/oauth/token").size(), 1u);
}

class RotatingZoneTest : public GetTokenTest {
 protected:
  std::vector<std::string> ZoneArgs() override { return {"--refresh-rotation"}; }
};

TEST_F(RotatingZoneTest, RotatedRefreshTokenReplacesTheOldOne) {
  std::string old_body = CacheMintedToken("bob@example.com", -10);
  auto r = GetToken({});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string cached = ReadFile(TokenFile("bob@example.com"));
  EXPECT_NE(nlohmann::json::parse(cached)["refresh_token"], nlohmann::json::parse(old_body)["refresh_token"]);
  // And the new one works for the next refresh.
  std::string expired = zone_->MintToken("bob@example.com", -10);
  auto j = nlohmann::json::parse(cached);
  auto e = nlohmann::json::parse(expired);
  e["refresh_token"] = j["refresh_token"];
  WriteFile(TokenFile("bob@example.com"), e.dump() + "\n");
  r = GetToken({});
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST_F(GetTokenTest, ParallelRunsOnAnExpiredTokenSendOneRefresh) {
  CacheMintedToken("bob@example.com", -10);
  constexpr int kRuns = 8;
  std::vector<std::unique_ptr<Background>> runs;
  for (int i = 0; i < kRuns; ++i) runs.push_back(std::make_unique<Background>(Spec({"-u", "bob@example.com"})));
  std::set<std::string> outputs;
  for (auto& run : runs) {
    auto r = run->Wait(60000);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    outputs.insert(r.out);
  }
  EXPECT_EQ(zone_->RequestsTo("/oauth/token").size(), 1u) << "exactly one refresh request";
  ASSERT_EQ(outputs.size(), 1u) << "every run prints the same new token";
  EXPECT_EQ(*outputs.begin(), AccessTokenOf(ReadFile(TokenFile("bob@example.com"))) + "\n");
}

TEST_F(GetTokenTest, RefusedRefreshPromptsForThePasswordAndKeepsTheFile) {
  std::string old_body = CacheMintedToken("gina@example.com", -10);
  zone_->Revoke("gina@example.com");
  auto r = GetToken({});  // stdin is /dev/null: no password
  EXPECT_EQ(r.exit_code, 12) << r.err;
  EXPECT_THAT(r.err, HasSubstr("Enter the password for user 'gina@example.com':"));
  EXPECT_EQ(ReadFile(TokenFile("gina@example.com")), old_body + "\n") << "cache must be untouched";
  EXPECT_EQ(r.out, "");
}

TEST_F(GetTokenTest, RefusedRefreshThenPasswordSignInReplacesTheFile) {
  std::string old_body = CacheMintedToken("bob@example.com", -10);
  zone_->Revoke("bob@example.com");
  auto r = GetToken({}, "bob-pw\n\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(AccessTokenOf(ReadFile(TokenFile("bob@example.com"))), AccessTokenOf(old_body));
  EXPECT_EQ(AccessTokenOf(ReadFile(TokenFile("bob@example.com"))) + "\n", r.out);
}

TEST_F(GetTokenTest, CorruptCacheFileIsReplacedBySignIn) {
  fs::create_directories(ZoneDir());
  ::chmod(CacheRoot().c_str(), 0700);
  ::chmod(ZoneDir().c_str(), 0700);
  WriteFile(TokenFile("bob@example.com"), "{\"access_tok");
  auto r = GetToken({"-u", "bob@example.com:bob-pw", "-m", ""});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(AccessTokenOf(ReadFile(TokenFile("bob@example.com"))) + "\n", r.out);
}

TEST_F(GetTokenTest, UnsafeCacheIsExit33) {
  SignIn("bob@example.com", "bob-pw");
  ::chmod(ZoneDir().c_str(), 0777);
  auto r = GetToken({});
  EXPECT_EQ(r.exit_code, 33);
  EXPECT_THAT(r.err, HasSubstr("writable by other users"));
  EXPECT_THAT(r.err, HasSubstr("chmod 700"));
  ::chmod(ZoneDir().c_str(), 0700);

  // A symlinked cache dir.
  TempDir other;
  fs::rename(CacheRoot(), other.path() + "/moved");
  fs::create_directory_symlink(other.path() + "/moved", CacheRoot());
  r = GetToken({});
  EXPECT_EQ(r.exit_code, 33);
  EXPECT_THAT(r.err, HasSubstr("symbolic link"));
}

TEST_F(GetTokenTest, CacheOwnedByAnotherUserIsExit33) {
  SSOCLI_REQUIRE(::geteuid() == 0, "needs root to chown the cache to another user");
  SignIn("bob@example.com", "bob-pw");
  ASSERT_EQ(::chown(ZoneDir().c_str(), NobodyUid(), NobodyUid()), 0);
  auto r = GetToken({});
  EXPECT_EQ(r.exit_code, 33);
  EXPECT_THAT(r.err, HasSubstr("owned by uid"));
}

// Runs get_token as the unprivileged user (root would bypass the permission checks). The build
// tree may be private (a fresh clone in a 0700 temp dir), so the program and the CA certificate
// are copied where that user can reach them.
ProcessResult RunAsNobody(ProcessSpec spec) {
  TempDir reachable;
  ::chmod(reachable.path().c_str(), 0755);
  const std::string bin = reachable.path() + "/get_token";
  const std::string ca = reachable.path() + "/ca.pem";
  fs::copy_file(spec.argv[0], bin);
  fs::copy_file(ZoneServer::CaFile(), ca);
  ::chmod(bin.c_str(), 0755);
  ::chmod(ca.c_str(), 0644);
  spec.argv[0] = bin;
  spec.env["CURL_CA_BUNDLE"] = ca;
  spec.uid = NobodyUid();
  return RunProcess(spec);
}

TEST_F(GetTokenTest, CannotCreateTheCacheDirIsExit31) {
  SSOCLI_REQUIRE(::geteuid() == 0, "needs root to drop to an unprivileged user");
  // HOME is a dir nobody cannot write to.
  auto r = RunAsNobody(Spec({"-u", "bob@example.com:bob-pw", "-m", ""}, std::nullopt, {{"HOME", Home()}}));
  EXPECT_EQ(r.exit_code, 31) << r.err;
  EXPECT_THAT(r.err, HasSubstr("cannot create the cache dir"));
}

TEST_F(GetTokenTest, CannotWriteTheTokenFileIsExit32AndTheOldFileSurvives) {
  SSOCLI_REQUIRE(::geteuid() == 0, "needs root to drop to an unprivileged user");
  std::string old_body = CacheMintedToken("bob@example.com", -10);
  // The cache belongs to nobody, but its zone dir is read-only: the refresh cannot be stored.
  for (const auto& p : {CacheRoot(), ZoneDir(), TokenFile("bob@example.com")}) {
    ASSERT_EQ(::chown(p.c_str(), NobodyUid(), NobodyUid()), 0);
  }
  // Pre-create the lock so that the read-only dir is the only obstacle.
  WriteFile(ZoneDir() + "/." + TokenFileName("bob@example.com") + ".lock", "");
  ::chown((ZoneDir() + "/." + TokenFileName("bob@example.com") + ".lock").c_str(), NobodyUid(), NobodyUid());
  ::chmod(ZoneDir().c_str(), 0500);
  auto r = RunAsNobody(Spec({}));
  EXPECT_EQ(r.exit_code, 32) << r.err;
  EXPECT_THAT(r.err, HasSubstr("cannot write the token file"));
  EXPECT_EQ(ReadFile(TokenFile("bob@example.com")), old_body + "\n");
}

TEST_F(GetTokenTest, BusyLockIsExit33AfterTheTimeout) {
  CacheMintedToken("bob@example.com", -10);
  std::string lock = ZoneDir() + "/." + TokenFileName("bob@example.com") + ".lock";
  int fd = ::open(lock.c_str(), O_RDWR | O_CREAT, 0600);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX), 0);
  auto r = GetToken({}, std::nullopt, {{"SSOCLI_LOCK_TIMEOUT", "1"}});
  ::close(fd);
  EXPECT_EQ(r.exit_code, 33);
  EXPECT_THAT(r.err, HasSubstr("was not free within 1 s"));
  EXPECT_TRUE(zone_->RequestsTo("/oauth/token").empty());
}

TEST_F(GetTokenTest, PrintAndClearCache) {
  auto r = GetToken({"--print-sso-cache"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.out, ZoneDir() + "\n");
  SignIn("bob@example.com", "bob-pw");
  SignIn("alice@example.com", "s3cr:t pw");
  // Another login server's cache survives --clear-sso-cache but not --clear-all-sso-cache.
  std::string other = CacheRoot() + "/" + Base64Encode("https://other.example.com");
  fs::create_directory(other);
  WriteFile(other + "/x", "y");
  r = GetToken({"--clear-sso-cache"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_TRUE(fs::is_directory(ZoneDir()));
  EXPECT_FALSE(fs::exists(TokenFile("bob@example.com")));
  EXPECT_FALSE(fs::exists(TokenFile("alice@example.com")));
  EXPECT_TRUE(fs::exists(other + "/x"));
  r = GetToken({"--clear-all-sso-cache"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(fs::is_directory(CacheRoot()));
  EXPECT_TRUE(fs::is_empty(CacheRoot()));
}

TEST_F(GetTokenTest, DefaultLoginUrlIsApigees) {
  auto r = GetToken({"--print-sso-cache"}, std::nullopt, {{"SSO_LOGIN_URL", "<unset>"}});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.out, CacheRoot() + "/" + Base64Encode("https://login.apigee.com") + "\n");
}

}  // namespace
}  // namespace ssocli::testing
