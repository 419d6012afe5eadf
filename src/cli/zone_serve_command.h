// `ssocli zone serve`: runs the local login server (src/zone) until SIGINT, SIGTERM or SIGHUP.
#pragma once

#include <string>
#include <vector>

namespace ssocli {

// `args` are the words after `ssocli zone serve`. Returns the exit code: 0 after a clean stop or
// for --help, 10 for usage errors (bad options, unreadable or invalid users, key or TLS files),
// 1 when the server cannot listen.
int ZoneServeCommand(const std::vector<std::string>& args);

}  // namespace ssocli
