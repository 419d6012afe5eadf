// Instants in SAML documents and on the command line, in milliseconds since the Unix epoch (UTC).
// No time zone database, no process-wide TZ: pure arithmetic on the proleptic Gregorian calendar.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ssocli::saml {

// A SAML xs:dateTime, which SAML core 1.3.3 requires to be UTC: "YYYY-MM-DDThh:mm:ss[.fff...]Z".
// Any other form (an offset, no zone, a 5-digit or negative year, hour 24, leap second, Feb 30) gives
// nullopt. Fractional digits beyond milliseconds are truncated.
std::optional<int64_t> ParseSamlInstant(std::string_view text);

// RFC 3339 as a person types it for --now: like ParseSamlInstant, plus "z", a space or "t" for "T", and
// numeric offsets ("+02:00", "-0500").
std::optional<int64_t> ParseRfc3339(std::string_view text);

// "2024-01-01T12:05:00Z", with ".250" before the Z when there are milliseconds.
std::string FormatRfc3339Utc(int64_t millis);

// A rough human duration for messages: "45 seconds", "5 minutes", "3 hours", "2 days".
std::string HumanDuration(int64_t millis);

}  // namespace ssocli::saml
