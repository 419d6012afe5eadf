// The browser flow in passcode mode, in-process over real HTTP, with a fake exchange; and what every
// mode shares: the listener's defences, the timeout, the busy port, the browser and the messages.
#include "sso/sso_flow.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "core/url.h"
#include "sso/loopback_listener.h"
#include "sso_test_util.h"
#include "support/temp_dir.h"

namespace ssocli::sso {
namespace {

using testing::ConnectTo;
using testing::Contains;
using testing::FlowHarness;
using testing::RawHttp;
using testing::StatusOf;
using Ms = std::chrono::milliseconds;

std::string PasscodeForm(const std::string& state, const std::string& passcode) {
  return FormEncode({{"state", state}, {"passcode", passcode}});
}

httplib::Result PostPasscode(FlowHarness& h, const std::string& state, const std::string& passcode) {
  return h.Client().Post("/passcode", PasscodeForm(state, passcode), "application/x-www-form-urlencoded");
}

void ExpectRefused(int port) {
  int fd = ConnectTo("127.0.0.1", port);
  EXPECT_EQ(fd, -1) << "something still listens on " << port;
  if (fd >= 0) ::close(fd);
}

TEST(SsoFlowPasscode, StartPageThenFormThenSuccess) {
  FlowHarness h;
  ASSERT_TRUE(h.Start());
  EXPECT_EQ(h.start_url, "http://127.0.0.1:" + std::to_string(h.port) + "/?state=" + h.state);
  EXPECT_EQ(h.state.size(), 43u);

  auto page = h.Client().Get("/?state=" + h.state);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_EQ(page->get_header_value("Cache-Control"), "no-store");
  EXPECT_TRUE(Contains(page->body, "<form method=\"post\" action=\"/passcode\""));
  EXPECT_TRUE(Contains(page->body, "name=\"passcode\""));
  EXPECT_TRUE(Contains(page->body, "name=\"state\" value=\"" + h.state + "\""));
  EXPECT_TRUE(Contains(page->body, "id=\"submit-passcode\""));
  EXPECT_TRUE(Contains(page->body, "href=\"https://login.test/passcode\""));

  auto done = PostPasscode(h, h.state, "aB3-x_Z9");
  ASSERT_TRUE(done);
  EXPECT_EQ(done->status, 200);
  EXPECT_TRUE(Contains(done->body, "Signed in"));
  EXPECT_EQ(done->get_header_value("Cache-Control"), "no-store");

  Status s = h.Finish();
  EXPECT_TRUE(s.ok()) << s.message();
  auto calls = h.calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].kind, CredentialKind::kPasscode);
  EXPECT_EQ(calls[0].credential, "aB3-x_Z9");
  ExpectRefused(h.port);
}

TEST(SsoFlowPasscode, ExchangeFailureIsShownAndReturned) {
  FlowHarness h;
  h.exchange_result = Status::Error(ErrorKind::kNoToken, "the login server refused the passcode <expired>",
                                    "get a new passcode");
  ASSERT_TRUE(h.Start());
  auto done = PostPasscode(h, h.state, "abc");
  ASSERT_TRUE(done);
  EXPECT_EQ(done->status, 502);
  EXPECT_TRUE(Contains(done->body, "The login server refused the sign-in"));
  EXPECT_TRUE(Contains(done->body, "the login server refused the passcode &lt;expired&gt;"));
  EXPECT_TRUE(Contains(done->body, "get a new passcode"));
  Status s = h.Finish();
  EXPECT_EQ(s.kind(), ErrorKind::kNoToken);
  EXPECT_EQ(s.hint(), "get a new passcode");
  ExpectRefused(h.port);
}

