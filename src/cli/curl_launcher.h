// Running the real curl with a bearer token, without the token ever being in a process's argv or
// environment or in a file another user could read: curl reads the header with -H @/dev/fd/N from
// an anonymous in-memory file (memfd) that only this process and its child hold.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"

namespace ssocli {

// The curl to run: $ACURL_CURL (a path, or a name looked up in PATH), else "curl" from PATH.
// Errors (kInternal) name what was looked for; acurl exits 127 then.
Result<std::string> FindCurl();

// Runs `curl_path` with `args`, adding the Authorization header (also after each --next), in the
// caller's environment minus CLIENT_SECRET and CLIENT_AUTH.
// Without `redact_stderr`, curl replaces this process (so its exit status is acurl's) and this
// returns only if that fails. With it, curl runs as a child whose stderr is copied to ours with the
// token replaced by "<redacted>", and curl's exit status is returned.
// Returns 127 (not found) or 126 (not executable) when curl cannot be started.
int RunCurl(const std::string& curl_path, const std::vector<std::string>& args, const std::string& token,
            bool redact_stderr);

}  // namespace ssocli
