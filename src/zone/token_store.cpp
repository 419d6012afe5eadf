#include "zone/token_store.h"

namespace ssocli {
namespace {

// Expired refresh tokens are kept this long, so a client presenting one hears "expired" (the JWT
// kind) rather than "unknown".
constexpr int64_t kExpiredRetention = 86400;
constexpr int64_t kPurgeInterval = 60;

}  // namespace

void TokenStore::PurgeLocked(int64_t now) {
  if (now - last_purge_ < kPurgeInterval) return;
  last_purge_ = now;
  for (auto it = refresh_.begin(); it != refresh_.end();) {
    it = (it->second.expires_at + kExpiredRetention < now) ? refresh_.erase(it) : std::next(it);
  }
  for (auto it = passcodes_.begin(); it != passcodes_.end();) {
    if (it->second.expires_at < now) {
      auto newest = newest_code_.find(it->second.user.user_name);
      if (newest != newest_code_.end() && newest->second == it->first) newest_code_.erase(newest);
      it = passcodes_.erase(it);
    } else {
      ++it;
    }
  }
}

void TokenStore::PutRefresh(const std::string& key, RefreshGrant grant, int64_t now) {
  std::lock_guard<std::mutex> lock(mu_);
  PurgeLocked(now);
  refresh_[key] = std::move(grant);
}

std::optional<RefreshGrant> TokenStore::FindRefresh(const std::string& key) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = refresh_.find(key);
  if (it == refresh_.end()) return std::nullopt;
  return it->second;
}

bool TokenStore::RemoveRefresh(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  return refresh_.erase(key) != 0;
}

size_t TokenStore::RevokeUser(const std::string& user_name) {
  std::lock_guard<std::mutex> lock(mu_);
  size_t count = 0;
  for (auto it = refresh_.begin(); it != refresh_.end();) {
    if (it->second.user.user_name == user_name) {
      it = refresh_.erase(it);
      ++count;
    } else {
      ++it;
    }
  }
  return count;
}

void TokenStore::PutPasscode(const std::string& code, UserIdentity user, int64_t expires_at, int64_t now) {
  std::lock_guard<std::mutex> lock(mu_);
  PurgeLocked(now);
  std::string& newest = newest_code_[user.user_name];
  if (!newest.empty()) passcodes_.erase(newest);  // only the newest code of a user is valid
  newest = code;
  passcodes_[code] = Passcode{std::move(user), expires_at};
}

std::optional<UserIdentity> TokenStore::ConsumePasscode(const std::string& code, int64_t now) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = passcodes_.find(code);
  if (it == passcodes_.end()) return std::nullopt;
  Passcode passcode = std::move(it->second);
  passcodes_.erase(it);  // single use, even when the attempt fails for expiry
  auto newest = newest_code_.find(passcode.user.user_name);
  if (newest != newest_code_.end() && newest->second == code) newest_code_.erase(newest);
  if (passcode.expires_at <= now) return std::nullopt;
  return passcode.user;
}

}  // namespace ssocli
