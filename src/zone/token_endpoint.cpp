#include "zone/token_endpoint.h"

#include <algorithm>
#include <cctype>

#include "zone/totp.h"

namespace ssocli {
namespace {

constexpr char kLockedDescription[] =
    "Your account has been locked because of too many failed attempts to login.";
constexpr char kMfaRequiredDescription[] =
    "A multi-factor authentication code is required to complete the request";
constexpr char kTokenAliasPrefix[] = "/oauth/token/alias/";

bool ContainsNoCase(std::string_view text, std::string_view needle) {
  auto it = std::search(text.begin(), text.end(), needle.begin(), needle.end(),
                        [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
  return it != text.end();
}

std::vector<std::string> SplitScopes(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find_first_of(" ,", start);
    if (end == std::string::npos) end = text.size();
    if (end > start) out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

}  // namespace

HttpReply TokenSuccessReply(const nlohmann::ordered_json& body) {
  HttpReply reply = JsonReply(200, body);
  reply.WithHeader("Cache-Control", "no-store").WithHeader("Pragma", "no-cache");
  return reply;
}

TokenEndpoint::TokenEndpoint(const UserDirectory* users, TokenIssuer* issuer, TokenStore* store,
                             RateLimiter* limiter, const SamlBearerValidator* saml, const Clock* clock,
                             TokenEndpointSettings settings)
    : users_(users),
      issuer_(issuer),
      store_(store),
      limiter_(limiter),
      saml_(saml),
      clock_(clock),
      settings_(std::move(settings)) {}

HttpReply TokenEndpoint::BadCredentials(const std::string& description) const {
  return OAuthErrorReply(401, BadCredentialsErrorName(settings_.bad_credentials_error), description);
}

HttpReply TokenEndpoint::Handle(const TokenRequest& request) {
  // Client authentication comes first, as in UAA's filter chain: Basic, or the form fields only
  // when there is no Authorization header at all.
  std::string client_id;
  std::string client_secret;
  if (request.authorization) {
    auto basic = ParseBasicAuthorization(*request.authorization);
    if (!basic) return OAuthErrorReply(401, "invalid_client", "Bad credentials");
    client_id = std::move(basic->id);
    client_secret = std::move(basic->secret);
  } else {
    client_id = request.params.Get("client_id");
    client_secret = request.params.Get("client_secret");
  }
  const OAuthClient* client = client_id.empty() ? nullptr : users_->FindClient(client_id);
  if (client == nullptr || !SecretEquals(client->client_secret, client_secret)) {
    return OAuthErrorReply(401, "invalid_client", "Bad credentials");
  }

  std::string grant_type = request.params.Get("grant_type");
  if (grant_type.empty()) return OAuthErrorReply(400, "invalid_request", "Missing grant type");
  if (grant_type != kGrantPassword && grant_type != kGrantRefreshToken && grant_type != kGrantSaml2Bearer) {
    return OAuthErrorReply(400, "unsupported_grant_type", "Unsupported grant type");
  }
  if (!client->Allows(grant_type)) return OAuthErrorReply(401, "invalid_client", "Unauthorized grant type");

  if (grant_type == kGrantRefreshToken) return RefreshTokenGrant(request, *client);
  if (grant_type == kGrantSaml2Bearer) return SamlBearerGrant(request, *client);
  // UAA's passcode filter only looks at requests that accept JSON; with `Accept: */*` a passcode
  // request falls through to the password grant (and fails there for want of a password).
  bool json_accepted = !request.accept || ContainsNoCase(*request.accept, "json");
  if (request.params.Has("passcode") && json_accepted) return PasscodeGrant(request, *client);
  return PasswordGrant(request, *client);
}

HttpReply TokenEndpoint::PasswordGrant(const TokenRequest& request, const OAuthClient& client) {
  const std::string* password = request.params.Find("password");
  if (password == nullptr || password->empty()) return BadCredentials("No password supplied");
  const ZoneUser* user = users_->FindUser(request.params.Get("username"));
  if (user == nullptr) return BadCredentials("Bad credentials");
  if (user->locked) return OAuthErrorReply(401, "unauthorized", kLockedDescription);
  if (!user->password || !SecretEquals(*user->password, *password)) return BadCredentials("Bad credentials");
  if (user->has_mfa()) {
    std::string code = request.params.Get("mfa_token");
    if (code.empty()) return OAuthErrorReply(400, "invalid_request", kMfaRequiredDescription);
    bool ok = (!user->mfa_code.empty() && SecretEquals(user->mfa_code, code)) ||
              (!user->totp_secret.empty() && VerifyTotp(user->totp_secret, code, clock_->Now()));
    if (!ok) return BadCredentials("Bad credentials");
  }
  return SignIn(UserDirectory::IdentityOf(*user), client, request, kGrantPassword, true);
}

HttpReply TokenEndpoint::PasscodeGrant(const TokenRequest& request, const OAuthClient& client) {
  std::string code = request.params.Get("passcode");
  if (code.empty()) return OAuthErrorReply(401, "unauthorized", "Passcode information is missing.");
  auto identity = store_->ConsumePasscode(code, clock_->Now());
  if (!identity) return OAuthErrorReply(401, "unauthorized", "Invalid passcode");
  if (const ZoneUser* user = users_->FindUser(identity->user_name); user != nullptr && user->locked) {
    return OAuthErrorReply(401, "unauthorized", kLockedDescription);
  }
  return SignIn(*identity, client, request, kGrantPassword, true);
}

HttpReply TokenEndpoint::RefreshTokenGrant(const TokenRequest& request, const OAuthClient& client) {
  std::string token = request.params.Get("refresh_token");
  if (token.empty()) return OAuthErrorReply(400, "invalid_request", "refresh_token parameter not provided");
  auto body = issuer_->Refresh(token, client.client_id, clock_->Now());
  if (!body.ok()) {
    return OAuthErrorReply(body.status().http_status(), body.status().oauth_error(), body.status().message());
  }
  return TokenSuccessReply(*body);
}

HttpReply TokenEndpoint::SamlBearerGrant(const TokenRequest& request, const OAuthClient& client) {
  SamlBearerRequest saml;
  if (request.path.rfind(kTokenAliasPrefix, 0) == 0) {
    saml.sp_entity_id = request.path.substr(sizeof(kTokenAliasPrefix) - 1);
  }
  saml.token_url = settings_.base_url + request.path;
  const std::string* assertion = request.params.Find("assertion");
  saml.has_assertion = assertion != nullptr;
  if (assertion) saml.assertion = *assertion;
  auto subject = saml_->Validate(saml, clock_->Now());
  if (!subject.ok()) return OAuthErrorReply(401, "unauthorized", subject.status().message());
  UserIdentity identity = UserDirectory::ExternalIdentity(subject->user_name, subject->origin);
  if (const ZoneUser* user = users_->FindUser(subject->user_name)) identity.scopes = user->scopes;
  if (!subject->email.empty()) identity.email = subject->email;
  return SignIn(identity, client, request, kGrantSaml2Bearer, false);
}

HttpReply TokenEndpoint::SignIn(const UserIdentity& user, const OAuthClient& client,
                                const TokenRequest& request, const std::string& grant_type,
                                bool rate_limited) {
  std::vector<std::string> scopes = user.scopes;
  if (const std::string* requested = request.params.Find("scope"); requested && !requested->empty()) {
    std::vector<std::string> wanted = SplitScopes(*requested);
    for (const auto& scope : wanted) {
      if (std::find(user.scopes.begin(), user.scopes.end(), scope) == user.scopes.end()) {
        return OAuthErrorReply(
            400, "invalid_scope",
            "Invalid scope: " + scope +
                ". Did you know that you can get default scopes by simply sending no value?");
      }
    }
    scopes.erase(std::remove_if(scopes.begin(), scopes.end(),
                                [&](const std::string& s) {
                                  return std::find(wanted.begin(), wanted.end(), s) == wanted.end();
                                }),
                 scopes.end());
  }
  int64_t now = clock_->Now();
  if (rate_limited) {
    int64_t retry_after = limiter_->Acquire(user.user_name, now);
    if (retry_after > 0) {
      HttpReply reply =
          OAuthErrorReply(429, "too_many_requests",
                          "Rate limit exceeded: too many new tokens for this user; try again in " +
                              std::to_string(retry_after) + " seconds");
      reply.WithHeader("Retry-After", std::to_string(retry_after));
      return reply;
    }
  }
  RefreshGrant grant{user, client.client_id, scopes, grant_type, now, 0};
  return TokenSuccessReply(issuer_->Issue(grant, now, issuer_->settings().access_validity, now));
}

}  // namespace ssocli
