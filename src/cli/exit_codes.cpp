#include "cli/exit_codes.h"

#include <unistd.h>

#include <initializer_list>
#include <string>

namespace ssocli {

int ExitCodeFor(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kOk: return 0;
    case ErrorKind::kUsage: return 10;
    case ErrorKind::kLoginUrl: return 11;
    case ErrorKind::kMissingInput: return 12;
    case ErrorKind::kInvalidChars: return 13;
    case ErrorKind::kWrongUser: return 14;
    case ErrorKind::kConnection: return 21;
    case ErrorKind::kNoToken: return 22;
    case ErrorKind::kSsoTimeout: return 23;
    case ErrorKind::kSamlRejected: return 24;
    case ErrorKind::kCacheDir: return 31;
    case ErrorKind::kCacheWrite: return 32;
    case ErrorKind::kCacheUnsafe: return 33;
    case ErrorKind::kInterrupted: return 130;
    case ErrorKind::kInternal: return 70;  // EX_SOFTWARE
  }
  return 70;
}

ErrorKind ErrorKindForExitCode(int code) {
  for (ErrorKind kind : {ErrorKind::kOk, ErrorKind::kUsage, ErrorKind::kLoginUrl, ErrorKind::kMissingInput,
                         ErrorKind::kInvalidChars, ErrorKind::kWrongUser, ErrorKind::kConnection,
                         ErrorKind::kNoToken, ErrorKind::kSsoTimeout, ErrorKind::kSamlRejected,
                         ErrorKind::kCacheDir, ErrorKind::kCacheWrite, ErrorKind::kCacheUnsafe,
                         ErrorKind::kInterrupted}) {
    if (ExitCodeFor(kind) == code) return kind;
  }
  return ErrorKind::kInternal;
}

void PrintError(std::string_view program, const Status& status) {
  std::string text = std::string(program) + ": " + status.message() + "\n";
  if (!status.hint().empty()) text += "  " + status.hint() + "\n";
  ssize_t ignored = ::write(STDERR_FILENO, text.data(), text.size());
  (void)ignored;
}

}  // namespace ssocli
