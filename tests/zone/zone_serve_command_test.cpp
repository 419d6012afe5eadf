// `ssocli zone serve` in-process: options, the startup line on stdout, clean stop on SIGTERM.
#include "cli/zone_serve_command.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <fstream>
#include <future>
#include <iterator>
#include <sstream>
#include <thread>

#include "zone_test_util.h"

namespace ssocli {
namespace {

using ::testing::internal::CaptureStderr;
using ::testing::internal::CaptureStdout;
using ::testing::internal::GetCapturedStderr;
using ::testing::internal::GetCapturedStdout;

TEST(ZoneServeCommandTest, HelpOnStdout) {
  CaptureStdout();
  int rc = ZoneServeCommand({"--help"});
  std::string out = GetCapturedStdout();
  EXPECT_EQ(rc, 0);
  for (const char* option : {"--host",
                             "--port",
                             "--tls-cert",
                             "--tls-key",
                             "--users",
                             "--zone-name",
                             "--saml-zone",
                             "--access-token-validity",
                             "--refresh-token-validity",
                             "--refresh-rotation",
                             "--jwt-refresh-tokens",
                             "--bad-credentials-error",
                             "--rate-limit",
                             "--signing-key",
                             "--issuer",
                             "--test-hooks",
                             "--quiet",
                             "--sp-entity-id",
                             "--idp-key",
                             "--idp-cert",
                             "--idp-entity-id",
                             "--idp-recipient",
                             "--trust-idp-metadata"}) {
    EXPECT_NE(out.find(option), std::string::npos) << option;
  }
  CaptureStdout();
  EXPECT_EQ(ZoneServeCommand({"--port", "5", "-h"}), 0);
  EXPECT_FALSE(GetCapturedStdout().empty());
}

TEST(ZoneServeCommandTest, BadOptionsExit10WithOneLine) {
  const std::vector<std::vector<std::string>> cases = {
      {"--bogus"},
      {"--port"},
      {"--port", "abc"},
      {"--port", "70000"},
      {"--port=-1"},
      {"--tls-cert", "/x.pem"},
      {"--tls-key", "/x.key"},
      {"--bad-credentials-error", "nope"},
      {"--access-token-validity", "0"},
      {"--rate-limit", "-1"},
      {"--users", "/nonexistent/users.json"},
      {"--signing-key", "/nonexistent/key.pem"},
      {"--tls-cert", "/nonexistent.pem", "--tls-key", "/nonexistent.key"},
      {"--saml-zone=yes"},
      {"serve"},
      {"--idp-recipient", "nope"},
      {"--idp-key", "/x.key"},
      {"--idp-cert", "/x.pem"},
      {"--idp-key", "/nonexistent.key", "--idp-cert", "/nonexistent.pem"},
      {"--trust-idp-metadata", "/nonexistent/metadata.xml"},
      {"--trust-idp-metadata", ""},
      {"--sp-entity-id", "two words"},
      {"--idp-entity-id", "a\nb"},
  };
  for (const auto& args : cases) {
    CaptureStderr();
    CaptureStdout();
    int rc = ZoneServeCommand(args);
    std::string err = GetCapturedStderr();
    std::string out = GetCapturedStdout();
    EXPECT_EQ(rc, 10) << args[0];
    EXPECT_TRUE(out.empty()) << args[0];
    ASSERT_FALSE(err.empty()) << args[0];
    EXPECT_EQ(err.find('\n'), err.size() - 1) << err;
    EXPECT_EQ(err.rfind("ssocli zone serve: ", 0), 0u) << err;
  }
}

TEST(ZoneServeCommandTest, InvalidUsersFileNamesTheProblem) {
  std::string path = ::testing::TempDir() + "/zone-users-typo.json";
  std::ofstream(path) << R"({"users":[{"username":"u","pasword":"p"}]})";
  CaptureStderr();
  EXPECT_EQ(ZoneServeCommand({"--users", path}), 10);
  std::string err = GetCapturedStderr();
  EXPECT_NE(err.find("pasword"), std::string::npos) << err;
}

// Runs the command in a thread with stdout on a pipe; returns the first stdout line.
class RunningCommand {
 public:
  explicit RunningCommand(std::vector<std::string> args) {
    // The stop signals must be blocked everywhere, so that only the command's sigwait takes them.
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    int fds[2];
    EXPECT_EQ(pipe(fds), 0);
    fflush(stdout);
    saved_stdout_ = dup(1);
    dup2(fds[1], 1);
    close(fds[1]);
    read_fd_ = fds[0];
    thread_ = std::thread([this, args] { result_.set_value(ZoneServeCommand(args)); });
    handle_ = thread_.native_handle();
    char c;
    while (read(read_fd_, &c, 1) == 1 && c != '\n') first_line_ += c;
    // The rest of stdout is not ours to check; put it back.
    dup2(saved_stdout_, 1);
  }
  ~RunningCommand() {
    if (thread_.joinable()) Stop();
    close(read_fd_);
    close(saved_stdout_);
  }
  const std::string& first_line() const { return first_line_; }
  int Stop() {
    pthread_kill(handle_, SIGTERM);
    thread_.join();
    return result_.get_future().get();
  }

