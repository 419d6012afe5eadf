// `ssocli token show`: what is cached for SSO_LOGIN_URL, decoded.
#pragma once

#include <string>
#include <vector>

namespace ssocli {

// Returns the exit code: 0 when at least one token is shown, 12 when none is cached, 10 on usage errors.
int TokenShowCommand(const std::vector<std::string>& args);

}  // namespace ssocli
