// A sample of Apigee's management API (GET /v1/o/{org}, /v1/organizations/{org}): something for
// acurl to call that, like the real one, accepts only a valid bearer token from this zone.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "core/clock.h"
#include "zone/http_reply.h"
#include "zone/jwt_signer.h"

namespace ssocli {

class ManagementApi {
 public:
  // `clock` must outlive the API. Tokens must carry `iss` = `issuer`.
  ManagementApi(std::shared_ptr<const JwtSigner> signer, std::string issuer, const Clock* clock,
                int64_t created_at_ms);

  // 200 with the organization when `authorization` is "Bearer <valid token>"; 401 with Apigee's
  // keymanagement.service.invalid_access_token / access_token_expired body otherwise.
  HttpReply GetOrganization(const std::string& org, const std::optional<std::string>& authorization) const;

 private:
  std::shared_ptr<const JwtSigner> signer_;
  std::string issuer_;
  const Clock* clock_;
  int64_t created_at_ms_;
};

}  // namespace ssocli
