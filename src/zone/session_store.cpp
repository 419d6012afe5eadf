#include "zone/session_store.h"

#include <algorithm>

#include "zone/random_id.h"

namespace ssocli {
namespace {

constexpr size_t kIdChars = 43;  // log2(62) * 43 > 256 bits

// Drops the entry that expires first.
template <typename Map>
void DropOldest(Map& map) {
  auto oldest = std::min_element(map.begin(), map.end(), [](const auto& a, const auto& b) {
    return a.second.expires_at < b.second.expires_at;
  });
  if (oldest != map.end()) map.erase(oldest);
}

template <typename Map>
void DropExpired(Map& map, int64_t now) {
  for (auto it = map.begin(); it != map.end();) {
    it = it->second.expires_at <= now ? map.erase(it) : std::next(it);
  }
}

}  // namespace

SessionStore::SessionStore(int64_t idle_seconds, int64_t sign_in_seconds, size_t max_entries)
    : idle_seconds_(idle_seconds), sign_in_seconds_(sign_in_seconds), max_entries_(max_entries) {}

void SessionStore::PurgeLocked(int64_t now) {
  DropExpired(sessions_, now);
  DropExpired(pending_, now);
}

std::string SessionStore::Create(UserIdentity user, int64_t now) {
  std::string id = RandomAlphanumeric(kIdChars);
  std::lock_guard<std::mutex> lock(mu_);
  PurgeLocked(now);
  if (sessions_.size() >= max_entries_) DropOldest(sessions_);
  sessions_[id] = Session{std::move(user), now + idle_seconds_};
  return id;
}

std::optional<UserIdentity> SessionStore::Find(const std::string& id, int64_t now) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return std::nullopt;
  if (it->second.expires_at <= now) {
    sessions_.erase(it);
    return std::nullopt;
  }
  it->second.expires_at = now + idle_seconds_;
  return it->second.user;
}

void SessionStore::Remove(const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  sessions_.erase(id);
}

std::string SessionStore::BeginSignIn(std::string request_id, std::string return_path, int64_t now) {
  std::string id = RandomAlphanumeric(kIdChars);
  std::lock_guard<std::mutex> lock(mu_);
  PurgeLocked(now);
  if (pending_.size() >= max_entries_) DropOldest(pending_);
  pending_[id] = Pending{SignIn{std::move(request_id), std::move(return_path)}, now + sign_in_seconds_};
  return id;
}

std::optional<SessionStore::SignIn> SessionStore::TakeSignIn(const std::string& id, int64_t now) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = pending_.find(id);
  if (it == pending_.end()) return std::nullopt;
  Pending pending = std::move(it->second);
  pending_.erase(it);
  if (pending.expires_at <= now) return std::nullopt;
  return std::move(pending.sign_in);
}

std::optional<std::string> CookieValue(std::string_view header, std::string_view name) {
  size_t pos = 0;
  while (pos < header.size()) {
    size_t end = header.find(';', pos);
    if (end == std::string_view::npos) end = header.size();
    std::string_view pair = header.substr(pos, end - pos);
    size_t first = pair.find_first_not_of(' ');
    if (first != std::string_view::npos) {
      pair.remove_prefix(first);
      size_t eq = pair.find('=');
      if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
        std::string_view value = pair.substr(eq + 1);
        while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
        if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
          value = value.substr(1, value.size() - 2);
        return std::string(value);
      }
    }
    pos = end + 1;
  }
  return std::nullopt;
}

std::string SetCookieValue(std::string_view name, std::string_view value, std::string_view path, bool secure,
                           int64_t max_age) {
  std::string out = std::string(name) + "=" + std::string(value) + "; Path=" + std::string(path);
  if (max_age >= 0) out += "; Max-Age=" + std::to_string(max_age);
  out += "; HttpOnly; SameSite=Lax";
  if (secure) out += "; Secure";
  return out;
}

bool IsLocalPath(std::string_view path) {
  if (path.empty() || path[0] != '/') return false;
  if (path.size() > 1 && (path[1] == '/' || path[1] == '\\')) return false;
  for (unsigned char c : path) {
    if (c < 0x20 || c == 0x7f || c == '\\') return false;
  }
  return path.size() <= 2048;
}

}  // namespace ssocli
