// `ssocli saml verify`: validates a SAML Response exactly as the browser flow does, for IdP admins
// setting up an IdP and for scripts. A thin layer over saml/response_validator.h.
#pragma once

#include <string>
#include <vector>

namespace ssocli {

// `args` are the words after `ssocli saml verify`. Prints the help on -h/--help (exit 0).
// Returns 0 when the response is valid (one JSON object on stdout), 1 when it is invalid, empty or
// undecodable (the reason on stderr, one line), 10 on usage errors (unknown option, missing or
// malformed value, unreadable or unusable --idp-cert / --idp-metadata / input file).
int SamlVerifyCommand(const std::vector<std::string>& args);

}  // namespace ssocli
