// End to end in a real browser: get_token --sso --browser "node browser.mjs %s" with Debian's
// headless Chromium, against the zone server and its test IdP over TLS (the test CA trusted through
// an NSS db, as a user's browser would trust a corporate CA). Screenshots of the final pages are kept
// in <build>/e2e-artifacts/.
#include "integration/sso_fixture.h"

namespace ssocli::testing {
namespace {

const std::string kArtifacts = std::string(SSOCLI_BUILD_DIR) + "/e2e-artifacts";
const std::string kBrowserScript = std::string(SSOCLI_BUILD_DIR) + "/e2e/browser.mjs";

class BrowserTest : public SsoTest {
 protected:
  void SetUp() override {
    SSOCLI_REQUIRE(::access("/usr/bin/chromium", X_OK) == 0, "chromium is not installed");
    SSOCLI_REQUIRE(fs::exists(std::string(SSOCLI_BUILD_DIR) + "/e2e/node_modules/playwright-core"),
                   "playwright-core is not installed (the setup.e2e test runs npm ci)");
    SsoTest::SetUp();
    if (HasFatalFailure()) return;
    // The browser's trust store: the test CA in an NSS db under HOME.
    std::string nssdb = Home() + "/.pki/nssdb";
    fs::create_directories(nssdb);
    for (const std::vector<std::string>& cmd :
         {std::vector<std::string>{"certutil", "-d", "sql:" + nssdb, "-N", "--empty-password"},
          std::vector<std::string>{"certutil", "-d", "sql:" + nssdb, "-A", "-t", "C,,", "-n", "ssocli-test-ca", "-i",
                                   ZoneServer::CaFile()}}) {
      ProcessSpec spec;
      spec.argv = cmd;
      spec.env = BaseEnv();
      auto r = RunProcess(spec);
      ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    fs::create_directories(kArtifacts);
  }

  // Runs get_token with the browser script as --browser; returns its result and the script's report.
  std::pair<ProcessResult, nlohmann::json> SignInWithChromium(const std::string& name, std::vector<std::string> args) {
    fs::remove(kArtifacts + "/" + name + ".json");
    fs::remove(kArtifacts + "/" + name + ".png");
    args.insert(args.end(), {"--browser", "node " + kBrowserScript + " %s", "--sso-timeout", "120"});
    ProcessSpec spec = Spec(args, std::nullopt,
                            {{"E2E_USER", "frank@corp.example.com"}, {"E2E_PASS", "frank-pw"},
                             {"E2E_ARTIFACTS", kArtifacts}, {"E2E_NAME", name}});
    const std::string report_path = kArtifacts + "/" + name + ".json";
    Background run(spec);
    // Wait for get_token; if the browser script gives up first, do not wait for --sso-timeout.
    ProcessResult r;
    auto gave_up = std::chrono::steady_clock::time_point::max();
    for (;;) {
      if (run.HasExited()) {
        r = run.Wait(1000);
        break;
      }
      if (fs::exists(report_path) && gave_up == std::chrono::steady_clock::time_point::max()) {
        gave_up = std::chrono::steady_clock::now();
      }
      if (gave_up != std::chrono::steady_clock::time_point::max() &&
          std::chrono::steady_clock::now() - gave_up > std::chrono::seconds(10)) {
        r = run.Stop(SIGINT);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    nlohmann::json report;
    for (int i = 0; i < 100 && !fs::exists(report_path); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));  // the browser script finishes after get_token
    }
    report = nlohmann::json::parse(ReadFile(report_path), nullptr, false);
    return {r, report};
  }

  void ExpectScreenshot(const std::string& name) {
    std::string png = ReadFile(kArtifacts + "/" + name + ".png");
    ASSERT_GT(png.size(), 1000u) << "no screenshot of the final page";
    EXPECT_EQ(png.substr(1, 3), "PNG");
  }
};

TEST_F(BrowserTest, SamlSignInInChromium) {
  auto [r, report] = SignInWithChromium("saml-success", {"--sso", "--idp-metadata", metadata_, "--sp-entity-id", SpEntityId()});
  ASSERT_EQ(r.exit_code, 0) << r.err << "\nbrowser: " << report.dump(2);
  EXPECT_EQ(r.out, AccessTokenOf(ReadFile(TokenFile("frank@corp.example.com"))) + "\n");
  EXPECT_FALSE(report.contains("error")) << report.dump(2);
  EXPECT_THAT(report.value("final_url", ""), HasSubstr("/saml/acs"));
  EXPECT_EQ(report.value("status", 0), 200);
  EXPECT_THAT(report.dump(), HasSubstr("/idp/sso")) << "the browser went through the IdP";
  ExpectScreenshot("saml-success");
  EXPECT_EQ(zone_->RequestsTo("/oauth/token/alias/" + SpEntityId()).size(), 1u);
}

TEST_F(BrowserTest, PasscodeSignInInChromium) {
  auto [r, report] = SignInWithChromium("passcode-success", {"--sso"});
  ASSERT_EQ(r.exit_code, 0) << r.err << "\nbrowser: " << report.dump(2);
  EXPECT_EQ(r.out, AccessTokenOf(ReadFile(TokenFile("frank@corp.example.com"))) + "\n");
  EXPECT_TRUE(report.value("passcode_seen", false)) << report.dump(2);
  EXPECT_EQ(report.value("status", 0), 200);
  ExpectScreenshot("passcode-success");
}

TEST_F(BrowserTest, RejectedResponseShowsTheErrorPage) {
  // The zone's IdP puts the ACS URL as Recipient: the CLI must refuse it (exit 24) and say so.
  zone_.reset();
  zone_ = ZoneServer::Start({"--users", users_file_, "--saml-zone", "--idp-recipient", "acs"});
  ASSERT_NE(zone_, nullptr);
  WriteFile(metadata_, Http("GET", zone_->url() + "/idp/metadata").body);
  auto [r, report] =
      SignInWithChromium("saml-rejected", {"--sso", "--idp-metadata", metadata_, "--sp-entity-id", SpEntityId()});
  EXPECT_EQ(r.exit_code, 24) << r.err;
  EXPECT_THAT(report.value("text", ""), HasSubstr("Recipient")) << report.dump(2);
  ExpectScreenshot("saml-rejected");
}

}  // namespace
}  // namespace ssocli::testing
