#include "sso/browser_launcher.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <fstream>
#include <initializer_list>
#include <iterator>

extern char** environ;

namespace ssocli::sso {
namespace {

bool IsBlank(char c) {
  return c == ' ' || c == '\t' || c == '\n';
}

bool ContainsNoCase(std::string_view text, std::string_view lower_needle) {
  if (lower_needle.size() > text.size()) return false;
  for (size_t i = 0; i + lower_needle.size() <= text.size(); ++i) {
    size_t j = 0;
    while (j < lower_needle.size() &&
           std::tolower(static_cast<unsigned char>(text[i + j])) == lower_needle[j]) {
      ++j;
    }
    if (j == lower_needle.size()) return true;
  }
  return false;
}

bool IsSet(const std::map<std::string, std::string>& vars, const char* name) {
  auto it = vars.find(name);
  return it != vars.end() && !it->second.empty();
}

bool IsSecretName(const std::string& name) {
  if (name == "CLIENT_AUTH" || name == "CLIENT_SECRET") return true;
  if (name == "XDG_ACTIVATION_TOKEN") return false;  // lets the browser raise its window; not ours
  for (const char* word : {"secret", "password", "passwd", "token"}) {
    if (ContainsNoCase(name, word)) return true;
  }
  return false;
}

// RAII for the posix_spawn attribute objects.
struct SpawnSetup {
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  SpawnSetup() {
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attr);
  }
  ~SpawnSetup() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;
};

}  // namespace

Result<std::vector<std::string>> SplitShellWords(std::string_view command) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;  // a word has started (even an empty one: '' or "")
  size_t i = 0;
  const size_t n = command.size();
  while (i < n) {
    char c = command[i];
    if (IsBlank(c)) {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
      ++i;
    } else if (c == '\\') {
      if (i + 1 == n) {  // a trailing backslash stays, as in sh -c 'echo a\'
        word += '\\';
        in_word = true;
        ++i;
      } else if (command[i + 1] == '\n') {  // line continuation
        i += 2;
      } else {
        word += command[i + 1];
        in_word = true;
        i += 2;
      }
    } else if (c == '\'') {
      size_t end = command.find('\'', i + 1);
      if (end == std::string_view::npos) {
        return Status::Error(ErrorKind::kUsage, "the browser command has an unterminated ' quote",
                             "quote it as a shell would, e.g. --browser 'firefox --new-window %s'");
      }
      word.append(command.substr(i + 1, end - i - 1));
      in_word = true;
      i = end + 1;
    } else if (c == '"') {
      ++i;
      bool closed = false;
      while (i < n) {
        char d = command[i];
        if (d == '"') {
          closed = true;
          ++i;
          break;
        }
        if (d == '\\' && i + 1 < n) {
          char e = command[i + 1];
          if (e == '$' || e == '`' || e == '"' || e == '\\') {
            word += e;
            i += 2;
            continue;
          }
          if (e == '\n') {
            i += 2;
            continue;
          }
        }
        word += d;
        ++i;
      }
      if (!closed) {
        return Status::Error(ErrorKind::kUsage, "the browser command has an unterminated \" quote",
                             "quote it as a shell would, e.g. --browser 'firefox --new-window %s'");
      }
      in_word = true;
    } else {
      word += c;
      in_word = true;
      ++i;
    }
  }
  if (in_word) words.push_back(std::move(word));
  return words;
}

std::vector<std::string> BrowserArgv(const std::vector<std::string>& words, const std::string& url) {
  std::vector<std::string> argv;
  bool substituted = false;
  for (const std::string& w : words) {
    std::string out;
    size_t pos = 0;
    for (size_t at = w.find("%s"); at != std::string::npos; at = w.find("%s", pos)) {
      out.append(w, pos, at - pos);
      out += url;
      pos = at + 2;
      substituted = true;
    }
    out.append(w, pos, std::string::npos);
    argv.push_back(std::move(out));
  }
  if (!substituted) argv.push_back(url);
  return argv;
}

BrowserEnvironment BrowserEnvironment::FromProcess() {
  BrowserEnvironment env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string_view entry(*e);
    size_t eq = entry.find('=');
    if (eq == std::string_view::npos || eq == 0) continue;
    env.vars.emplace(std::string(entry.substr(0, eq)), std::string(entry.substr(eq + 1)));
  }
#ifdef __APPLE__
  env.macos = true;
#endif
  if (IsSet(env.vars, "WSL_DISTRO_NAME") || IsSet(env.vars, "WSL_INTEROP")) {
    env.wsl = true;
  } else {
    std::ifstream version("/proc/version");
    std::string text((std::istreambuf_iterator<char>(version)), std::istreambuf_iterator<char>());
    env.wsl = ContainsNoCase(text, "microsoft");
  }
  char host[256] = {};
  if (::gethostname(host, sizeof(host) - 1) == 0) env.hostname = host;
  return env;
}

bool BrowserEnvironment::remote_session() const {
  return IsSet(vars, "SSH_CONNECTION") || IsSet(vars, "SSH_CLIENT") || IsSet(vars, "SSH_TTY");
}

