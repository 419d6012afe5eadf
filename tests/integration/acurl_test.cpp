// acurl with the real curl against the zone server's management API over TLS.
#include <dirent.h>
#include <signal.h>

#include <chrono>
#include <set>
#include <thread>

#include "integration/get_token_fixture.h"

namespace ssocli::testing {
namespace {

class AcurlTest : public GetTokenTest {
 protected:
  void SetUp() override {
    GetTokenTest::SetUp();
    token_ = SignIn("bob@example.com", "bob-pw");
    ASSERT_FALSE(token_.empty());
    zone_->ClearRequests();
  }

  ProcessSpec AcurlSpec(const std::vector<std::string>& args, std::optional<std::string> stdin_data = std::nullopt,
                        const std::map<std::string, std::string>& extra_env = {}) const {
    ProcessSpec spec = Spec(args, std::move(stdin_data), extra_env);
    spec.argv[0] = StagedBin("acurl");
    return spec;
  }
  ProcessResult Acurl(const std::vector<std::string>& args, std::optional<std::string> stdin_data = std::nullopt,
                      const std::map<std::string, std::string>& extra_env = {}) const {
    return RunProcess(AcurlSpec(args, std::move(stdin_data), extra_env));
  }
  std::string Api(const std::string& org = "acme") const { return zone_->url() + "/v1/o/" + org; }

  std::set<std::string> CacheListing() const {
    std::set<std::string> names;
    for (const auto& e : fs::directory_iterator(ZoneDir())) names.insert(e.path().filename().string());
    return names;
  }

  std::string token_;
};

TEST_F(AcurlTest, TheBearerHeaderArrivesAndTheResponseIsCurls) {
  auto r = Acurl({"-s", Api()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out, nullptr, false);
  ASSERT_TRUE(j.is_object()) << r.out;
  EXPECT_EQ(j["name"], "acme");
  EXPECT_EQ(j["createdBy"], "bob@example.com");
  auto q = zone_->RequestsTo("/v1/o/acme");
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0]["headers"]["Authorization"], "Bearer " + token_);
  EXPECT_THAT(q[0]["headers"]["User-Agent"].get<std::string>(), HasSubstr("curl/"));
}

TEST_F(AcurlTest, TheTokenIsInNoProcessArgvOrEnvironmentWhileCurlRuns) {
  zone_->Fault({{"path", "/v1/o/slow"}, {"delay", "2"}});
  // The client secret acurl was given is not passed on to curl either.
  Background run(AcurlSpec({"-s", Api("slow")}, std::nullopt, {{"CLIENT_SECRET", "CLIENT-SECRET-XYZ"}}));
  bool saw_curl = false;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(1500);
  while (std::chrono::steady_clock::now() < deadline) {
    DIR* proc = ::opendir("/proc");
    ASSERT_NE(proc, nullptr);
    while (dirent* e = ::readdir(proc)) {
      if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
      std::string base = std::string("/proc/") + e->d_name;
      std::string cmdline = ReadFile(base + "/cmdline");
      std::string environ = ReadFile(base + "/environ");
      if (cmdline.find("curl") != std::string::npos && cmdline.find("/v1/o/slow") != std::string::npos) {
        saw_curl = true;
      }
      ASSERT_EQ(cmdline.find(token_), std::string::npos) << "token in argv of pid " << e->d_name;
      ASSERT_EQ(environ.find(token_), std::string::npos) << "token in environ of pid " << e->d_name;
      if (cmdline.rfind("curl", 0) == 0 || cmdline.find("/curl") != std::string::npos) {
        EXPECT_EQ(environ.find("CLIENT-SECRET-XYZ"), std::string::npos) << "client secret in curl's environment";
      }
    }
    ::closedir(proc);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  auto r = run.Wait(30000);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(saw_curl) << "the scan never saw curl running";
  EXPECT_EQ(zone_->RequestsTo("/v1/o/slow")[0]["headers"]["Authorization"], "Bearer " + token_);
}

TEST_F(AcurlTest, FilesResolveInTheCallersDirectoryAndTheCacheStaysClean) {
  TempDir work;
  WriteFile(work.path() + "/body.txt", "payload-from-file");
  auto before = CacheListing();
  ProcessSpec spec = AcurlSpec({"-s", "-o", "out.json", "-d", "@body.txt", Api()});
  spec.cwd = work.path();
  auto r = RunProcess(spec);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(work.path() + "/out.json"));
  auto q = zone_->RequestsTo("/v1/o/acme");
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0]["body"], "payload-from-file");
  EXPECT_EQ(CacheListing(), before) << "acurl wrote into the cache dir";
}

