// When a cached access token must be refreshed. The single place this is decided.
#pragma once

#include <cstdint>
#include <optional>

#include "token/jwt_claims.h"

namespace ssocli {

struct TokenTimes {
  std::optional<int64_t> expires_at;  // JWT exp, else file mtime + expires_in; nullopt = unknown
  int64_t margin = 0;                 // refresh when fewer than this many seconds remain
};

// interface.md: refresh when fewer than min(margin_cap, (exp - iat) / 10) seconds remain;
// margin_cap is 60 unless SSO_REFRESH_MARGIN says otherwise. A token without `exp` expires at the
// file's mtime + expires_in.
TokenTimes ComputeTokenTimes(const JwtClaims& claims, std::optional<int64_t> expires_in,
                             int64_t file_mtime, int64_t margin_cap);

// True when the token must be refreshed (or replaced) before use at `now`.
bool NeedsRefresh(const TokenTimes& times, int64_t now);

}  // namespace ssocli
