// The bytes of one token file in ~/.sso-cli/<base64 url>/, as the original get_token writes and reads them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace ssocli {

struct CachedToken {
  std::string access_token;
  std::string refresh_token;          // may be empty
  std::optional<int64_t> expires_in;  // from the token endpoint's JSON
  std::string scope;                  // space-separated, as the server sent it
  std::string token_type;
  std::string body;                   // the JSON text as stored (without prefix or trailing blanks)
};

// Parses a token file in every form the original writes: `{json}\n` (first sign-in),
// `Response code:000 {json} \n` (after a refresh) and `{json} \n` (after a refresh with --insecure).
// Like the original, a file that is not JSON but carries "access_token":"..." still yields that token.
// Returns nullopt when there is no access token in it.
std::optional<CachedToken> ParseTokenFile(std::string_view bytes);

// What to store for a token endpoint's JSON body: the body + '\n' verbatim when it is compact JSON,
// otherwise re-serialised compactly in the server's key order (the original reads tokens with a regex
// that needs "key":"value" without blanks). Errors (kNoToken) when `body` is not a JSON object.
Result<std::string> TokenFileBytes(std::string_view body);

// True when `json` has no whitespace outside strings.
bool IsCompactJson(std::string_view json);

}  // namespace ssocli
