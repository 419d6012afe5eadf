// The login server's protocol (Cloud Foundry UAA as run by Apigee; docs/uaa.md has the facts), on the
// wire exactly as the original get_token speaks it. Knows nothing about caches, prompts or exit codes.
#pragma once

#include <string>
#include <string_view>

#include "core/logger.h"
#include "core/status.h"
#include "net/http_client.h"

namespace ssocli {

struct LoginConfig {
  std::string login_url;    // SSO_LOGIN_URL verbatim
  std::string client_auth;  // base64("client_id:client_secret") for the Basic header
};

// A token endpoint reply that carries an access token.
struct TokenGrant {
  std::string body;  // the server's JSON body, as received
  std::string access_token;
  std::string refresh_token;  // empty when the server sent none
};

struct ZoneInfo {
  bool passcode = false;  // /login advertises a passcode prompt: the zone has an external (SAML) IdP
};

enum class GrantKind { kPassword, kPasscode, kRefresh, kSamlBearer };

class LoginClient {
 public:
  LoginClient(HttpClient& http, LoginConfig config, const Logger& log)
      : http_(http), config_(std::move(config)), log_(log) {}

  // ${SSO_LOGIN_URL} joined with `path` ("/oauth/token"), without doubling a trailing slash.
  std::string Endpoint(std::string_view path) const;

  // GET /login (Accept: application/json). Errors: kConnection, or kNoToken for a reply that is not
  // the login JSON.
  Result<ZoneInfo> FetchZoneInfo();

  // POST /oauth/token?mfa_token=MFA with grant_type=password. `username` is sent lowercased.
  Result<TokenGrant> PasswordGrant(std::string_view username, std::string_view password,
                                   std::string_view mfa_code);
  // POST /oauth/token?mfa_token= with grant_type=password&passcode=CODE&response_type=token.
  Result<TokenGrant> PasscodeGrant(std::string_view passcode);
  // POST /oauth/token with grant_type=refresh_token.
  Result<TokenGrant> RefreshGrant(std::string_view refresh_token);
  // POST /oauth/token/alias/<sp_entity_id> with the saml2-bearer grant; `assertion` is the base64url
  // form of one signed <saml2:Assertion>.
  Result<TokenGrant> SamlBearerGrant(std::string_view sp_entity_id, std::string_view assertion);
  // The token alias URL of an SP entity ID: where its assertions are exchanged (their Recipient).
  std::string TokenAliasUrl(std::string_view sp_entity_id) const;

  // True when `status` says the server refused the grant itself (400/401 with an OAuth error), as
  // opposed to an outage, a rate limit or a garbled reply.
  static bool IsRejection(const Status& status);

 private:
  Result<TokenGrant> RequestToken(GrantKind kind, std::string url, std::string body,
                                  std::string_view loggable_body);

  HttpClient& http_;
  LoginConfig config_;
  const Logger& log_;
};

// Lowercases ASCII letters (the original lowercases usernames; UAA stores them lowercased).
std::string AsciiLower(std::string_view s);

// Makes server-provided text safe to print on one terminal line: control characters dropped,
// at most `max_len` bytes.
std::string SanitizeForTerminal(std::string_view text, size_t max_len = 300);

}  // namespace ssocli
