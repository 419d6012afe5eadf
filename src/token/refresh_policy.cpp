#include "token/refresh_policy.h"

#include <algorithm>

namespace ssocli {

TokenTimes ComputeTokenTimes(const JwtClaims& claims, std::optional<int64_t> expires_in,
                             int64_t file_mtime, int64_t margin_cap) {
  TokenTimes t;
  std::optional<int64_t> lifetime;
  if (claims.exp) {
    t.expires_at = *claims.exp;
    if (claims.iat) lifetime = *claims.exp - *claims.iat;
  } else if (expires_in) {
    t.expires_at = file_mtime + *expires_in;
    lifetime = *expires_in;
  }
  t.margin = std::max<int64_t>(0, margin_cap);
  if (lifetime) t.margin = std::min(t.margin, std::max<int64_t>(0, *lifetime / 10));
  return t;
}

bool NeedsRefresh(const TokenTimes& times, int64_t now) {
  if (!times.expires_at) return true;
  return *times.expires_at - now < times.margin || *times.expires_at <= now;
}

}  // namespace ssocli
