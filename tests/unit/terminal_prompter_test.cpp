#include "cli/terminal_prompter.h"

#include <fcntl.h>
#include <pty.h>
#include <termios.h>
#include <unistd.h>

#include <chrono>
#include <gtest/gtest.h>
#include <string>
#include <thread>

namespace ssocli {
namespace {

struct Pipe {
  int fds[2] = {-1, -1};
  Pipe() { EXPECT_EQ(::pipe(fds), 0); }
  ~Pipe() {
    for (int fd : fds)
      if (fd >= 0) ::close(fd);
  }
  void Write(const std::string& s) { EXPECT_EQ(::write(fds[1], s.data(), s.size()), static_cast<ssize_t>(s.size())); }
  void CloseWrite() {
    ::close(fds[1]);
    fds[1] = -1;
  }
  std::string ReadAll() {
    std::string out;
    ::fcntl(fds[0], F_SETFL, O_NONBLOCK);
    char buf[4096];
    ssize_t n;
    while ((n = ::read(fds[0], buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
    return out;
  }
};

TEST(TerminalPrompter, PromptsAreTheOriginalsWording) {
  Pipe in, err;
  in.Write("alice@example.com\npw\n123456\nCODE\nerin@example.com\n");
  TerminalPrompter p(in.fds[0], err.fds[1], PromptTimeouts{});
  EXPECT_EQ(p.AskUsername(), "alice@example.com");
  EXPECT_EQ(p.AskPassword("alice@example.com"), "pw");
  EXPECT_EQ(p.AskMfaCode("alice@example.com"), "123456");
  EXPECT_EQ(p.AskPasscode("https://z.login.apigee.com/passcode"), "CODE");
  EXPECT_EQ(p.AskWhichUser({"dave@example.com", "erin@example.com"}), "erin@example.com");
  EXPECT_EQ(err.ReadAll(),
            "Enter username:\n"
            "Enter the password for user 'alice@example.com':\n"
            "Enter the six-digit code (no spaces) if 'alice@example.com' is MFA-enabled or press ENTER:\n"
            "Starting passcode flow:\n"
            "-----------------------\n"
            "Get passcode from https://z.login.apigee.com/passcode [ Note: Passcode can be used only one "
            "time and expires ]\n"
            "Input passcode (no spaces) and then press ENTER:\n"
            "sso-cli cache found to contain access tokens pertaining to multiple users;\n"
            "please enter the username (email), to fetch correct one:\n");
}

TEST(TerminalPrompter, LinesAreReadRaw) {
  // The original stripped backslashes and blanks and cut passwords at the first space.
  Pipe in, err;
  in.Write("  pa\\ss word  \r\nnext\n");
  TerminalPrompter p(in.fds[0], err.fds[1], PromptTimeouts{});
  EXPECT_EQ(p.ReadLine(5, false), "  pa\\ss word  ");
  EXPECT_EQ(p.ReadLine(5, true), "next") << "must not read past the first line";
}

TEST(TerminalPrompter, EndOfInputIsNoAnswerButAPartialLineCounts) {
  Pipe in, err;
  in.Write("no-newline");
  in.CloseWrite();
  TerminalPrompter p(in.fds[0], err.fds[1], PromptTimeouts{});
  EXPECT_EQ(p.ReadLine(5, true), "no-newline");
  EXPECT_EQ(p.ReadLine(5, true), "");
}

TEST(TerminalPrompter, TimesOut) {
  Pipe in, err;  // write end stays open: no input, no EOF
  TerminalPrompter p(in.fds[0], err.fds[1], PromptTimeouts{1, 1});
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(p.AskPassword("a"), "");
  auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_GE(waited, std::chrono::milliseconds(900));
  EXPECT_LT(waited, std::chrono::seconds(5));
}

TEST(TerminalPrompter, PasswordIsNotEchoedOnATerminalAndEchoIsRestored) {
  int master, slave;
  ASSERT_EQ(::openpty(&master, &slave, nullptr, nullptr, nullptr), 0);
  Pipe err;
  TerminalPrompter p(slave, err.fds[1], PromptTimeouts{});
  std::thread typist([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    ASSERT_EQ(::write(master, "topsecret\n", 10), 10);
  });
  EXPECT_EQ(p.AskPassword("a"), "topsecret");
  typist.join();
  // What the terminal showed back: the newline (ECHONL) but not the password.
  std::string shown;
  ::fcntl(master, F_SETFL, O_NONBLOCK);
  char buf[256];
  ssize_t n;
  while ((n = ::read(master, buf, sizeof buf)) > 0) shown.append(buf, static_cast<size_t>(n));
  EXPECT_EQ(shown.find("topsecret"), std::string::npos) << shown;
  struct termios t;
  ASSERT_EQ(::tcgetattr(slave, &t), 0);
  EXPECT_TRUE(t.c_lflag & ECHO) << "echo not restored";
  ::close(master);
  ::close(slave);
}

}  // namespace
}  // namespace ssocli
