// get_token when things go wrong: bad server replies, TLS trouble, bad input, interrupts; and the
// rules about secrets (argv, -v output).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "integration/get_token_fixture.h"

namespace ssocli::testing {
namespace {

// A TCP server that accepts connections and resets them at once (SO_LINGER 0): a "connection reset".
class ResettingServer {
 public:
  ResettingServer() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::listen(fd_, 16);
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] {
      while (!stop_) {
        int c = ::accept(fd_, nullptr, nullptr);
        if (c < 0) continue;
        char buf[4096];
        (void)::recv(c, buf, sizeof buf, MSG_DONTWAIT);
        linger l{1, 0};
        ::setsockopt(c, SOL_SOCKET, SO_LINGER, &l, sizeof l);
        ::close(c);
      }
    });
  }
  ~ResettingServer() {
    stop_ = true;
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    thread_.join();
  }
  int port() const { return port_; }

 private:
  int fd_;
  int port_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// Each bad reply, on a refresh and on a sign-in: a clear message, the documented exit code, no raw
// HTML, and an untouched cache.
struct BadReply {
  const char* name;
  std::map<std::string, std::string> fault;
  int exit_code;
  const char* says;
};

void PrintTo(const BadReply& reply, std::ostream* os) { *os << reply.name; }

class BadReplyTest : public GetTokenTest, public ::testing::WithParamInterface<BadReply> {};

TEST_P(BadReplyTest, RefreshFailsCleanlyAndLeavesTheCache) {
  const BadReply& c = GetParam();
  std::string old_body = CacheMintedToken("bob@example.com", -10);
  auto fault = c.fault;
  fault["path"] = "/oauth/token";
  zone_->Fault(fault);
  auto r = GetToken({}, std::nullopt, {{"SSOCLI_HTTP_TIMEOUT", "2"}});
  EXPECT_EQ(r.exit_code, c.exit_code) << r.err;
  EXPECT_THAT(r.err, HasSubstr(c.says));
  EXPECT_THAT(r.err, Not(HasSubstr("<html")));
  EXPECT_THAT(r.err, Not(HasSubstr("Enter"))) << "an outage must not look like a refused refresh";
  EXPECT_LE(std::count(r.err.begin(), r.err.end(), '\n'), 2) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(ReadFile(TokenFile("bob@example.com")), old_body + "\n");
}

TEST_P(BadReplyTest, SignInFailsCleanlyAndCachesNothing) {
  const BadReply& c = GetParam();
  auto fault = c.fault;
  fault["path"] = "/oauth/token";
  zone_->Fault(fault);
  auto r = GetToken({"-u", "bob@example.com:bob-pw", "-m", ""}, std::nullopt, {{"SSOCLI_HTTP_TIMEOUT", "2"}});
  EXPECT_EQ(r.exit_code, c.exit_code) << r.err;
  EXPECT_THAT(r.err, HasSubstr(c.says));
  EXPECT_FALSE(fs::exists(TokenFile("bob@example.com")));
}

INSTANTIATE_TEST_SUITE_P(
    Replies, BadReplyTest,
    ::testing::Values(
        BadReply{"html502",
                 {{"status", "502"}, {"content_type", "text/html"},
                  {"body", "<html><body><h1>502 Bad Gateway</h1></body></html>"}},
                 22, "HTML page"},
        BadReply{"malformed", {{"status", "200"}, {"content_type", "application/json"}, {"body", "{\"access_token\":"}},
                 22, "malformed or truncated JSON"},
        BadReply{"notoken", {{"status", "200"}, {"content_type", "application/json"}, {"body", "{\"token_type\":\"bearer\"}"}},
                 22, "no access token"},
        BadReply{"ratelimit", {{"status", "429"}, {"content_type", "text/plain"}, {"body", "slow down"}, {"retry_after", "30"}},
                 22, "HTTP 429"},
        BadReply{"servererror", {{"status", "500"}, {"content_type", "application/json"},
                                 {"body", "{\"error\":\"server_error\",\"error_description\":\"Internal \\u001b[31mfailure\"}"}},
                 22, "Internal [31mfailure"},
        BadReply{"slow", {{"delay", "5"}}, 21, "did not answer in time"}),
    [](const ::testing::TestParamInfo<BadReply>& p) { return std::string(p.param.name); });

