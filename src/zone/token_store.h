// What the zone remembers between requests: the refresh tokens it issued and the passcodes it
// handed out. Thread-safe: the HTTP server calls it from its worker threads.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "zone/user_directory.h"

namespace ssocli {

// Passcodes live 5 minutes (uaa.md).
inline constexpr int64_t kPasscodeValidity = 300;

// What a refresh token stands for: enough to mint the next access token.
struct RefreshGrant {
  UserIdentity user;
  std::string client_id;
  std::vector<std::string> scopes;
  std::string grant_type;  // of the original sign-in
  int64_t auth_time = 0;
  int64_t expires_at = 0;
};

class TokenStore {
 public:
  // `key` is the opaque token value or, for JWT refresh tokens, their jti. Entries long expired
  // are dropped along the way (a demo server runs for days on end).
  void PutRefresh(const std::string& key, RefreshGrant grant, int64_t now);
  // The grant even when expired (the caller words that error); nullopt when unknown or revoked.
  std::optional<RefreshGrant> FindRefresh(const std::string& key) const;
  // Returns false when it was not there (already removed, e.g. by a concurrent rotation).
  bool RemoveRefresh(const std::string& key);
  // Revokes every refresh token of `user_name`. Returns how many.
  size_t RevokeUser(const std::string& user_name);

  // Remembers `code` for `user` until `expires_at`; the user's older codes stop working.
  void PutPasscode(const std::string& code, UserIdentity user, int64_t expires_at, int64_t now);
  // Spends `code`: the user it was issued for, or nullopt when it is unknown, already used,
  // superseded by a newer one, or expired.
  std::optional<UserIdentity> ConsumePasscode(const std::string& code, int64_t now);

 private:
  struct Passcode {
    UserIdentity user;
    int64_t expires_at;
  };
  void PurgeLocked(int64_t now);

  mutable std::mutex mu_;
  std::map<std::string, RefreshGrant> refresh_;     // guarded by mu_
  std::map<std::string, Passcode> passcodes_;       // guarded by mu_
  std::map<std::string, std::string> newest_code_;  // user name -> code; guarded by mu_
  int64_t last_purge_ = 0;                          // guarded by mu_
};

}  // namespace ssocli