 private:
  int saved_stdout_ = -1;
  int read_fd_ = -1;
  std::string first_line_;
  std::promise<int> result_;
  std::thread thread_;
  pthread_t handle_{};
};

TEST(ZoneServeCommandTest, PrintsTheBaseUrlFirstAndStopsOnSigterm) {
  CaptureStderr();
  RunningCommand command({"--port", "0", "--zone-name", "demo", "--test-hooks"});
  ASSERT_EQ(command.first_line().rfind("http://127.0.0.1:", 0), 0u) << command.first_line();
  httplib::Client client(command.first_line());
  auto login = client.Get("/login", {{"Accept", "application/json"}});
  ASSERT_TRUE(login);
  EXPECT_EQ(nlohmann::json::parse(login->body)["zone_name"], "demo");
  auto token = client.Post("/oauth/token", {{"Authorization", testing::BasicHeader("edgecli:edgeclisecret")}},
                           "grant_type=password&username=demo@example.com&password=demo-password",
                           "application/x-www-form-urlencoded");
  ASSERT_TRUE(token);
  EXPECT_EQ(token->status, 200);
  EXPECT_EQ(command.Stop(), 0);
  std::string err = GetCapturedStderr();
  EXPECT_NE(err.find("POST /oauth/token 200"), std::string::npos) << err;
  EXPECT_EQ(err.find("demo-password"), std::string::npos);
  EXPECT_FALSE(client.Get("/login"));
}

TEST(ZoneServeCommandTest, HttpsAndSigningKey) {
  std::string pki = testing::TestPkiDir();
  // The CA key is an RSA key too: a stable signing key for this test.
  RunningCommand command({"--tls-cert", pki + "/server.pem", "--tls-key", pki + "/server.key",
                          "--signing-key", pki + "/ca.key", "--quiet", "--issuer",
                          "https://login.example.com/oauth/token"});
  ASSERT_EQ(command.first_line().rfind("https://127.0.0.1:", 0), 0u) << command.first_line();
  httplib::Client client(command.first_line());
  client.set_ca_cert_path((pki + "/ca.pem").c_str());
  client.enable_server_certificate_verification(true);
  auto keys = client.Get("/token_keys");
  ASSERT_TRUE(keys) << httplib::to_string(keys.error());
  auto signer = JwtSigner::FromPemFile(pki + "/ca.key");
  ASSERT_TRUE(signer.ok());
  EXPECT_EQ(nlohmann::json::parse(keys->body)["keys"][0]["kid"], signer->kid());
  EXPECT_EQ(command.Stop(), 0);
}

TEST(ZoneServeCommandTest, SamlOptions) {
  std::string pki = testing::TestPkiDir();
  const std::string metadata = ::testing::TempDir() + "/zone-cmd-trusted-idp.xml";
  std::ofstream(metadata)
      << "<md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\" entityID=\"https://p.test\">"
         "<md:IDPSSODescriptor protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:2.0:protocol\">"
         "<md:KeyDescriptor use=\"signing\"><ds:KeyInfo xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\">"
         "<ds:X509Data><ds:X509Certificate>"
      <<
      [&] {
        std::ifstream in(pki + "/ca.pem");
        std::string pem((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        std::string b64;
        std::istringstream lines(pem);
        for (std::string line; std::getline(lines, line);) {
          if (line.rfind("-----", 0) != 0) b64 += line;
        }
        return b64;
      }()
      << "</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>"
         "</md:IDPSSODescriptor></md:EntityDescriptor>";
  RunningCommand command({"--saml-zone", "--quiet", "--idp-key", pki + "/server.key", "--idp-cert",
                          pki + "/server.pem", "--idp-entity-id", "https://idp.local.test", "--sp-entity-id",
                          "acme.apigee-saml-login", "--idp-recipient", "acs", "--trust-idp-metadata",
                          metadata});
  ASSERT_EQ(command.first_line().rfind("http://127.0.0.1:", 0), 0u) << command.first_line();
  httplib::Client client(command.first_line());
  auto md = client.Get("/idp/metadata");
  ASSERT_TRUE(md);
  EXPECT_EQ(md->status, 200);
  EXPECT_NE(md->body.find("entityID=\"https://idp.local.test\""), std::string::npos) << md->body;
  auto login = client.Get("/login");
  ASSERT_TRUE(login);
  EXPECT_EQ(login->status, 302);
  EXPECT_NE(login->get_header_value("Set-Cookie").find("Path=/saml/SSO/alias/acme.apigee-saml-login"),
            std::string::npos);
  EXPECT_EQ(command.Stop(), 0);
}

TEST(ZoneServeCommandTest, BusyPortFails) {
  testing::Zone zone;
  CaptureStderr();
  CaptureStdout();
  int rc = ZoneServeCommand({"--port", std::to_string(zone.server().port())});
  std::string err = GetCapturedStderr();
  EXPECT_TRUE(GetCapturedStdout().empty());
  EXPECT_EQ(rc, 1);
  EXPECT_NE(err.find(std::to_string(zone.server().port())), std::string::npos) << err;
}

}  // namespace
}  // namespace ssocli
