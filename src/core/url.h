// URL and form encoding helpers shared by the client and the zone server.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace ssocli {

// RFC 3986 percent-encoding: unreserved characters kept, everything else as %XX (uppercase hex) of
// its UTF-8 bytes. This is what the original get_token sends in form bodies.
std::string PercentEncode(std::string_view text);

// Decodes %XX and, when `plus_is_space`, '+' (form bodies). Malformed escapes are kept literally.
std::string PercentDecode(std::string_view text, bool plus_is_space);

using FormFields = std::vector<std::pair<std::string, std::string>>;

// "a=1&b=2" with every key and value percent-encoded.
std::string FormEncode(const FormFields& fields);

// Checks SSO_LOGIN_URL: an http:// or https:// URL with a host and no query or fragment.
// Returns a kLoginUrl error naming what is wrong otherwise.
Status ValidateLoginUrl(std::string_view url);

// The host part of an http(s) URL ("zone.login.apigee.com" for "https://zone.login.apigee.com:443/x").
// Brackets are kept for IPv6 literals. Empty when there is none.
std::string UrlHost(std::string_view url);

}  // namespace ssocli
