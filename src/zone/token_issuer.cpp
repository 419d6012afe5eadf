#include "zone/token_issuer.h"

#include <ctime>

#include "zone/random_id.h"

namespace ssocli {
namespace {

using nlohmann::ordered_json;

constexpr char kInvalidTokenDescription[] = "The token expired, was revoked, or the token ID is incorrect.";

Status OAuthFailure(int http_status, const char* error, std::string description) {
  Status s = Status::Error(ErrorKind::kNoToken, std::move(description));
  s.WithHttp(http_status, error);
  return s;
}

// UAA's revocation signature changes when the user or client credentials change; here the pair
// is enough to tell tokens of different users and clients apart.
std::string RevocationSignature(const RefreshGrant& grant) {
  std::string input = grant.user.user_id + ":" + grant.client_id;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(input.data(), input.size(), digest, &len, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 4; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 15];
  }
  return out;
}

std::string JoinScopes(const std::vector<std::string>& scopes) {
  std::string out;
  for (const auto& s : scopes) {
    if (!out.empty()) out += ' ';
    out += s;
  }
  return out;
}

}  // namespace

ordered_json AudienceFor(const std::vector<std::string>& scopes, const std::string& client_id) {
  ordered_json aud = ordered_json::array();
  auto add = [&aud](const std::string& value) {
    for (const auto& existing : aud) {
      if (existing == value) return;
    }
    aud.push_back(value);
  };
  for (const auto& scope : scopes) {
    size_t dot = scope.rfind('.');
    add(dot == std::string::npos || dot == 0 ? scope : scope.substr(0, dot));
  }
  add(client_id);
  return aud;
}

std::string JavaDateString(int64_t unix_time) {
  std::time_t t = static_cast<std::time_t>(unix_time);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof(buf), "%a %b %d %H:%M:%S UTC %Y", &tm);
  return buf;
}

TokenIssuer::TokenIssuer(std::shared_ptr<const JwtSigner> signer, TokenStore* store, TokenSettings settings)
    : signer_(std::move(signer)), store_(store), settings_(std::move(settings)) {}

std::string TokenIssuer::AccessToken(const RefreshGrant& grant, const std::string& jti, int64_t iat,
                                     int64_t exp) const {
  ordered_json claims;
  claims["jti"] = jti;
  claims["sub"] = grant.user.user_id;
  claims["scope"] = grant.scopes;
  claims["client_id"] = grant.client_id;
  claims["cid"] = grant.client_id;
  claims["azp"] = grant.client_id;
  claims["grant_type"] = grant.grant_type;
  claims["user_id"] = grant.user.user_id;
  claims["origin"] = grant.user.origin;
  claims["user_name"] = grant.user.user_name;
  claims["email"] = grant.user.email;
  claims["auth_time"] = grant.auth_time;
  claims["rev_sig"] = RevocationSignature(grant);
  claims["iat"] = iat;
  claims["exp"] = exp;
  claims["iss"] = settings_.issuer;
  claims["zid"] = "uaa";
  claims["aud"] = AudienceFor(grant.scopes, grant.client_id);
  return signer_->Sign(claims, settings_.jku);
}

std::string TokenIssuer::NewRefreshToken(RefreshGrant grant, int64_t now) {
  grant.expires_at = now + settings_.refresh_validity;
  std::string jti = RandomHex(32) + "-r";
  std::string value = jti;
  if (settings_.jwt_refresh) {
    ordered_json claims;
    claims["jti"] = jti;
    claims["sub"] = grant.user.user_id;
    claims["scope"] = grant.scopes;
    claims["iat"] = now;
    claims["exp"] = grant.expires_at;
    claims["cid"] = grant.client_id;
    claims["client_id"] = grant.client_id;
    claims["iss"] = settings_.issuer;
    claims["zid"] = "uaa";
    claims["aud"] = AudienceFor(grant.scopes, grant.client_id);
    claims["grant_type"] = grant.grant_type;
    claims["user_name"] = grant.user.user_name;
    claims["origin"] = grant.user.origin;
    claims["user_id"] = grant.user.user_id;
    claims["rev_sig"] = RevocationSignature(grant);
    claims["revocable"] = true;
    value = signer_->Sign(claims, settings_.jku);
  }
  store_->PutRefresh(jti, std::move(grant), now);
  return value;
}

ordered_json TokenIssuer::Response(const RefreshGrant& grant, const std::string& refresh_token, int64_t iat,
                                   int64_t access_lifetime, int64_t now) const {
  std::string jti = RandomHex(32);
  int64_t exp = iat + access_lifetime;
  ordered_json body;
  body["access_token"] = AccessToken(grant, jti, iat, exp);
  body["token_type"] = "bearer";
  body["refresh_token"] = refresh_token;
  // UAA computes expires_in from milliseconds and truncates: a fresh token says validity - 1.
  body["expires_in"] = exp - now - 1 > 0 ? exp - now - 1 : 0;
  body["scope"] = JoinScopes(grant.scopes);
  body["jti"] = jti;
  return body;
}

ordered_json TokenIssuer::Issue(const RefreshGrant& grant, int64_t iat, int64_t access_lifetime,
                                int64_t now) {
  std::string refresh = NewRefreshToken(grant, now);
  return Response(grant, refresh, iat, access_lifetime, now);
}

Result<ordered_json> TokenIssuer::Refresh(const std::string& refresh_token, const std::string& client_id,
                                          int64_t now) {
  std::string key = refresh_token;
  if (settings_.jwt_refresh) {
    auto claims = signer_->Verify(refresh_token);
    if (!claims.ok()) return OAuthFailure(401, "invalid_token", kInvalidTokenDescription);
    auto jti = claims->find("jti");
    auto exp = claims->find("exp");
    if (jti == claims->end() || !jti->is_string() || exp == claims->end() || !exp->is_number_integer()) {
      return OAuthFailure(401, "invalid_token", kInvalidTokenDescription);
    }
    if (exp->get<int64_t>() <= now) {
      return OAuthFailure(401, "invalid_token",
                          "Invalid refresh token expired at " + JavaDateString(exp->get<int64_t>()));
    }
    key = jti->get<std::string>();
  }
  auto grant = store_->FindRefresh(key);
  if (!grant || grant->expires_at <= now) return OAuthFailure(401, "invalid_token", kInvalidTokenDescription);
  if (grant->client_id != client_id) {
    return OAuthFailure(400, "invalid_grant", "Wrong client for this refresh token: " + grant->client_id);
  }
  std::string value = refresh_token;
  if (settings_.rotate_refresh) {
    // Two concurrent refreshes with one rotating token: only the first one wins.
    if (!store_->RemoveRefresh(key)) return OAuthFailure(401, "invalid_token", kInvalidTokenDescription);
    value = NewRefreshToken(*grant, now);
  }
  return Response(*grant, value, now, settings_.access_validity, now);
}

}  // namespace ssocli