TEST(SsoFlowPasscode, BadFormsGetAPageAndTheFlowWaits) {
  FlowHarness h;
  ASSERT_TRUE(h.Start());
  auto bad_chars = PostPasscode(h, h.state, "ab c");
  ASSERT_TRUE(bad_chars);
  EXPECT_EQ(bad_chars->status, 400);
  EXPECT_TRUE(Contains(bad_chars->body, "letters, digits, _ and -"));
  EXPECT_TRUE(Contains(bad_chars->body, "id=\"submit-passcode\""));  // the form again
  auto empty = PostPasscode(h, h.state, "");
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->status, 400);
  auto missing =
      h.Client().Post("/passcode", FormEncode({{"state", h.state}}), "application/x-www-form-urlencoded");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 400);
  auto twice = h.Client().Post("/passcode", PasscodeForm(h.state, "a") + "&passcode=b",
                               "application/x-www-form-urlencoded");
  ASSERT_TRUE(twice);
  EXPECT_EQ(twice->status, 400);
  auto json = h.Client().Post("/passcode", "{}", "application/json");
  ASSERT_TRUE(json);
  EXPECT_EQ(json->status, 415);
  auto huge = PostPasscode(h, h.state, std::string(5000, 'a'));
  ASSERT_TRUE(huge);
  EXPECT_EQ(huge->status, 413);
  EXPECT_FALSE(h.Finished());
  EXPECT_TRUE(h.calls().empty());

  auto good = PostPasscode(h, h.state, "good");
  ASSERT_TRUE(good);
  EXPECT_EQ(good->status, 200);
  EXPECT_TRUE(h.Finish().ok());
  ASSERT_EQ(h.calls().size(), 1u);
  EXPECT_EQ(h.calls()[0].credential, "good");
}

TEST(SsoFlowPasscode, WrongStateThenRightOne) {
  FlowHarness h;
  ASSERT_TRUE(h.Start());
  std::string other = h.state;
  other[0] = other[0] == 'A' ? 'B' : 'A';
  for (const std::string& target :
       std::vector<std::string>{"/", "/?state=", "/?state=" + other, "/?state=" + h.state + "x",
                                "/?state=" + h.state + "&state=" + h.state, "/?State=" + h.state}) {
    auto res = h.Client().Get(target);
    ASSERT_TRUE(res) << target;
    EXPECT_EQ(res->status, 400) << target;
    EXPECT_TRUE(Contains(res->body, "does not belong to the waiting sign-in")) << target;
    EXPECT_FALSE(Contains(res->body, h.state)) << target;  // never tells the state
  }
  auto wrong_post = PostPasscode(h, other, "abc");
  ASSERT_TRUE(wrong_post);
  EXPECT_EQ(wrong_post->status, 400);
  EXPECT_FALSE(Contains(wrong_post->body, h.state));
  EXPECT_FALSE(h.Finished());
  EXPECT_TRUE(h.calls().empty());
  auto good = PostPasscode(h, h.state, "abc");
  ASSERT_TRUE(good);
  EXPECT_EQ(good->status, 200);
  EXPECT_TRUE(h.Finish().ok());
}

TEST(SsoFlowPasscode, OtherPathsAndMethodsGet404Or405) {
  FlowHarness h;
  ASSERT_TRUE(h.Start());
  struct Case {
    std::string method, path;
    int status;
  };
  for (const Case& c : std::vector<Case>{{"GET", "/favicon.ico", 404},
                                         {"GET", "/saml/acs", 404},
                                         {"POST", "/saml/acs", 404},
                                         {"GET", "/passcode", 405},
                                         {"POST", "/?state=" + h.state, 405},
                                         {"PUT", "/passcode", 405},
                                         {"DELETE", "/", 405},
                                         {"OPTIONS", "/", 405},
                                         {"GET", "/../etc/passwd", 404}}) {
    std::string raw =
        RawHttp(h.port, c.method + " " + c.path + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(h.port) +
                            "\r\nContent-Length: 0\r\n\r\n");
    EXPECT_EQ(StatusOf(raw), c.status) << c.method << " " << c.path;
    EXPECT_TRUE(Contains(raw, "Cache-Control: no-store")) << c.method << " " << c.path;
    EXPECT_TRUE(Contains(raw, "<!DOCTYPE html>")) << c.method << " " << c.path;
  }
  EXPECT_FALSE(h.Finished());
  ASSERT_TRUE(PostPasscode(h, h.state, "abc"));
  EXPECT_TRUE(h.Finish().ok());
}

