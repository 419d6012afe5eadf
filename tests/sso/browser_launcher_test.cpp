#include "sso/browser_launcher.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "support/temp_dir.h"

namespace ssocli::sso {
namespace {

using Words = std::vector<std::string>;

Words Split(std::string_view command) {
  auto words = SplitShellWords(command);
  EXPECT_TRUE(words.ok()) << command << ": " << words.status().message();
  return words.ok() ? words.value() : Words{"<error>"};
}

TEST(SsoShellWords, SplitsLikeAShell) {
  EXPECT_EQ(Split("firefox"), (Words{"firefox"}));
  EXPECT_EQ(Split("  firefox   --new-window\t%s \n"), (Words{"firefox", "--new-window", "%s"}));
  EXPECT_EQ(Split(""), Words{});
  EXPECT_EQ(Split(" \t "), Words{});
  EXPECT_EQ(Split("'/opt/My Browser/bin' --x"), (Words{"/opt/My Browser/bin", "--x"}));
  EXPECT_EQ(Split("\"/opt/My Browser/bin\" --x"), (Words{"/opt/My Browser/bin", "--x"}));
  EXPECT_EQ(Split("/opt/My\\ Browser/bin"), (Words{"/opt/My Browser/bin"}));
  EXPECT_EQ(Split("a'b c'd\"e f\"g"), (Words{"ab cde fg"}));   // quotes join into one word
  EXPECT_EQ(Split("x '' \"\" y"), (Words{"x", "", "", "y"}));  // empty quoted words stay
  EXPECT_EQ(Split("'it'\\''s'"), (Words{"it's"}));
  EXPECT_EQ(Split("\"a \\\"q\\\" \\\\ \\$HOME \\n\""), (Words{"a \"q\" \\ $HOME \\n"}));  // \n kept in "..."
  EXPECT_EQ(Split("'a \\\" b'"), (Words{"a \\\" b"}));  // nothing escapes inside '...'
  EXPECT_EQ(Split("a\\\nb"), (Words{"ab"}));            // line continuation
  EXPECT_EQ(Split("\"a\\\nb\""), (Words{"ab"}));
  EXPECT_EQ(Split("trailing\\"), (Words{"trailing\\"}));
}

TEST(SsoShellWords, ExpandsNothing) {
  EXPECT_EQ(Split("$BROWSER ~/bin/b *.html a;b|c&d `id` $(id)"),
            (Words{"$BROWSER", "~/bin/b", "*.html", "a;b|c&d", "`id`", "$(id)"}));
}

TEST(SsoShellWords, UnterminatedQuotesAreUsageErrors) {
  for (const char* bad : {"firefox 'x", "firefox \"x", "\"a\\\"", "'"}) {
    auto words = SplitShellWords(bad);
    ASSERT_FALSE(words.ok()) << bad;
    EXPECT_EQ(words.status().kind(), ErrorKind::kUsage);
    EXPECT_NE(words.status().message().find("unterminated"), std::string::npos);
  }
}

TEST(SsoBrowserArgv, ReplacesPercentSOrAppendsTheUrl) {
  const std::string url = "http://127.0.0.1:5000/?state=abc";
  EXPECT_EQ(BrowserArgv({"firefox"}, url), (Words{"firefox", url}));
  EXPECT_EQ(BrowserArgv({"firefox", "--new-window"}, url), (Words{"firefox", "--new-window", url}));
  EXPECT_EQ(BrowserArgv({"chrome", "--app=%s", "--x"}, url), (Words{"chrome", "--app=" + url, "--x"}));
  EXPECT_EQ(BrowserArgv({"b", "%s", "again:%s"}, url), (Words{"b", url, "again:" + url}));
  // The URL is data, never re-split or re-expanded.
  EXPECT_EQ(BrowserArgv({"b"}, "http://x/?a=%s b"), (Words{"b", "http://x/?a=%s b"}));
}

BrowserEnvironment Env(std::map<std::string, std::string> vars, bool wsl = false, bool macos = false) {
  BrowserEnvironment env;
  env.vars = std::move(vars);
  env.wsl = wsl;
  env.macos = macos;
  env.hostname = "devbox";
  return env;
}

struct PlanCase {
  const char* name;
  std::string command;
  bool no_browser;
  BrowserEnvironment env;
  std::vector<Words> commands;
  bool remote;
  std::string skipped;
};

TEST(SsoBrowserPlan, DecisionTable) {
  const std::string u = "http://127.0.0.1:1/?state=s";
  const std::vector<PlanCase> cases = {
      {"x11", "", false, Env({{"DISPLAY", ":0"}}), {{"xdg-open", u}}, false, ""},
      {"wayland", "", false, Env({{"WAYLAND_DISPLAY", "wayland-0"}}), {{"xdg-open", u}}, false, ""},
      {"no display", "", false, Env({{"TERM", "xterm"}}), {}, false, "no display"},
      {"empty DISPLAY", "", false, Env({{"DISPLAY", ""}}), {}, false, "no display"},
      {"ssh with X forwarding",
       "",
       false,
       Env({{"DISPLAY", "localhost:10.0"}, {"SSH_CONNECTION", "1 2 3 4"}}),
       {},
       true,
       "remote session"},
      {"ssh tty only", "", false, Env({{"SSH_TTY", "/dev/pts/1"}}), {}, true, "remote session"},
      {"ssh client only",
       "",
       false,
       Env({{"SSH_CLIENT", "10.0.0.1 5 22"}, {"DISPLAY", ":0"}}),
       {},
       true,
       "remote session"},
      {"wsl", "", false, Env({}, true), {{"wslview", u}}, false, ""},
      {"wslg", "", false, Env({{"DISPLAY", ":0"}}, true), {{"wslview", u}, {"xdg-open", u}}, false, ""},
      {"macos", "", false, Env({}, false, true), {{"open", u}}, false, ""},
      {"macos over ssh", "", false, Env({{"SSH_CONNECTION", "x"}}, false, true), {}, true, "remote session"},
      {"explicit, no display", "firefox %s", false, Env({}), {{"firefox", u}}, false, ""},
      {"explicit over ssh", "w3m", false, Env({{"SSH_CONNECTION", "x"}}), {{"w3m", u}}, true, ""},
      {"blank explicit = default", "  ", false, Env({{"DISPLAY", ":0"}}), {{"xdg-open", u}}, false, ""},
      {"--no-browser wins", "firefox", true, Env({{"DISPLAY", ":0"}}), {}, false, "--no-browser"},
      {"--no-browser over ssh", "", true, Env({{"SSH_TTY", "/dev/pts/0"}}), {}, true, "--no-browser"},
  };
  for (const PlanCase& c : cases) {
    auto plan = PlanBrowserLaunch(c.command, c.no_browser, c.env, u);
    ASSERT_TRUE(plan.ok()) << c.name;
    EXPECT_EQ(plan->commands, c.commands) << c.name;
    EXPECT_EQ(plan->remote_session, c.remote) << c.name;
    EXPECT_EQ(plan->skipped_because, c.skipped) << c.name;
  }
}

TEST(SsoBrowserPlan, BadExplicitCommandIsAUsageError) {
  auto plan = PlanBrowserLaunch("firefox 'oops", false, Env({{"DISPLAY", ":0"}}), "http://127.0.0.1:1/");
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.status().kind(), ErrorKind::kUsage);
}

TEST(SsoBrowserEnvironment, RemoteAndDisplayFacts) {
  EXPECT_FALSE(Env({}).remote_session());
  EXPECT_FALSE(Env({{"SSH_CONNECTION", ""}}).remote_session());
  EXPECT_TRUE(Env({{"SSH_CONNECTION", "a b c d"}}).remote_session());
  EXPECT_FALSE(Env({}).has_display());
  EXPECT_TRUE(Env({{"WAYLAND_DISPLAY", "w"}}).has_display());
  EXPECT_TRUE(Env({}, true).has_display());
  BrowserEnvironment real = BrowserEnvironment::FromProcess();
  EXPECT_FALSE(real.vars.empty());
  EXPECT_FALSE(real.hostname.empty());
}

TEST(SsoBrowserEnvironment, ChildEnvironmentDropsSecrets) {
  auto env = BrowserChildEnvironment({{"PATH", "/usr/bin"},
                                      {"DISPLAY", ":0"},
                                      {"CLIENT_AUTH", "Y2Y6"},
                                      {"CLIENT_SECRET", "s3cret"},
                                      {"CLIENT_ID", "cf"},
                                      {"MY_DB_PASSWORD", "x"},
                                      {"GITHUB_TOKEN", "x"},
                                      {"aws_secret_access_key", "x"},
                                      {"XDG_ACTIVATION_TOKEN", "act"},
                                      {"SSH_AUTH_SOCK", "/tmp/agent"}});
  EXPECT_EQ(env, (Words{"CLIENT_ID=cf", "DISPLAY=:0", "PATH=/usr/bin", "SSH_AUTH_SOCK=/tmp/agent",
                        "XDG_ACTIVATION_TOKEN=act"}));
}

// A browser stand-in that records its argv, environment and descriptors.
std::string RecorderScript(const std::string& dir, int exit_code) {
  const std::string path = dir + "/browser-" + std::to_string(exit_code) + ".sh";
  std::ofstream out(path);
  out << "#!/bin/sh\n"
      << "out=" << dir << "/argv-" << exit_code << "\n"
      << "for a in \"$@\"; do printf '%s\\n' \"$a\"; done > \"$out.tmp\"\n"
      << "env > " << dir << "/env-" << exit_code << "\n"
      << "ls /proc/$$/fd > " << dir << "/fds-" << exit_code << "\n"
      << "ps -o sid= -p $$ > " << dir << "/sid-" << exit_code << " 2>/dev/null\n"
      << "mv \"$out.tmp\" \"$out\"\n"
      << "exit " << exit_code << "\n";
  out.close();
  ::chmod(path.c_str(), 0755);
  return path;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

BrowserLauncher::State WaitWhileRunning(BrowserLauncher& launcher) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (launcher.Poll() == BrowserLauncher::State::kRunning && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return launcher.state();
}

TEST(SsoBrowserLauncher, RunsTheCommandWithTheUrlDetachedAndWithoutSecrets) {
  ssocli::testing::TempDir dir;
  const std::string script = RecorderScript(dir.path(), 0);
  const std::string url = "http://127.0.0.1:4242/?state=xyz";
  BrowserPlan plan;
  plan.commands = {BrowserArgv(Split("'" + script + "' --new-window %s"), url)};
  BrowserLauncher launcher(plan,
                           BrowserChildEnvironment({{"PATH", "/usr/bin:/bin"}, {"CLIENT_SECRET", "s3cret"}}));
  // A descriptor without close-on-exec (as httplib's accepted sockets are) must not reach the browser.
  int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  ASSERT_GE(null_fd, 0);
  const int leaky = 57;
  ASSERT_EQ(::dup2(null_fd, leaky), leaky);  // dup2 clears close-on-exec
  ::close(null_fd);
  EXPECT_EQ(launcher.Start(), BrowserLauncher::State::kRunning);
  ::close(leaky);
  EXPECT_EQ(WaitWhileRunning(launcher), BrowserLauncher::State::kLaunched) << launcher.last_result();
  EXPECT_EQ(ReadAll(dir.path() + "/argv-0"), "--new-window\n" + url + "\n");
  const std::string env = ReadAll(dir.path() + "/env-0");
  EXPECT_NE(env.find("PATH=/usr/bin:/bin"), std::string::npos);
  EXPECT_EQ(env.find("s3cret"), std::string::npos);
  // Nothing inherited: the shell has stdin, stdout, stderr and its own script descriptors (10 and up).
  const std::string fds = ReadAll(dir.path() + "/fds-0");
  EXPECT_EQ(fds.find("\n" + std::to_string(leaky) + "\n"), std::string::npos) << fds;
  for (int fd = 3; fd < 10; ++fd)
    EXPECT_EQ(fds.find("\n" + std::to_string(fd) + "\n"), std::string::npos) << fds;
  // Its own session.
  const std::string sid = ReadAll(dir.path() + "/sid-0");
  if (!sid.empty()) {
    EXPECT_NE(std::stol(sid), static_cast<long>(::getsid(0)));
  }
}

TEST(SsoBrowserLauncher, FailingCandidatesGiveWayToTheNextAndFinallyFail) {
  ssocli::testing::TempDir dir;
  const std::string failing = RecorderScript(dir.path(), 3);
  const std::string working = RecorderScript(dir.path(), 0);
  BrowserPlan plan;
  plan.commands = {{dir.path() + "/does-not-exist", "u"}, {failing, "u"}, {working, "u"}};
  BrowserLauncher launcher(plan, {});
  EXPECT_EQ(launcher.Start(), BrowserLauncher::State::kRunning);  // the missing one is skipped at once
  EXPECT_EQ(WaitWhileRunning(launcher), BrowserLauncher::State::kLaunched) << launcher.last_result();
  EXPECT_EQ(ReadAll(dir.path() + "/argv-3"), "u\n");
  EXPECT_EQ(ReadAll(dir.path() + "/argv-0"), "u\n");

  BrowserPlan bad;
  bad.commands = {{dir.path() + "/does-not-exist", "u"}};
  BrowserLauncher none(bad, {});
  EXPECT_EQ(none.Start(), BrowserLauncher::State::kFailed);
  EXPECT_NE(none.last_result().find("does-not-exist"), std::string::npos);

  BrowserPlan exits;
  exits.commands = {{failing, "u"}};
  BrowserLauncher fails(exits, {});
  fails.Start();
  EXPECT_EQ(WaitWhileRunning(fails), BrowserLauncher::State::kFailed);
  EXPECT_NE(fails.last_result().find("exited with status 3"), std::string::npos) << fails.last_result();

  BrowserLauncher idle(BrowserPlan{}, {});
  EXPECT_EQ(idle.Start(), BrowserLauncher::State::kIdle);
}

}  // namespace
}  // namespace ssocli::sso
