#include "cli/terminal_prompter.h"

#include <poll.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>

#include "cli/interrupts.h"

namespace ssocli {
namespace {

constexpr size_t kMaxLine = 8192;

int64_t MonotonicMs() {
  struct timespec ts;
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

}  // namespace

void TerminalPrompter::Say(std::string_view text) {
  std::string line(text);
  line += '\n';
  ssize_t ignored = ::write(out_fd_, line.data(), line.size());
  (void)ignored;
}

std::string TerminalPrompter::ReadLine(int timeout_seconds, bool echo) {
  struct termios saved;
  bool restore = false;
  if (!echo && ::isatty(in_fd_) && ::tcgetattr(in_fd_, &saved) == 0) {
    struct termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    quiet.c_lflag |= ECHONL;
    SetTerminalToRestore(in_fd_, &saved);
    restore = ::tcsetattr(in_fd_, TCSANOW, &quiet) == 0;
  }
  std::string line;
  const int64_t deadline = MonotonicMs() + static_cast<int64_t>(timeout_seconds) * 1000;
  bool timed_out = false;
  for (;;) {
    int64_t left = deadline - MonotonicMs();
    if (left <= 0) {
      timed_out = true;
      break;
    }
    struct pollfd p = {in_fd_, POLLIN, 0};
    int ready = ::poll(&p, 1, static_cast<int>(left));
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0) {
      timed_out = true;
      break;
    }
    if (ready < 0) break;
    // One byte at a time: what follows the newline belongs to the next prompt.
    char c;
    ssize_t n = ::read(in_fd_, &c, 1);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0 || c == '\n') break;
    if (line.size() < kMaxLine) line += c;
  }
  if (restore) {
    ::tcsetattr(in_fd_, TCSANOW, &saved);
    SetTerminalToRestore(in_fd_, nullptr);
  }
  if (timed_out) {
    Say("");
    line.clear();
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

std::string TerminalPrompter::AskUsername() {
  Say("Enter username:");
  return ReadLine(timeouts_.credential_seconds, true);
}

std::string TerminalPrompter::AskPassword(std::string_view user) {
  Say("Enter the password for user '" + std::string(user) + "':");
  return ReadLine(timeouts_.credential_seconds, false);
}

std::string TerminalPrompter::AskMfaCode(std::string_view user) {
  Say("Enter the six-digit code (no spaces) if '" + std::string(user) +
      "' is MFA-enabled or press ENTER:");
  return ReadLine(timeouts_.credential_seconds, true);
}

std::string TerminalPrompter::AskPasscode(std::string_view passcode_url) {
  Say("Starting passcode flow:");
  Say("-----------------------");
  Say("Get passcode from " + std::string(passcode_url) +
      " [ Note: Passcode can be used only one time and expires ]");
  Say("Input passcode (no spaces) and then press ENTER:");
  return ReadLine(timeouts_.passcode_seconds, true);
}

std::string TerminalPrompter::AskWhichUser(const std::vector<std::string>& users) {
  (void)users;
  Say("sso-cli cache found to contain access tokens pertaining to multiple users;");
  Say("please enter the username (email), to fetch correct one:");
  return ReadLine(timeouts_.credential_seconds, true);
}

}  // namespace ssocli