TEST(SsoFlowPasscode, HostHeaderAttacksAreRefusedAndTheFlowGoesOn) {
  FlowHarness h;
  ASSERT_TRUE(h.Start());
  const std::string p = std::to_string(h.port);
  auto post = [&](const std::string& host_line, const std::string& passcode) {
    const std::string form = PasscodeForm(h.state, passcode);
    return RawHttp(h.port, "POST /passcode HTTP/1.1\r\n" + host_line +
                               "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " +
                               std::to_string(form.size()) + "\r\n\r\n" + form);
  };
  // A page at evil.com whose name now resolves to 127.0.0.1 (DNS rebinding) posts with its own Host.
  EXPECT_EQ(StatusOf(post("Host: evil.com:" + p + "\r\n", "stolen")), 400);
  EXPECT_EQ(StatusOf(post("", "stolen")), 400);  // no Host at all
  EXPECT_EQ(
      StatusOf(RawHttp(h.port, "GET /?state=" + h.state + " HTTP/1.1\r\nHost: evil.com:" + p + "\r\n\r\n")),
      400);
  EXPECT_FALSE(h.Finished());
  EXPECT_TRUE(h.calls().empty());
  // localhost is fine.
  EXPECT_EQ(StatusOf(post("Host: localhost:" + p + "\r\n", "real")), 200);
  EXPECT_TRUE(h.Finish().ok());
  ASSERT_EQ(h.calls().size(), 1u);
  EXPECT_EQ(h.calls()[0].credential, "real");
}

TEST(SsoFlowPasscode, PreConnectsDoNotStallTheFlow) {
  FlowHarness h;
  ASSERT_TRUE(h.Start());
  std::vector<int> idle;
  for (int i = 0; i < 4; ++i) idle.push_back(ConnectTo("127.0.0.1", h.port));
  auto t0 = std::chrono::steady_clock::now();
  auto page = h.Client().Get("/?state=" + h.state);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, Ms(500));
  ASSERT_TRUE(PostPasscode(h, h.state, "abc"));
  EXPECT_TRUE(h.Finish().ok());
  auto total = std::chrono::steady_clock::now() - t0;
  EXPECT_LT(total, Ms(2500)) << "the idle pre-connects held up the end of the flow";
  for (int fd : idle) {
    if (fd >= 0) ::close(fd);
  }
  ExpectRefused(h.port);
}

TEST(SsoFlowPasscode, SecondAnswerWhileTheFirstIsExchangedIsRefused) {
  FlowHarness h;
  h.HoldExchange();
  ASSERT_TRUE(h.Start());
  std::thread first([&h] {
    auto res = PostPasscode(h, h.state, "first");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
  });
  ASSERT_TRUE(h.WaitForExchangeEntered(Ms(10000)));
  auto second = PostPasscode(h, h.state, "second");
  ASSERT_TRUE(second);
  EXPECT_EQ(second->status, 409);
  EXPECT_TRUE(Contains(second->body, "already"));
  auto start = h.Client().Get("/?state=" + h.state);
  ASSERT_TRUE(start);
  EXPECT_EQ(start->status, 409);
  h.ReleaseExchange();
  first.join();
  EXPECT_TRUE(h.Finish().ok());
  ASSERT_EQ(h.calls().size(), 1u);
  EXPECT_EQ(h.calls()[0].credential, "first");
}

TEST(SsoFlowTerminal, PasscodeTypedAtTheTerminal) {
  FlowHarness h;
  testing::CapturedFd in;
  h.config.stdin_fd = in.read_fd();
  ASSERT_TRUE(h.Start());
  in.Write("typed-42\n");
  Status s = h.Finish();
  EXPECT_TRUE(s.ok()) << s.message();
  ASSERT_EQ(h.calls().size(), 1u);
  EXPECT_EQ(h.calls()[0].kind, CredentialKind::kPasscode);
  EXPECT_EQ(h.calls()[0].credential, "typed-42");
  EXPECT_TRUE(Contains(h.err.Drain(), "or type the passcode from https://login.test/passcode here"));
  ExpectRefused(h.port);
}

TEST(SsoFlowTerminal, CrLfIsANewline) {
  FlowHarness h;
  testing::CapturedFd in;
  h.config.stdin_fd = in.read_fd();
  ASSERT_TRUE(h.Start());
  in.Write("code\r\n");
  EXPECT_TRUE(h.Finish().ok());
  ASSERT_EQ(h.calls().size(), 1u);
  EXPECT_EQ(h.calls()[0].credential, "code");
}

TEST(SsoFlowTerminal, BadCharactersEndTheFlowWithoutAnExchange) {
  for (const std::string typed : {" code\n", "co de\n", "code!\n", "c\xC3\xA9\n"}) {
    FlowHarness h;
    testing::CapturedFd in;
    h.config.stdin_fd = in.read_fd();
    ASSERT_TRUE(h.Start());
    in.Write(typed);
    Status s = h.Finish();
    EXPECT_EQ(s.kind(), ErrorKind::kInvalidChars) << typed;
    EXPECT_TRUE(h.calls().empty());
    ExpectRefused(h.port);
  }
}