TEST_F(GetTokenTest, ConnectionRefusedAndResetAreExit21) {
  // A port nobody listens on.
  int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(s, reinterpret_cast<sockaddr*>(&addr), &len);
  int port = ntohs(addr.sin_port);
  ::close(s);
  auto r = GetToken({"-u", "bob@example.com:bob-pw", "-m", ""}, std::nullopt,
                    {{"SSO_LOGIN_URL", "https://127.0.0.1:" + std::to_string(port)}});
  EXPECT_EQ(r.exit_code, 21) << r.err;
  EXPECT_THAT(r.err, HasSubstr("no usable connection"));

  ResettingServer reset;
  r = GetToken({"-u", "bob@example.com:bob-pw", "-m", ""}, std::nullopt,
               {{"SSO_LOGIN_URL", "https://127.0.0.1:" + std::to_string(reset.port())}});
  EXPECT_EQ(r.exit_code, 21) << r.err;
  EXPECT_THAT(r.err, HasSubstr("no usable connection"));
}

TEST_F(GetTokenTest, TlsIsVerifiedAgainstTheGivenCa) {
  // Without the test CA the zone's certificate is not trusted.
  auto r = GetToken({"-u", "bob@example.com:bob-pw", "-m", ""}, std::nullopt, {{"CURL_CA_BUNDLE", "<unset>"}});
  EXPECT_EQ(r.exit_code, 21) << r.err;
  EXPECT_THAT(r.err, HasSubstr("--cacert"));
  // --cacert, SSL_CERT_FILE and --insecure each make it work.
  r = GetToken({"-u", "bob@example.com:bob-pw", "-m", "", "--cacert", ZoneServer::CaFile()}, std::nullopt,
               {{"CURL_CA_BUNDLE", "<unset>"}});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  fs::remove_all(CacheRoot());
  r = GetToken({"-u", "bob@example.com:bob-pw", "-m", ""}, std::nullopt,
               {{"CURL_CA_BUNDLE", "<unset>"}, {"SSL_CERT_FILE", ZoneServer::CaFile()}});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  fs::remove_all(CacheRoot());
  r = GetToken({"-u", "bob@example.com:bob-pw", "-m", "", "--insecure"}, std::nullopt, {{"CURL_CA_BUNDLE", "<unset>"}});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  // An unreadable CA file is a usage error.
  r = GetToken({"--cacert", "/nonexistent/ca.pem"});
  EXPECT_EQ(r.exit_code, 10);
  EXPECT_THAT(r.err, HasSubstr("/nonexistent/ca.pem"));
}

TEST_F(GetTokenTest, UsageAndUrlErrors) {
  struct Case {
    std::vector<std::string> args;
    std::map<std::string, std::string> env;
    int code;
  };
  for (const Case& c : std::vector<Case>{{{"--bogus"}, {}, 10},
                                         {{"-u"}, {}, 10},
                                         {{"stray"}, {}, 10},
                                         {{"--cacert"}, {}, 10},
                                         {{}, {{"SSO_LOGIN_URL", ""}}, 11},
                                         {{}, {{"SSO_LOGIN_URL", "login.apigee.com"}}, 11},
                                         {{}, {{"SSO_LOGIN_URL", "ftp://x"}}, 11},
                                         {{}, {{"SSO_LOGIN_URL", "https://x/?a=b"}}, 11},
                                         {{}, {{"SSO_REFRESH_MARGIN", "soon"}}, 10}}) {
    auto r = GetToken(c.args, std::nullopt, c.env);
    EXPECT_EQ(r.exit_code, c.code) << (c.args.empty() ? "" : c.args[0]) << " " << r.err;
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n') >= 1, true);
  }
}

