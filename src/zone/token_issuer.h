// Mints the zone's tokens: RS256 access tokens with UAA's claims, refresh tokens (opaque or JWT,
// rotating or not), and the token endpoint's success body.
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "core/status.h"
#include "zone/jwt_signer.h"
#include "zone/token_store.h"

namespace ssocli {

struct TokenSettings {
  int64_t access_validity = 43200;
  int64_t refresh_validity = 2592000;
  bool rotate_refresh = false;  // each refresh replaces (and invalidates) the refresh token
  bool jwt_refresh = false;     // JWT refresh tokens (older UAA) instead of opaque "<32 hex>-r"
  std::string issuer;           // `iss`
  std::string jku;              // the JWT header's `jku`: <base URL>/token_keys
};

class TokenIssuer {
 public:
  // `store` must outlive the issuer.
  TokenIssuer(std::shared_ptr<const JwtSigner> signer, TokenStore* store, TokenSettings settings);

  // A new access token (valid from `iat` for `access_lifetime` seconds) and a new refresh token
  // (valid from `now` for the refresh validity) for `grant` (its expires_at is ignored). Returns
  // {"access_token","token_type","refresh_token","expires_in","scope","jti"} in that order.
  nlohmann::ordered_json Issue(const RefreshGrant& grant, int64_t iat, int64_t access_lifetime, int64_t now);

  // The refresh_token grant for the authenticated `client_id`. Errors carry the HTTP status and
  // OAuth error (Status::http_status / oauth_error) and UAA's error_description as the message.
  Result<nlohmann::ordered_json> Refresh(const std::string& refresh_token, const std::string& client_id,
                                         int64_t now);

  const TokenSettings& settings() const { return settings_; }

 private:
  std::string AccessToken(const RefreshGrant& grant, const std::string& jti, int64_t iat, int64_t exp) const;
  // Stores the grant and returns the refresh token value.
  std::string NewRefreshToken(RefreshGrant grant, int64_t now);
  nlohmann::ordered_json Response(const RefreshGrant& grant, const std::string& refresh_token, int64_t iat,
                                  int64_t access_lifetime, int64_t now) const;

  std::shared_ptr<const JwtSigner> signer_;
  TokenStore* store_;
  TokenSettings settings_;
};

// UAA's `aud`: each scope's resource (the part before the last '.', or the scope itself), then
// the client id; no duplicates.
nlohmann::ordered_json AudienceFor(const std::vector<std::string>& scopes, const std::string& client_id);

// Java's Date.toString() in UTC ("Wed Jan 03 12:00:00 UTC 2024"), as UAA words expiry errors.
std::string JavaDateString(int64_t unix_time);

}  // namespace ssocli
