// The zone's informational endpoints: GET /login (JSON for tools, HTML for browsers), /version,
// /token_keys, /token_key and /passcode.
#pragma once

#include <string>

#include "zone/http_reply.h"
#include "zone/jwt_signer.h"

namespace ssocli {

struct LoginPageInfo {
  std::string base_url;
  std::string zone_name;
  bool saml_zone = false;  // advertise the passcode prompt
  std::string timestamp;   // "2024-01-01T00:00:00+0000", as UAA shows its build time
};

// `json`: the client's Accept mentions json.
HttpReply LoginReply(const LoginPageInfo& info, bool json);
HttpReply VersionReply();
HttpReply TokenKeysReply(const JwtSigner& signer);
HttpReply TokenKeyReply(const JwtSigner& signer);
// Without a browser session (this zone has none yet): 401 for JSON clients, else off to /login.
HttpReply PasscodeReply(const LoginPageInfo& info, bool json);

}  // namespace ssocli
