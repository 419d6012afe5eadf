// The zone's informational endpoints for tools: GET /login with Accept: JSON, /version, /token_keys and
// /token_key. (Browsers' /login and /passcode: browser_login.h.)
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

// GET /login for a client whose Accept mentions json: links, prompts (the passcode prompt when the
// zone has an external IdP) and the zone name.
HttpReply LoginJsonReply(const LoginPageInfo& info);
HttpReply VersionReply();
HttpReply TokenKeysReply(const JwtSigner& signer);
HttpReply TokenKeyReply(const JwtSigner& signer);

}  // namespace ssocli
