// POST /oauth/token (and anything under it): client authentication, the grants and their errors,
// worded as uaa.md lists them.
#pragma once

#include <optional>
#include <string>

#include "core/clock.h"
#include "zone/form_params.h"
#include "zone/http_reply.h"
#include "zone/rate_limiter.h"
#include "zone/saml_bearer.h"
#include "zone/token_issuer.h"
#include "zone/token_store.h"
#include "zone/user_directory.h"
#include "zone/zone_config.h"

namespace ssocli {

struct TokenRequest {
  std::string path;  // decoded, without the query string
  RequestParams params;
  std::optional<std::string> authorization;
  std::optional<std::string> accept;
};

struct TokenEndpointSettings {
  BadCredentialsError bad_credentials_error = BadCredentialsError::kUnauthorized;
  std::string base_url;  // to tell a SAML validator which URL the assertion was posted to
};

class TokenEndpoint {
 public:
  // Every pointer must outlive the endpoint.
  TokenEndpoint(const UserDirectory* users, TokenIssuer* issuer, TokenStore* store, RateLimiter* limiter,
                const SamlBearerValidator* saml, const Clock* clock, TokenEndpointSettings settings);

  HttpReply Handle(const TokenRequest& request);

 private:
  HttpReply PasswordGrant(const TokenRequest& request, const OAuthClient& client);
  HttpReply PasscodeGrant(const TokenRequest& request, const OAuthClient& client);
  HttpReply RefreshTokenGrant(const TokenRequest& request, const OAuthClient& client);
  HttpReply SamlBearerGrant(const TokenRequest& request, const OAuthClient& client);
  // Issues tokens for a sign-in (password, passcode) after the rate limit allows it.
  HttpReply SignIn(const UserIdentity& user, const OAuthClient& client, const TokenRequest& request,
                   const std::string& grant_type, bool rate_limited);
  HttpReply BadCredentials(const std::string& description) const;

  const UserDirectory* users_;
  TokenIssuer* issuer_;
  TokenStore* store_;
  RateLimiter* limiter_;
  const SamlBearerValidator* saml_;
  const Clock* clock_;
  TokenEndpointSettings settings_;
};

// The body of the 200 answer with UAA's headers around it.
HttpReply TokenSuccessReply(const nlohmann::ordered_json& body);

}  // namespace ssocli
