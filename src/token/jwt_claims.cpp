#include "token/jwt_claims.h"

#include <nlohmann/json.hpp>

#include "core/base64.h"

namespace ssocli {
namespace {

std::optional<int64_t> NumericClaim(const nlohmann::json& payload, const char* name) {
  auto it = payload.find(name);
  if (it == payload.end()) return std::nullopt;
  if (it->is_number_integer()) return it->get<int64_t>();
  if (it->is_number_float()) return static_cast<int64_t>(it->get<double>());
  return std::nullopt;
}

}  // namespace

Result<JwtClaims> DecodeJwtClaims(std::string_view token) {
  size_t first = token.find('.');
  size_t second = first == std::string_view::npos ? first : token.find('.', first + 1);
  if (second == std::string_view::npos) {
    return Status::Error(ErrorKind::kInternal, "the access token is not a JWT");
  }
  auto payload_text = Base64UrlDecode(token.substr(first + 1, second - first - 1));
  if (!payload_text) {
    return Status::Error(ErrorKind::kInternal, "the access token's payload is not base64url");
  }
  nlohmann::json payload = nlohmann::json::parse(*payload_text, nullptr, /*allow_exceptions=*/false);
  if (!payload.is_object()) {
    return Status::Error(ErrorKind::kInternal, "the access token's payload is not a JSON object");
  }
  JwtClaims claims;
  claims.exp = NumericClaim(payload, "exp");
  claims.iat = NumericClaim(payload, "iat");
  if (auto it = payload.find("user_name"); it != payload.end() && it->is_string()) {
    claims.user_name = it->get<std::string>();
  }
  if (auto it = payload.find("scope"); it != payload.end()) {
    if (it->is_array()) {
      for (const auto& s : *it) {
        if (s.is_string()) claims.scope.push_back(s.get<std::string>());
      }
    } else if (it->is_string()) {
      claims.scope.push_back(it->get<std::string>());
    }
  }
  return claims;
}

}  // namespace ssocli