TEST(SsoFlowTerminal, EmptyLineIsMissingInput) {
  FlowHarness h;
  testing::CapturedFd in;
  h.config.stdin_fd = in.read_fd();
  ASSERT_TRUE(h.Start());
  in.Write("\n");
  EXPECT_EQ(h.Finish().kind(), ErrorKind::kMissingInput);
  EXPECT_TRUE(h.calls().empty());
}

TEST(SsoFlowTerminal, EndOfInputLeavesTheBrowser) {
  FlowHarness h;
  testing::CapturedFd in;
  h.config.stdin_fd = in.read_fd();
  in.CloseWrite();  // `get_token --sso < /dev/null`
  ASSERT_TRUE(h.Start());
  std::this_thread::sleep_for(Ms(100));
  EXPECT_FALSE(h.Finished());
  auto res = PostPasscode(h, h.state, "from-browser");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_TRUE(h.Finish().ok());
  ASSERT_EQ(h.calls().size(), 1u);
  EXPECT_EQ(h.calls()[0].credential, "from-browser");
}

TEST(SsoFlowTerminal, UnterminatedLineAtEndOfInput) {
  FlowHarness h;
  testing::CapturedFd in;
  h.config.stdin_fd = in.read_fd();
  in.Write("piped7");
  in.CloseWrite();
  ASSERT_TRUE(h.Start());
  EXPECT_TRUE(h.Finish().ok());
  ASSERT_EQ(h.calls().size(), 1u);
  EXPECT_EQ(h.calls()[0].credential, "piped7");
}

TEST(SsoFlowTerminal, BrowserFirstThenTerminalIgnored) {
  FlowHarness h;
  testing::CapturedFd in;
  h.config.stdin_fd = in.read_fd();
  h.HoldExchange();
  ASSERT_TRUE(h.Start());
  std::thread browser([&h] { PostPasscode(h, h.state, "browser"); });
  ASSERT_TRUE(h.WaitForExchangeEntered(Ms(10000)));
  in.Write("terminal\n");
  h.ReleaseExchange();
  browser.join();
  EXPECT_TRUE(h.Finish().ok());
  ASSERT_EQ(h.calls().size(), 1u);
  EXPECT_EQ(h.calls()[0].credential, "browser");
}

TEST(SsoFlow, TimesOut) {
  FlowHarness h;
  h.config.timeout = Ms(300);
  auto t0 = std::chrono::steady_clock::now();
  ASSERT_TRUE(h.Start());
  Status s = h.Finish();
  auto elapsed = std::chrono::steady_clock::now() - t0;
  EXPECT_EQ(s.kind(), ErrorKind::kSsoTimeout);
  EXPECT_TRUE(Contains(s.message(), "0.3 s")) << s.message();
  EXPECT_TRUE(Contains(s.hint(), "--sso-timeout")) << s.hint();
  EXPECT_GE(elapsed, Ms(300));
  EXPECT_LT(elapsed, Ms(2000));
  EXPECT_TRUE(h.calls().empty());
  ExpectRefused(h.port);
}

TEST(SsoFlow, TimeoutWhileAPageIsOpenStillEnds) {
  FlowHarness h;
  h.config.timeout = Ms(400);
  ASSERT_TRUE(h.Start());
  auto page = h.Client().Get("/?state=" + h.state);
  ASSERT_TRUE(page);
  int idle = ConnectTo("127.0.0.1", h.port);
  EXPECT_EQ(h.Finish().kind(), ErrorKind::kSsoTimeout);
  if (idle >= 0) ::close(idle);
}

TEST(SsoFlow, BusyPort) {
  // Someone else listens on the port.
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)), 0);
  ASSERT_EQ(::listen(fd, 1), 0);
  socklen_t len = sizeof(a);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  int port = ntohs(a.sin_port);

  FlowHarness h;
  h.config.port = port;
  EXPECT_FALSE(h.Start());
  Status s = h.Finish();
  EXPECT_EQ(s.kind(), ErrorKind::kSsoTimeout);
  EXPECT_EQ(s.message(), "port " + std::to_string(port) + " is busy; pick another with --port");
  ::close(fd);
}