TEST_F(AcurlTest, StdinPassesThrough) {
  auto r = Acurl({"-s", "-d", "@-", Api()}, "from-stdin");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  auto q = zone_->RequestsTo("/v1/o/acme");
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0]["body"], "from-stdin");
}

TEST_F(AcurlTest, ExitStatusIsCurls) {
  // 22: -f on an HTTP error.
  auto r = Acurl({"-sf", zone_->url() + "/no/such/path"});
  EXPECT_EQ(r.exit_code, 22) << r.err;
  // 7: connection refused.
  r = Acurl({"-s", "https://127.0.0.1:1/"});
  EXPECT_EQ(r.exit_code, 7) << r.err;
  // 11: SSO_LOGIN_URL set but empty (the token step's code; curl is not run).
  zone_->ClearRequests();
  r = Acurl({"-s", Api()}, std::nullopt, {{"SSO_LOGIN_URL", ""}});
  EXPECT_EQ(r.exit_code, 11) << r.err;
  EXPECT_TRUE(zone_->Requests().empty());
}

TEST_F(AcurlTest, TokenFailureExitsWithTheTokenStepsCodeAndRunsNoCurl) {
  fs::remove_all(CacheRoot());
  auto r = Acurl({"--non-interactive", "-s", Api()});
  EXPECT_EQ(r.exit_code, 12) << r.err;
  EXPECT_THAT(r.err, HasSubstr("acurl: "));
  EXPECT_TRUE(zone_->RequestsTo("/v1/o").empty());
}

TEST_F(AcurlTest, CallersAuthorizationHeaderIsDroppedOthersKept) {
  auto r = Acurl({"-s", "-H", "authorization: Basic Zm9vOmJhcg==", "-H", "X-Trace: 42", "-HAUTHORIZATION: x",
                  "--header", "Authorization: Bearer stolen", Api()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  auto q = zone_->RequestsTo("/v1/o/acme");
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0]["headers"]["Authorization"], "Bearer " + token_);
  EXPECT_EQ(q[0]["headers"]["X-Trace"], "42");
}

TEST_F(AcurlTest, ExpiredTokenIsRefreshedBeforeTheCall) {
  std::string old = CacheMintedToken("bob@example.com", -10);
  zone_->ClearRequests();
  auto r = Acurl({"-s", Api()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto all = zone_->Requests();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0]["path"], "/oauth/token");
  EXPECT_THAT(all[0]["body"].get<std::string>(), HasSubstr("grant_type=refresh_token"));
  std::string fresh = AccessTokenOf(ReadFile(TokenFile("bob@example.com")));
  EXPECT_NE(fresh, AccessTokenOf(old));
  EXPECT_EQ(all[1]["headers"]["Authorization"], "Bearer " + fresh);
}

TEST_F(AcurlTest, VerboseShowsTheHeaderRedactedAndNothingSecret) {
  std::string refresh = nlohmann::json::parse(ReadFile(TokenFile("bob@example.com")))["refresh_token"];
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"-v", "-s", Api()}, std::vector<std::string>{"-sv", Api()},
        std::vector<std::string>{"--verbose", "-s", Api()}}) {
    auto r = Acurl(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(r.err, HasSubstr("Authorization: Bearer <redacted>")) << args[0];
    EXPECT_THAT(r.err, Not(HasSubstr(token_))) << args[0];
    EXPECT_THAT(r.err, Not(HasSubstr(refresh))) << args[0];
    EXPECT_THAT(r.out, HasSubstr("\"name\":\"acme\""));
  }
  // -v also reaches the token step: its debug lines appear, redacted.
  auto r = Acurl({"-v", "-s", Api()});
  EXPECT_THAT(r.err, HasSubstr("acurl: using the cached token of bob@example.com"));
}

