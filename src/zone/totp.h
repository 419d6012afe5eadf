// Time-based one-time passwords (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits) for MFA users.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ssocli {

// RFC 4648 base32 as authenticator apps show it: case-insensitive, blanks and '=' padding ignored.
// Returns nullopt on any other character or when nothing is left.
std::optional<std::string> Base32Decode(std::string_view text);

// The 6-digit code for the 30-second step holding `unix_time`.
std::string TotpCode(std::string_view key, int64_t unix_time);

// True when `code` is the code of the step holding `now` or of the step before or after it
// (authenticator clocks drift).
bool VerifyTotp(std::string_view key, std::string_view code, int64_t now);

}  // namespace ssocli
