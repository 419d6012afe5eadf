#include "core/logger.h"

#include <unistd.h>

namespace ssocli {

Logger StderrLogger(std::string program, bool verbose) {
  return Logger(std::move(program), verbose, [](std::string_view line) {
    std::string out(line);
    out += '\n';
    // One write per line so lines of parallel runs do not interleave mid-line.
    ssize_t ignored = ::write(STDERR_FILENO, out.data(), out.size());
    (void)ignored;
  });
}

}  // namespace ssocli
