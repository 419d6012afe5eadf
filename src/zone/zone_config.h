// What `ssocli zone serve` was asked to run: the options, already parsed and checked.
#pragma once

#include <cstdint>
#include <string>

#include "core/status.h"

namespace ssocli {

// Which `error` a wrong password carries: older UAA said `unauthorized`, newer says `invalid_client`.
enum class BadCredentialsError { kUnauthorized, kInvalidClient };

struct ZoneConfig {
  std::string host = "127.0.0.1";
  int port = 0;               // 0: any free port
  std::string tls_cert_file;  // both or neither: HTTPS when given
  std::string tls_key_file;
  std::string users_file;  // empty: the built-in demo users
  std::string zone_name = "zone";
  bool saml_zone = false;  // the zone has an external IdP: /login advertises passcodes
  int64_t access_token_validity = 43200;
  int64_t refresh_token_validity = 2592000;
  bool refresh_rotation = false;
  bool jwt_refresh_tokens = false;
  BadCredentialsError bad_credentials_error = BadCredentialsError::kUnauthorized;
  int rate_limit_per_hour = 0;   // 0: unlimited
  std::string signing_key_file;  // empty: a fresh 2048-bit key per run
  std::string issuer;            // empty: <base URL>/oauth/token
  bool test_hooks = false;       // serve /__test/*

  bool tls() const { return !tls_cert_file.empty(); }
};

// Checks the combinations no single option can: both TLS files or neither, positive lifetimes, ...
// Returns a kUsage error naming the option otherwise.
Status ValidateZoneConfig(const ZoneConfig& config);

// The `error` value for a wrong password under `config`.
const char* BadCredentialsErrorName(BadCredentialsError e);

// "https://127.0.0.1:40123" (IPv6 literals in brackets).
std::string ZoneBaseUrl(bool tls, const std::string& host, int port);

}  // namespace ssocli
