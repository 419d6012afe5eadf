// The SAMLResponse as it arrives: the HTTP-POST binding's form value, or a file a user hands to
// `ssocli saml verify`. Bounded in size before anything is decoded.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace ssocli::saml {

// The largest SAMLResponse form value accepted (base64 of a 1 MiB document plus line breaks).
inline constexpr size_t kMaxFormValueBytes = 2 * 1024 * 1024;

// Decodes a SAMLResponse form value (already URL-decoded): plain base64, whitespace ignored, nothing
// else accepted and, as the POST binding says, never inflated. kSamlRejected when empty, not base64,
// or larger than the limits.
Result<std::string> DecodePostBindingValue(std::string_view value);

// Input of `ssocli saml verify`: XML when it starts with '<' after an optional byte-order mark and
// blanks (returned without them), otherwise a form value decoded as above.
Result<std::string> DecodeResponseInput(std::string_view input);

}  // namespace ssocli::saml
