// A passcode typed at the terminal while the browser flow waits: read from a fd as poll() reports
// input, never blocking the flow and never reading past the line (the rest of stdin is not ours).
#pragma once

#include <cstddef>
#include <string>

namespace ssocli::sso {

class TerminalLine {
 public:
  enum class Event {
    kNone,     // more input is needed
    kLine,     // a line is complete: TakeLine()
    kEnd,      // end of input (or a read error) before any character: no terminal answer
    kTooLong,  // more than max_bytes without a newline
  };

  // `fd` < 0, or a terminal of which this process is not the foreground job: no terminal answer,
  // active() is false from the start. The fd is not owned and its flags are not changed (it is the
  // caller's stdin, possibly shared with other processes).
  explicit TerminalLine(int fd, size_t max_bytes = 1024);
  ~TerminalLine();
  TerminalLine(const TerminalLine&) = delete;
  TerminalLine& operator=(const TerminalLine&) = delete;

  // Whether the fd is still worth polling (no line, end or error yet).
  bool active() const { return active_; }
  int fd() const { return fd_; }

  // Call when poll() reports the fd readable (POLLIN, POLLHUP or POLLERR). Reads what is available
  // without blocking, one byte at a time, up to and including a newline. Unterminated text at end of
  // input counts as a line (`printf CODE | get_token --sso`).
  Event OnReadable();

  // The line without its trailing "\n" (or "\r\n"), nothing else trimmed. Clears the stored copy.
  std::string TakeLine();

 private:
  int fd_;
  size_t max_bytes_;
  bool active_;
  std::string buffer_;
};

}  // namespace ssocli::sso