bool BrowserEnvironment::has_display() const {
  return macos || wsl || IsSet(vars, "DISPLAY") || IsSet(vars, "WAYLAND_DISPLAY");
}

Result<BrowserPlan> PlanBrowserLaunch(std::string_view explicit_command, bool no_browser,
                                      const BrowserEnvironment& env, const std::string& url) {
  BrowserPlan plan;
  plan.remote_session = env.remote_session();
  auto words = SplitShellWords(explicit_command);
  if (!words.ok()) return words.status();
  if (no_browser) {
    plan.skipped_because = "--no-browser";
    return plan;
  }
  if (!words->empty()) {  // explicit: always tried, display or not
    plan.commands.push_back(BrowserArgv(*words, url));
    return plan;
  }
  if (plan.remote_session) {
    plan.skipped_because = "remote session";
    return plan;
  }
  if (env.macos) {
    plan.commands.push_back({"open", url});
  } else if (env.wsl) {
    plan.commands.push_back({"wslview", url});
    if (IsSet(env.vars, "DISPLAY") || IsSet(env.vars, "WAYLAND_DISPLAY")) {
      plan.commands.push_back({"xdg-open", url});
    }
  } else if (env.has_display()) {
    plan.commands.push_back({"xdg-open", url});
  } else {
    plan.skipped_because = "no display";
  }
  return plan;
}

std::vector<std::string> BrowserChildEnvironment(const std::map<std::string, std::string>& vars) {
  std::vector<std::string> out;
  for (const auto& [name, value] : vars) {
    if (!IsSecretName(name)) out.push_back(name + "=" + value);
  }
  return out;
}

BrowserLauncher::BrowserLauncher(BrowserPlan plan, std::vector<std::string> child_env)
    : plan_(std::move(plan)), child_env_(std::move(child_env)) {}

BrowserLauncher::~BrowserLauncher() {
  if (pid_ > 0) {
    int status = 0;
    ::waitpid(pid_, &status, WNOHANG);
  }
}

BrowserLauncher::State BrowserLauncher::Start() {
  if (state_ != State::kIdle || plan_.commands.empty()) return state_;
  return SpawnFrom(0);
}

BrowserLauncher::State BrowserLauncher::SpawnFrom(size_t index) {
  std::vector<char*> envp;
  for (std::string& e : child_env_) envp.push_back(e.data());
  envp.push_back(nullptr);

  for (size_t i = index; i < plan_.commands.size(); ++i) {
    std::vector<std::string> argv_strings = plan_.commands[i];
    std::vector<char*> argv;
    for (std::string& a : argv_strings) argv.push_back(a.data());
    argv.push_back(nullptr);

    SpawnSetup setup;
    posix_spawn_file_actions_addopen(&setup.actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&setup.actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&setup.actions, 1, 2);
    // The listener's accepted sockets are not close-on-exec: a browser holding one (or any other
    // descriptor of the caller's) would keep it open after the flow.
    posix_spawn_file_actions_addclosefrom_np(&setup.actions, 3);
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&setup.attr, &none);
    sigset_t defaults;
    sigemptyset(&defaults);
    for (int sig : {SIGPIPE, SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGCHLD, SIGTSTP, SIGTTIN, SIGTTOU, SIGALRM,
                    SIGUSR1, SIGUSR2}) {
      sigaddset(&defaults, sig);
    }
    posix_spawnattr_setsigdefault(&setup.attr, &defaults);
    posix_spawnattr_setflags(&setup.attr,
                             POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

    pid_t pid = -1;
    int rc = ::posix_spawnp(&pid, argv[0], &setup.actions, &setup.attr, argv.data(), envp.data());
    if (rc == 0) {
      pid_ = pid;
      next_ = i + 1;
      state_ = State::kRunning;
      last_result_ = "started " + argv_strings[0] + " (pid " + std::to_string(pid) + ")";
      return state_;
    }
    last_result_ = "cannot run " + argv_strings[0] + ": " + ::strerror(rc);
  }
  pid_ = -1;
  next_ = plan_.commands.size();
  state_ = State::kFailed;
  return state_;
}

BrowserLauncher::State BrowserLauncher::Poll() {
  if (state_ != State::kRunning) return state_;
  int status = 0;
  pid_t r = ::waitpid(pid_, &status, WNOHANG);
  if (r == 0) return state_;
  const std::string name = plan_.commands[next_ - 1][0];
  if (r < 0) {
    // ECHILD: the caller reaps its children itself (SIGCHLD ignored); assume the launch went well.
    pid_ = -1;
    state_ = State::kLaunched;
    last_result_ = name + " started";
    return state_;
  }
  pid_ = -1;
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
    state_ = State::kLaunched;
    last_result_ = name + " exited 0";
    return state_;
  }
  last_result_ = WIFEXITED(status) ? name + " exited with status " + std::to_string(WEXITSTATUS(status))
                                   : name + " was killed by signal " + std::to_string(WTERMSIG(status));
  if (next_ < plan_.commands.size()) {
    std::string failed = last_result_;
    State s = SpawnFrom(next_);
    if (s == State::kFailed) last_result_ = failed + "; " + last_result_;
    return s;
  }
  state_ = State::kFailed;
  return state_;
}

}  // namespace ssocli::sso
