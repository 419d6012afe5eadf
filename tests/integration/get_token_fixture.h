// Shared set-up of the get_token integration tests: a real zone server over TLS (test CA), a fresh
// HOME per test, and helpers to run the staged get_token and to inspect its cache.
#pragma once

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sstream>

#include "core/base64.h"
#include "support/process.h"
#include "support/temp_dir.h"
#include "support/zone_fixture.h"

namespace ssocli::testing {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

inline mode_t ModeOf(const std::string& path) {
  struct stat st;
  if (::lstat(path.c_str(), &st) != 0) return 0;
  return st.st_mode & 07777;
}

// Fails (in CI) or skips (elsewhere) when a prerequisite of a test is missing.
#define SSOCLI_REQUIRE(cond, what)                                                    \
  do {                                                                                \
    if (!(cond)) {                                                                    \
      const char* ci = std::getenv("CI");                                             \
      if (ci != nullptr && std::string(ci) == "true") FAIL() << "missing in CI: " << what; \
      GTEST_SKIP() << what;                                                           \
    }                                                                                 \
  } while (0)

// Users of the test zone (--users).
inline const char* kTestUsers = R"({
  "users": [
    {"username": "alice@example.com", "password": "s3cr:t pw"},
    {"username": "bob@example.com", "password": "bob-pw"},
    {"username": "dave@example.com", "password": "dave-pw"},
    {"username": "erin@example.com", "password": "erin-pw"},
    {"username": "mfa@example.com", "password": "mfa-pw", "mfa_code": "123456"},
    {"username": "secret@example.com", "password": "PASSWORD-SECRET", "mfa_code": "123456"},
    {"username": "frank@corp.example.com", "password": "frank-pw"},
    {"username": "locked@example.com", "password": "pw", "locked": true}
  ],
  "clients": [
    {"client_id": "edgecli", "client_secret": "edgeclisecret",
     "grants": ["password", "refresh_token", "urn:ietf:params:oauth:grant-type:saml2-bearer"]},
    {"client_id": "ci-bot", "client_secret": "s3cret", "grants": ["password", "refresh_token"]}
  ]
})";

class GetTokenTest : public ::testing::Test {
 protected:
  // Extra `ssocli zone serve` arguments for this suite.
  virtual std::vector<std::string> ZoneArgs() { return {}; }

  void SetUp() override {
    // HOME must be reachable by the unprivileged user of the permission tests.
    ::chmod(home_.path().c_str(), 0755);
    users_file_ = scratch_.path() + "/users.json";
    WriteFile(users_file_, kTestUsers);
    std::vector<std::string> args = {"--users", users_file_};
    for (const auto& a : ZoneArgs()) args.push_back(a);
    zone_ = ZoneServer::Start(args);
    ASSERT_NE(zone_, nullptr);
  }

  std::string Home() const { return home_.path(); }
  std::string CacheRoot() const { return Home() + "/.sso-cli"; }
  std::string ZoneDir() const { return CacheRoot() + "/" + Base64Encode(zone_->url()); }
  static std::string TokenFileName(const std::string& user) { return Base64Encode(user + "-token.dat"); }
  std::string TokenFile(const std::string& user) const { return ZoneDir() + "/" + TokenFileName(user); }

  std::map<std::string, std::string> Env(const std::map<std::string, std::string>& extra = {}) const {
    std::map<std::string, std::string> env = BaseEnv({{"HOME", Home()},
                                                      {"SSO_LOGIN_URL", zone_->url()},
                                                      {"CURL_CA_BUNDLE", ZoneServer::CaFile()}});
    for (const auto& [k, v] : extra) {
      if (v == "<unset>") {
        env.erase(k);
      } else {
        env[k] = v;
      }
    }
    return env;
  }

  ProcessSpec Spec(const std::vector<std::string>& args, std::optional<std::string> stdin_data = std::nullopt,
                   const std::map<std::string, std::string>& extra_env = {}) const {
    ProcessSpec spec;
    spec.argv = {StagedBin("get_token")};
    spec.argv.insert(spec.argv.end(), args.begin(), args.end());
    spec.env = Env(extra_env);
    spec.stdin_data = std::move(stdin_data);
    spec.timeout_ms = 60000;
    return spec;
  }

  ProcessResult GetToken(const std::vector<std::string>& args, std::optional<std::string> stdin_data = std::nullopt,
                         const std::map<std::string, std::string>& extra_env = {}) const {
    return RunProcess(Spec(args, std::move(stdin_data), extra_env));
  }

  // Signs `user` in with the password grant and returns the printed token.
  std::string SignIn(const std::string& user, const std::string& password) {
    auto r = GetToken({"-u", user, "-m", ""}, password + "\n");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out.empty() ? "" : r.out.substr(0, r.out.size() - 1);
  }

  // Puts a token minted by the zone (valid for `lifetime` seconds) into the cache as the original would.
  std::string CacheMintedToken(const std::string& user, long lifetime) {
    std::string body = zone_->MintToken(user, lifetime);
    fs::create_directories(ZoneDir());
    ::chmod(CacheRoot().c_str(), 0700);
    ::chmod(ZoneDir().c_str(), 0700);
    WriteFile(TokenFile(user), body + "\n");
    ::chmod(TokenFile(user).c_str(), 0600);
    return body;
  }

  static std::string AccessTokenOf(const std::string& body) {
    auto j = nlohmann::json::parse(body, nullptr, false);
    return j.is_object() ? j.value("access_token", "") : "";
  }

  TempDir home_;
  TempDir scratch_;
  std::string users_file_;
  std::unique_ptr<ZoneServer> zone_;
};

}  // namespace ssocli::testing