TEST_F(GetTokenTest, HelpAndVersion) {
  auto r = GetToken({"-h"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.out, HasSubstr("Usage: get_token"));
  for (const char* opt : {"-u USER", "-m CODE", "-p [PASSCODE]", "--force-basic-auth", "--insecure", "--json",
                          "--non-interactive", "--cacert", "--print-sso-cache", "--clear-sso-cache",
                          "--clear-all-sso-cache", "--version", "SSO_LOGIN_URL", "CLIENT_AUTH", "CLIENT_ID"}) {
    EXPECT_THAT(r.out, HasSubstr(opt));
  }
  EXPECT_EQ(r.err, "");
  r = GetToken({"--help"});
  EXPECT_EQ(r.exit_code, 1);
  r = GetToken({"--version"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_THAT(r.out, ::testing::MatchesRegex("get_token \\(ssocli\\) [0-9]+\\.[0-9]+\\.[0-9]+\n"));
}

TEST_F(GetTokenTest, SecretsInArgvAreOverwrittenWhileItRuns) {
  // The MFA prompt keeps get_token waiting with the secrets parsed.
  ProcessSpec spec = Spec({"-u", "secret@example.com:PASSWORD-SECRET"});
  spec.keep_stdin_open = true;
  Background run(spec);
  std::string cmdline;
  for (int i = 0; i < 100; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    cmdline = ReadFile("/proc/" + std::to_string(run.pid()) + "/cmdline");
    if (run.DrainStderr().find("six-digit") != std::string::npos) break;
  }
  cmdline = ReadFile("/proc/" + std::to_string(run.pid()) + "/cmdline");
  EXPECT_THAT(cmdline, HasSubstr("secret@example.com:"));
  EXPECT_THAT(cmdline, Not(HasSubstr("PASSWORD-SECRET")));
  run.WriteStdin("123456\n");
  auto r = run.Wait(30000);
  EXPECT_EQ(r.exit_code, 0) << r.err;

  // -p CODE and -m CODE alike: hold the lock so get_token waits after parsing.
  std::string code = zone_->MintPasscode("frank@corp.example.com");
  ProcessSpec p = Spec({"-p", code, "-m", "987654"});
  p.keep_stdin_open = true;
  Background run2(p);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  cmdline = ReadFile("/proc/" + std::to_string(run2.pid()) + "/cmdline");
  EXPECT_THAT(cmdline, Not(HasSubstr(code)));
  EXPECT_THAT(cmdline, Not(HasSubstr("987654")));
  run2.Wait(30000);
}

TEST_F(GetTokenTest, VerboseOutputRedactsEverySecret) {
  auto r = GetToken({"-v", "-u", "secret@example.com:PASSWORD-SECRET", "-m", "123456"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string token = r.out.substr(0, r.out.size() - 1);
  std::string cached = ReadFile(TokenFile("secret@example.com"));
  std::string refresh = nlohmann::json::parse(cached)["refresh_token"];
  // Force a refresh and a passcode sign-in too.
  std::string expired = zone_->MintToken("secret@example.com", -10);
  WriteFile(TokenFile("secret@example.com"), expired + "\n");
  auto r2 = GetToken({"-v"});
  ASSERT_EQ(r2.exit_code, 0) << r2.err;
  std::string code = zone_->MintPasscode("frank@corp.example.com");
  auto r3 = GetToken({"-v", "-p", code});
  ASSERT_EQ(r3.exit_code, 0) << r3.err;
  std::string all = r.err + r2.err + r3.err;
  EXPECT_THAT(all, HasSubstr("POST " + zone_->url() + "/oauth/token"));
  EXPECT_THAT(all, HasSubstr("<redacted>"));
  for (const std::string& secret : {std::string("PASSWORD-SECRET"), std::string("123456"), token, refresh,
                                    nlohmann::json::parse(expired)["refresh_token"].get<std::string>(), code,
                                    r2.out.substr(0, r2.out.size() - 1), std::string("eyJ")}) {
    EXPECT_THAT(all, Not(HasSubstr(secret)));
  }
}

TEST_F(GetTokenTest, CtrlCAtAPromptIsExit130AndRestoresNothingToFix) {
  std::string old_body = CacheMintedToken("gina@example.com", -10);
  zone_->Revoke("gina@example.com");
  ProcessSpec spec = Spec({});
  spec.keep_stdin_open = true;
  Background run(spec);
  for (int i = 0; i < 200 && run.DrainStderr().find("Enter the password") == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  auto r = run.Stop(SIGINT);
  EXPECT_EQ(r.exit_code, 130) << r.err;
  EXPECT_EQ(ReadFile(TokenFile("gina@example.com")), old_body + "\n");
}

TEST_F(GetTokenTest, PromptTimeoutIsMissingInput) {
  ProcessSpec spec = Spec({"-u", "bob@example.com"}, std::nullopt, {{"SSOCLI_PROMPT_TIMEOUT", "1"}});
  spec.keep_stdin_open = true;
  auto start = std::chrono::steady_clock::now();
  Background run(spec);
  auto r = run.Wait(20000);
  EXPECT_EQ(r.exit_code, 12) << r.err;
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
  EXPECT_THAT(r.err, HasSubstr("no password given"));
}

}  // namespace
}  // namespace ssocli::testing