TEST(SsoFlow, ListensOnTheGivenPortOn127001Only) {
  LoopbackOptions probe_options;
  auto probe = LoopbackListener::Start(probe_options, [](const LoopbackRequest&) { return LoopbackReply{}; });
  ASSERT_TRUE(probe.ok());
  int port = (*probe)->port();
  (*probe)->Stop();

  FlowHarness h;
  h.config.port = port;
  ASSERT_TRUE(h.Start());
  EXPECT_EQ(h.port, port);
  EXPECT_EQ(h.start_url.rfind("http://127.0.0.1:" + std::to_string(port) + "/?state=", 0), 0u);
  EXPECT_EQ(ConnectTo("127.0.0.2", port), -1);
  ASSERT_TRUE(PostPasscode(h, h.state, "abc"));
  EXPECT_TRUE(h.Finish().ok());
}

TEST(SsoFlow, ConfigurationErrorsAreUsage) {
  {
    FlowHarness h;
    h.config.browser_command = "firefox 'unterminated";
    EXPECT_FALSE(h.Start());
    EXPECT_EQ(h.Finish().kind(), ErrorKind::kUsage);
  }
  {
    FlowHarness h;
    h.config.login_url.clear();
    EXPECT_FALSE(h.Start());
    EXPECT_EQ(h.Finish().kind(), ErrorKind::kUsage);
  }
  {
    FlowHarness h;
    h.config.timeout = Ms(0);
    EXPECT_FALSE(h.Start());
    EXPECT_EQ(h.Finish().kind(), ErrorKind::kUsage);
  }
  {
    FlowHarness h;
    h.config.idp_metadata_path = "/nonexistent/idp.xml";
    h.config.sp_entity_id = "sp";
    h.config.saml_recipient = "https://login.test/oauth/token/alias/sp";
    EXPECT_FALSE(h.Start());
    Status s = h.Finish();
    EXPECT_EQ(s.kind(), ErrorKind::kUsage);
    EXPECT_TRUE(Contains(s.message(), "/nonexistent/idp.xml")) << s.message();
  }
  {
    FlowHarness h;
    h.config.idp_metadata_path = "/dev/null";
    EXPECT_FALSE(h.Start());
    EXPECT_EQ(h.Finish().kind(), ErrorKind::kUsage);  // no SP entity ID
  }
}

// What the user is told on stderr, for each way the browser does or does not open.
std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(SsoFlowMessages, NoBrowserPrintsTheUrl) {
  FlowHarness h;
  testing::CapturedFd in;
  h.config.stdin_fd = in.read_fd();
  h.config.no_browser = true;
  ASSERT_TRUE(h.Start());
  ASSERT_TRUE(PostPasscode(h, h.state, "abc"));
  EXPECT_TRUE(h.Finish().ok());
  std::string err = h.err.Drain();
  EXPECT_TRUE(Contains(err, "Open this URL: " + h.start_url + "\n")) << err;
  EXPECT_FALSE(Contains(err, "ssh -L")) << err;
  EXPECT_TRUE(Contains(err, "get_token: or type the passcode from https://login.test/passcode here")) << err;
}

TEST(SsoFlowMessages, NoDisplayPrintsTheUrl) {
  FlowHarness h;
  h.config.no_browser = false;
  h.deps.browser_env.vars = {{"PATH", "/usr/bin:/bin"}};
  ASSERT_TRUE(h.Start());
  ASSERT_TRUE(PostPasscode(h, h.state, "abc"));
  EXPECT_TRUE(h.Finish().ok());
  std::string err = h.err.Drain();
  EXPECT_TRUE(Contains(err, "Open this URL: " + h.start_url + "\n")) << err;
  EXPECT_FALSE(Contains(err, "type the passcode")) << err;  // no terminal given
}

TEST(SsoFlowMessages, RemoteSessionPrintsTheUrlAndTheSshHint) {
  FlowHarness h;
  h.config.no_browser = false;
  h.deps.browser_env.vars = {{"DISPLAY", "localhost:10.0"}, {"SSH_CONNECTION", "10.0.0.2 5555 10.0.0.1 22"}};
  h.deps.browser_env.hostname = "buildhost";
  ASSERT_TRUE(h.Start());
  ASSERT_TRUE(PostPasscode(h, h.state, "abc"));
  EXPECT_TRUE(h.Finish().ok());
  std::string err = h.err.Drain();
  const std::string p = std::to_string(h.port);
  EXPECT_TRUE(Contains(err, "Open this URL: " + h.start_url + "\n")) << err;
  EXPECT_TRUE(Contains(err, "ssh -L " + p + ":127.0.0.1:" + p + " buildhost")) << err;
}

