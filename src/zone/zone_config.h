// What `ssocli zone serve` was asked to run: the options, already parsed and checked.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"

namespace ssocli {

// Which `error` a wrong password carries: older UAA said `unauthorized`, newer says `invalid_client`.
enum class BadCredentialsError { kUnauthorized, kInvalidClient };

// What the built-in test IdP puts in SubjectConfirmationData/@Recipient for SPs other than the zone
// itself: the token alias URL the saml2-bearer grant needs, or (a common IdP misconfiguration,
// reproduced on purpose) the ACS URL it posts to.
enum class IdpRecipient { kTokenAlias, kAcs };

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

  // The built-in test IdP (/idp/) and the zone's own SAML SP (docs/zone-server.md).
  std::string idp_key_file;   // both or neither: the IdP's PEM key and certificate;
  std::string idp_cert_file;  // neither: a key generated on first use
  std::string idp_entity_id;  // empty: <base URL>/idp
  IdpRecipient idp_recipient = IdpRecipient::kTokenAlias;
  std::string sp_entity_id;  // empty: <zone_name>.apigee-saml-login
  // More IdPs whose assertions the saml2-bearer grant trusts (SAML 2.0 metadata files).
  std::vector<std::string> trust_idp_metadata_files;

  bool tls() const { return !tls_cert_file.empty(); }
};

// Checks the combinations no single option can: both TLS files or neither, positive lifetimes, ...
// Returns a kUsage error naming the option otherwise.
Status ValidateZoneConfig(const ZoneConfig& config);

// The zone's SAML SP entity ID: --sp-entity-id, or "<zone name>.apigee-saml-login" as Apigee names it.
std::string SpEntityIdOf(const ZoneConfig& config);

// The contents of a file an option names (at most `max_bytes`). kUsage naming the option and the
// file otherwise.
Result<std::string> ReadOptionFile(const std::string& option, const std::string& path,
                                   size_t max_bytes = 1024 * 1024);

// The `error` value for a wrong password under `config`.
const char* BadCredentialsErrorName(BadCredentialsError e);

// "https://127.0.0.1:40123" (IPv6 literals in brackets).
std::string ZoneBaseUrl(bool tls, const std::string& host, int port);

}  // namespace ssocli
