#include "zone/management_api.h"

#include "zone/form_params.h"

namespace ssocli {
namespace {

using nlohmann::ordered_json;

HttpReply ApigeeError(const char* code, const char* message) {
  ordered_json body;
  body["code"] = code;
  body["message"] = message;
  body["contexts"] = ordered_json::array();
  return JsonReply(401, body);
}

}  // namespace

ManagementApi::ManagementApi(std::shared_ptr<const JwtSigner> signer, std::string issuer, const Clock* clock,
                             int64_t created_at_ms)
    : signer_(std::move(signer)), issuer_(std::move(issuer)), clock_(clock), created_at_ms_(created_at_ms) {}

HttpReply ManagementApi::GetOrganization(const std::string& org,
                                         const std::optional<std::string>& authorization) const {
  HttpReply invalid = ApigeeError("keymanagement.service.invalid_access_token", "Invalid access token");
  if (!authorization) return invalid;
  auto token = ParseBearerAuthorization(*authorization);
  if (!token) return invalid;
  auto claims = signer_->Verify(*token);
  if (!claims.ok()) return invalid;
  auto iss = claims->find("iss");
  auto exp = claims->find("exp");
  if (iss == claims->end() || !iss->is_string() || iss->get<std::string>() != issuer_) return invalid;
  if (exp == claims->end() || !exp->is_number()) return invalid;
  if (exp->get<double>() <= static_cast<double>(clock_->Now())) {
    return ApigeeError("keymanagement.service.access_token_expired", "Access Token expired");
  }
  std::string created_by;
  if (auto user = claims->find("user_name"); user != claims->end() && user->is_string()) {
    created_by = user->get<std::string>();
  } else if (auto cid = claims->find("client_id"); cid != claims->end() && cid->is_string()) {
    created_by = cid->get<std::string>();
  }

  ordered_json body;
  body["name"] = org;
  body["displayName"] = org;
  body["createdAt"] = created_at_ms_;
  body["createdBy"] = created_by;
  body["environments"] = {"prod", "test"};
  body["properties"] = {{"property", ordered_json::array()}};
  body["type"] = "trial";
  return JsonReply(200, body);
}

}  // namespace ssocli
