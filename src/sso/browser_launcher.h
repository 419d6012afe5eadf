// Opening the sign-in URL in a browser, as interface.md says: an explicit command (--browser CMD or
// $BROWSER) is always tried; otherwise the default chain (open on macOS, wslview on WSL, xdg-open) runs
// only with a display and a local session. Nothing here is fatal: when no browser starts, the flow
// prints the URL.
#pragma once

#include <sys/types.h>

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace ssocli::sso {

// Splits `command` into words as a POSIX shell would, without running one: blanks (space, tab, newline)
// separate words; '...' is literal; inside "..." a backslash escapes only $ ` " \ and newline;
// outside quotes a backslash escapes any character (backslash-newline is removed). Nothing is expanded:
// $VAR, ~, globs and ; | & stay literal characters of a word. kUsage on an unterminated quote.
Result<std::vector<std::string>> SplitShellWords(std::string_view command);

// The browser's argv: every "%s" in a word replaced by `url`; when no word holds "%s", `url` is
// appended as the last word. REQUIRES: `words` is not empty.
std::vector<std::string> BrowserArgv(const std::vector<std::string>& words, const std::string& url);

// What decides whether and how a browser opens. FromProcess() reads the real process; tests build one.
struct BrowserEnvironment {
  std::map<std::string, std::string> vars;  // the environment (also what the browser gets, minus secrets)
  bool wsl = false;                         // Windows Subsystem for Linux
  bool macos = false;
  std::string hostname;  // for the `ssh -L` hint

  static BrowserEnvironment FromProcess();

  // SSH_CONNECTION, SSH_CLIENT or SSH_TTY set (not empty).
  bool remote_session() const;
  // DISPLAY or WAYLAND_DISPLAY set; macOS and WSL always have one (their own desktops).
  bool has_display() const;
};

struct BrowserPlan {
  std::vector<std::vector<std::string>> commands;  // argv of each candidate, tried in order
  bool remote_session = false;                     // print the `ssh -L` hint with the URL
  std::string skipped_because;  // when `commands` is empty: "--no-browser", "no display", ...
};

// Decides what to run for `url`. `explicit_command` (--browser / $BROWSER) blank: the default chain.
// kUsage when `explicit_command` does not split (an unterminated quote).
Result<BrowserPlan> PlanBrowserLaunch(std::string_view explicit_command, bool no_browser,
                                      const BrowserEnvironment& env, const std::string& url);

// The browser's environment: `vars` without the get_token secrets (CLIENT_AUTH, CLIENT_SECRET) nor any
// variable whose name says it holds a secret (…SECRET…, …PASSWORD…, …PASSWD…, …TOKEN… except the
// desktop's XDG_ACTIVATION_TOKEN), as "NAME=value" strings.
std::vector<std::string> BrowserChildEnvironment(const std::map<std::string, std::string>& vars);

// Runs the candidates of a plan, one at a time, detached: its own session (Ctrl-C at the terminal
// does not reach it), stdin/stdout/stderr on /dev/null, no inherited descriptors, default signal
// dispositions. A candidate that cannot be spawned or exits non-zero gives way to the next.
class BrowserLauncher {
 public:
  enum class State {
    kIdle,      // nothing to run (an empty plan), or Start() not called
    kRunning,   // a candidate runs: it may still fail
    kLaunched,  // a candidate exited 0 (xdg-open and friends return once the browser has the URL)
    kFailed,    // every candidate failed to spawn or exited non-zero
  };

  BrowserLauncher(BrowserPlan plan, std::vector<std::string> child_env);
  // Reaps an exited candidate; one still running (a browser started directly) is left alone.
  ~BrowserLauncher();
  BrowserLauncher(const BrowserLauncher&) = delete;
  BrowserLauncher& operator=(const BrowserLauncher&) = delete;

  // Spawns the first candidate that can be spawned. Returns the new state.
  State Start();
  // Without blocking: notices the running candidate's exit and moves on to the next one if it failed.
  State Poll();
  State state() const { return state_; }
  // Whether Poll() is worth calling again (a candidate runs).
  bool running() const { return state_ == State::kRunning; }
  // What was last tried and how it ended, for -v and for the message when every candidate failed.
  const std::string& last_result() const { return last_result_; }

 private:
  State SpawnFrom(size_t index);

  BrowserPlan plan_;
  std::vector<std::string> child_env_;
  size_t next_ = 0;
  pid_t pid_ = -1;
  State state_ = State::kIdle;
  std::string last_result_;
};

}  // namespace ssocli::sso
