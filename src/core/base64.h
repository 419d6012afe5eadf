// Base64 (RFC 4648) in the standard and URL-safe alphabets.
// Hand-written on purpose: the cached-token path must not load libcrypto (see docs/performance.md).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ssocli {

// Standard alphabet with '=' padding, no line breaks (what `base64 -w0` prints).
std::string Base64Encode(std::string_view data);
// Accepts the standard alphabet, with or without padding. Returns nullopt on any other character.
std::optional<std::string> Base64Decode(std::string_view text);

// URL-safe alphabet without padding (JWT, SAML bearer assertions).
std::string Base64UrlEncode(std::string_view data);
// Accepts the URL-safe alphabet, with or without padding.
std::optional<std::string> Base64UrlDecode(std::string_view text);

}  // namespace ssocli