std::string BrowserScript(const std::string& dir, int exit_code) {
  const std::string path = dir + "/browser.sh";
  std::ofstream out(path);
  out << "#!/bin/sh\n"
      << "for a in \"$@\"; do printf '%s\\n' \"$a\"; done > " << dir << "/argv.tmp\n"
      << "env > " << dir << "/env\n"
      << "mv " << dir << "/argv.tmp " << dir << "/argv\n"
      << "exit " << exit_code << "\n";
  out.close();
  ::chmod(path.c_str(), 0755);
  return path;
}

TEST(SsoFlowBrowser, TheBrowserCommandGetsTheUrl) {
  ssocli::testing::TempDir dir;
  FlowHarness h;
  h.config.no_browser = false;
  h.config.browser_command = "'" + BrowserScript(dir.path(), 0) + "' --new-window %s";
  // No display and a remote session: an explicit command is tried all the same.
  h.deps.browser_env.vars = {
      {"PATH", "/usr/bin:/bin"}, {"CLIENT_SECRET", "s3cret"}, {"SSH_TTY", "/dev/pts/3"}};
  ASSERT_TRUE(h.Start());
  const std::string argv_file = dir.path() + "/argv";
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (ReadAll(argv_file).empty() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(Ms(10));
  }
  EXPECT_EQ(ReadAll(argv_file), "--new-window\n" + h.start_url + "\n");
  EXPECT_FALSE(Contains(ReadAll(dir.path() + "/env"), "s3cret"));
  // The "browser" follows the URL, as a real one would.
  auto page = h.Client().Get(h.start_url.substr(h.start_url.find('/', 7)));
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  ASSERT_TRUE(PostPasscode(h, h.state, "abc"));
  EXPECT_TRUE(h.Finish().ok());
  std::string err = h.err.Drain();
  EXPECT_FALSE(Contains(err, "Open this URL:")) << err;
  EXPECT_TRUE(Contains(err, "get_token: opened a browser to sign in")) << err;
}

TEST(SsoFlowBrowser, ABrowserThatFailsIsNotFatal) {
  ssocli::testing::TempDir dir;
  for (const std::string& command :
       std::vector<std::string>{BrowserScript(dir.path(), 4), dir.path() + "/no-such-browser"}) {
    FlowHarness h;
    h.config.no_browser = false;
    h.config.browser_command = command;
    ASSERT_TRUE(h.Start());
    // The URL appears once the failure is known (at once, or when the command exits).
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!Contains(h.err.Drain(), "Open this URL: ") && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(Ms(10));
    }
    std::string err = h.err.Drain();
    EXPECT_TRUE(Contains(err, "Open this URL: " + h.start_url + "\n")) << command << "\n" << err;
    EXPECT_TRUE(Contains(err, "could not open a browser")) << err;
    ASSERT_TRUE(PostPasscode(h, h.state, "abc"));
    EXPECT_TRUE(h.Finish().ok()) << command;
  }
}

TEST(SsoFlowBrowser, DefaultChainWithADisplayRunsXdgOpen) {
  // xdg-open is looked up in PATH: put a recording one first.
  ssocli::testing::TempDir dir;
  std::string script = BrowserScript(dir.path(), 0);
  ASSERT_EQ(::rename(script.c_str(), (dir.path() + "/xdg-open").c_str()), 0);
  const char* old_path = ::getenv("PATH");
  std::string saved = old_path ? old_path : "";
  ::setenv("PATH", (dir.path() + ":" + saved).c_str(), 1);
  FlowHarness h;
  h.config.no_browser = false;
  h.deps.browser_env.vars = {{"DISPLAY", ":0"}, {"PATH", dir.path() + ":/usr/bin:/bin"}};
  ASSERT_TRUE(h.Start());
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (ReadAll(dir.path() + "/argv").empty() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(Ms(10));
  }
  ::setenv("PATH", saved.c_str(), 1);
  EXPECT_EQ(ReadAll(dir.path() + "/argv"), h.start_url + "\n");
  ASSERT_TRUE(PostPasscode(h, h.state, "abc"));
  EXPECT_TRUE(h.Finish().ok());
}

}  // namespace
}  // namespace ssocli::sso
