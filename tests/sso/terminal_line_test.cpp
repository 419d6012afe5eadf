#include "sso/terminal_line.h"

#include <gtest/gtest.h>
#include <poll.h>
#include <unistd.h>

#include <string>

namespace ssocli::sso {
namespace {

struct Pipe {
  int r = -1, w = -1;
  Pipe() {
    int fds[2];
    EXPECT_EQ(::pipe(fds), 0);
    r = fds[0];
    w = fds[1];
  }
  ~Pipe() {
    CloseWrite();
    ::close(r);
  }
  void Write(const std::string& s) {
    EXPECT_EQ(::write(w, s.data(), s.size()), static_cast<ssize_t>(s.size()));
  }
  void CloseWrite() {
    if (w >= 0) ::close(w);
    w = -1;
  }
};

// Feeds the reader as the flow does: only when poll() says the fd is readable.
TerminalLine::Event Pump(TerminalLine& line) {
  struct pollfd p = {line.fd(), POLLIN, 0};
  if (::poll(&p, 1, 0) <= 0) return TerminalLine::Event::kNone;
  return line.OnReadable();
}

TEST(SsoTerminalLine, ReadsOneLineInPiecesAndStopsAtTheNewline) {
  Pipe p;
  TerminalLine line(p.r);
  EXPECT_TRUE(line.active());
  EXPECT_EQ(Pump(line), TerminalLine::Event::kNone);  // nothing typed yet
  p.Write("ab");
  EXPECT_EQ(Pump(line), TerminalLine::Event::kNone);
  p.Write("c-_9\nrest of stdin\n");
  EXPECT_EQ(Pump(line), TerminalLine::Event::kLine);
  EXPECT_FALSE(line.active());
  EXPECT_EQ(line.TakeLine(), "abc-_9");
  // What follows the line is still there for others.
  char buf[64] = {};
  EXPECT_EQ(::read(p.r, buf, sizeof(buf)), 14);
  EXPECT_EQ(std::string(buf), "rest of stdin\n");
}

TEST(SsoTerminalLine, TrimsOnlyTheNewline) {
  Pipe p;
  TerminalLine line(p.r);
  p.Write("  code \r\n");
  EXPECT_EQ(Pump(line), TerminalLine::Event::kLine);
  EXPECT_EQ(line.TakeLine(), "  code ");
}

TEST(SsoTerminalLine, EmptyLineIsALine) {
  Pipe p;
  TerminalLine line(p.r);
  p.Write("\n");
  EXPECT_EQ(Pump(line), TerminalLine::Event::kLine);
  EXPECT_EQ(line.TakeLine(), "");
}

TEST(SsoTerminalLine, EndOfInputMeansNoAnswer) {
  Pipe p;
  TerminalLine line(p.r);
  p.CloseWrite();
  EXPECT_EQ(Pump(line), TerminalLine::Event::kEnd);
  EXPECT_FALSE(line.active());
}

TEST(SsoTerminalLine, UnterminatedTextAtEndOfInputIsALine) {
  Pipe p;
  TerminalLine line(p.r);
  p.Write("code7");
  p.CloseWrite();
  EXPECT_EQ(Pump(line), TerminalLine::Event::kLine);
  EXPECT_EQ(line.TakeLine(), "code7");
}

TEST(SsoTerminalLine, BoundedLength) {
  Pipe p;
  TerminalLine line(p.r, 16);
  p.Write(std::string(17, 'a'));
  EXPECT_EQ(Pump(line), TerminalLine::Event::kTooLong);
  EXPECT_FALSE(line.active());
}

TEST(SsoTerminalLine, NoFdMeansNoTerminal) {
  TerminalLine line(-1);
  EXPECT_FALSE(line.active());
  EXPECT_EQ(line.OnReadable(), TerminalLine::Event::kNone);
}

}  // namespace
}  // namespace ssocli::sso
