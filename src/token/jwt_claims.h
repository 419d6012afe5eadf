// Reads the claims a client needs from a JWT access token, without verifying its signature:
// the client trusts the login server it talked to over TLS, and the token is opaque to it otherwise.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace ssocli {

struct JwtClaims {
  std::optional<int64_t> exp;
  std::optional<int64_t> iat;
  std::string user_name;           // UAA's user_name claim (lowercased e-mail at Apigee)
  std::vector<std::string> scope;  // UAA sends an array
};

// Returns the claims of `token` ("header.payload.signature", payload base64url JSON).
// Errors (kInternal) when the token is not a JWT or its payload is not a JSON object.
Result<JwtClaims> DecodeJwtClaims(std::string_view token);

}  // namespace ssocli