TEST_F(AcurlTest, InsecureAndCacertGoToBothSteps) {
  std::string expired = CacheMintedToken("bob@example.com", -10);
  // Neither step trusts the zone without the CA...
  auto r = Acurl({"-s", Api()}, std::nullopt, {{"CURL_CA_BUNDLE", "<unset>"}});
  EXPECT_EQ(r.exit_code, 21) << r.err;
  // ...both do with --cacert (the refresh needs it, then curl needs it)...
  r = Acurl({"-s", "--cacert", ZoneServer::CaFile(), Api()}, std::nullopt, {{"CURL_CA_BUNDLE", "<unset>"}});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  // ...and with -k.
  CacheMintedToken("bob@example.com", -10);
  r = Acurl({"-k", "-s", Api()}, std::nullopt, {{"CURL_CA_BUNDLE", "<unset>"}});
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST_F(AcurlTest, EveryRequestOfACommandLineGetsTheHeader) {
  auto r = Acurl({"-s", Api("one"), "--next", "-s", Api("two")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(zone_->RequestsTo("/v1/o/one")[0]["headers"]["Authorization"], "Bearer " + token_);
  EXPECT_EQ(zone_->RequestsTo("/v1/o/two")[0]["headers"]["Authorization"], "Bearer " + token_);
}

TEST_F(AcurlTest, TokenOptionsGoToTheTokenStepOnly) {
  fs::remove_all(CacheRoot());
  zone_->ClearRequests();
  // -u and -m '' are the token step's; curl's own meanings need --user / --max-time.
  auto r = Acurl({"-u", "alice@example.com:s3cr:t pw", "-m", "", "-s", "--max-time", "20", Api()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto q = zone_->RequestsTo("/oauth/token");
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0]["body"], "grant_type=password&username=alice%40example.com&password=s3cr%3At%20pw");
  EXPECT_EQ(zone_->RequestsTo("/v1/o/acme")[0]["headers"]["Authorization"],
            "Bearer " + AccessTokenOf(ReadFile(TokenFile("alice@example.com"))));
}

TEST_F(AcurlTest, PasswordInArgvIsOverwrittenWhileItRuns) {
  fs::remove_all(CacheRoot());
  ProcessSpec spec = AcurlSpec({"-u", "secret@example.com:PASSWORD-SECRET", "-s", Api()});
  spec.keep_stdin_open = true;  // the MFA prompt waits
  Background run(spec);
  for (int i = 0; i < 200 && run.DrainStderr().find("six-digit") == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  std::string cmdline = ReadFile("/proc/" + std::to_string(run.pid()) + "/cmdline");
  EXPECT_THAT(cmdline, HasSubstr("secret@example.com:"));
  EXPECT_THAT(cmdline, Not(HasSubstr("PASSWORD-SECRET")));
  run.WriteStdin("123456\n");
  run.CloseStdin();
  auto r = run.Wait(30000);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("\"createdBy\":\"secret@example.com\""));
}

TEST_F(AcurlTest, MissingValuesHelpAndNoCurl) {
  for (const char* opt : {"-u", "-m", "-p"}) {
    auto r = Acurl({opt});
    EXPECT_EQ(r.exit_code, 2) << opt;
    EXPECT_EQ(r.err, std::string(opt) + " missing argument\n");
    r = Acurl({opt, "-s", Api()});
    EXPECT_EQ(r.exit_code, 2) << opt;
  }
  auto r = Acurl({"-h"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.out, HasSubstr("Usage: acurl"));
  r = Acurl({"-s", Api()}, std::nullopt, {{"ACURL_CURL", "/nonexistent/curl"}});
  EXPECT_EQ(r.exit_code, 127);
  r = Acurl({"-s", Api()}, std::nullopt, {{"PATH", "/nonexistent"}});
  EXPECT_EQ(r.exit_code, 127);
  EXPECT_THAT(r.err, HasSubstr("curl not found"));
}

}  // namespace
}  // namespace ssocli::testing
