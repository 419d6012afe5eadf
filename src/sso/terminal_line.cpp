#include "sso/terminal_line.h"

#include <errno.h>
#include <poll.h>
#include <unistd.h>

#include "core/secret.h"

namespace ssocli::sso {
namespace {

bool ReadableNow(int fd) {
  struct pollfd p = {fd, POLLIN, 0};
  int n;
  do {
    n = ::poll(&p, 1, 0);
  } while (n < 0 && errno == EINTR);
  return n > 0 && (p.revents & (POLLIN | POLLHUP | POLLERR)) != 0;
}

}  // namespace

TerminalLine::TerminalLine(int fd, size_t max_bytes) : fd_(fd), max_bytes_(max_bytes), active_(fd >= 0) {
  // A background job reading its terminal would be stopped by SIGTTIN: it takes no terminal answer.
  if (active_ && ::isatty(fd) && ::tcgetpgrp(fd) != ::getpgrp()) active_ = false;
}

TerminalLine::~TerminalLine() {
  WipeString(buffer_);
}

TerminalLine::Event TerminalLine::OnReadable() {
  if (!active_) return Event::kNone;
  // The first read cannot block (poll said so); later ones only after poll says so again.
  bool first = true;
  while (first || ReadableNow(fd_)) {
    first = false;
    char c = 0;
    ssize_t n = ::read(fd_, &c, 1);
    if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)) return Event::kNone;
    if (n <= 0) {
      active_ = false;
      return buffer_.empty() ? Event::kEnd : Event::kLine;
    }
    if (c == '\n') {
      active_ = false;
      return Event::kLine;
    }
    buffer_ += c;
    if (buffer_.size() > max_bytes_) {
      active_ = false;
      WipeString(buffer_);
      return Event::kTooLong;
    }
  }
  return Event::kNone;
}

std::string TerminalLine::TakeLine() {
  std::string line = buffer_;
  WipeString(buffer_);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

}  // namespace ssocli::sso
