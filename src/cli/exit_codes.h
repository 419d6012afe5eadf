// The one place where errors become exit codes (the table is in docs/exit-codes.md).
#pragma once

#include <string_view>

#include "core/status.h"

namespace ssocli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitHelp = 1;
inline constexpr int kExitCacheCleared = 2;
inline constexpr int kExitCachePrinted = 3;

int ExitCodeFor(ErrorKind kind);
// The inverse, for codes that come back from the browser sign-in plugin (its codes are exit codes).
ErrorKind ErrorKindForExitCode(int code);

// Prints `status` on stderr as one or two plain lines: "<program>: <what happened>" and, when the
// status has a hint, "  <what to try>".
void PrintError(std::string_view program, const Status& status);

}  // namespace ssocli
