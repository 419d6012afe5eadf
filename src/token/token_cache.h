// The token cache: $HOME/.sso-cli/<base64(SSO_LOGIN_URL)>/<base64("<user>-token.dat")>, shared with the
// original get_token (see docs/cache.md).
//
// Safety: directories are created 0700 and must be owned by the caller and not group/world-writable;
// token files are written 0600 through a temp file + fsync + rename, so a reader sees the old or the
// new file, never a half-written one. Writers hold a per-user lock (a dot-file the original ignores).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "token/token_file.h"

namespace ssocli {

// An exclusive lock on one user's token file. Released when destroyed.
class CacheLock {
 public:
  CacheLock() = default;
  explicit CacheLock(int fd) : fd_(fd) {}
  CacheLock(CacheLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  CacheLock& operator=(CacheLock&& other) noexcept;
  CacheLock(const CacheLock&) = delete;
  CacheLock& operator=(const CacheLock&) = delete;
  ~CacheLock();
  bool held() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

struct LoadedToken {
  CachedToken token;
  int64_t mtime = 0;  // the file's modification time (for tokens without `exp`)
};

class TokenCache {
 public:
  // `home` is $HOME; `login_url` is SSO_LOGIN_URL verbatim (https://x and https://x/ are two caches).
  TokenCache(std::string home, std::string login_url);

  const std::string& root_dir() const { return root_dir_; }  // $HOME/.sso-cli
  const std::string& zone_dir() const { return zone_dir_; }  // the per-URL dir

  // base64("<user>-token.dat"), the name the original uses.
  static std::string TokenFileName(std::string_view user);
  std::string TokenPath(std::string_view user) const;

  // Users with a token file, sorted. Only well-formed token file names count (not dot-files,
  // not server.*, not stray files). A missing dir means no users. Never creates anything.
  Result<std::vector<std::string>> Users() const;

  // The user's token, or nullopt when there is no file or it holds no access token.
  // Errors: kCacheUnsafe when a dir or the file is a symlink or not owned by the caller, or a dir is
  // group/world-writable.
  Result<std::optional<LoadedToken>> Load(std::string_view user) const;

  // Creates the cache dirs (0700) when missing; checks them otherwise.
  // Errors: kCacheDir when they cannot be created, kCacheUnsafe when they are unsafe.
  Status EnsureDirs() const;

  // Takes the user's lock, waiting up to `timeout_ms`. REQUIRES: EnsureDirs() succeeded.
  // Errors: kCacheUnsafe when the lock is not free in time, kCacheWrite when it cannot be opened.
  Result<CacheLock> Lock(std::string_view user, int timeout_ms) const;

  // Atomically replaces the user's token file with `bytes` (mode 0600).
  // REQUIRES: `held` is this user's lock. Errors: kCacheWrite; the old file is then untouched.
  Status Store(std::string_view user, std::string_view bytes, const CacheLock& held) const;

  // Small metadata kept in a dot-file of the zone dir (invisible to the original).
  std::optional<std::string> ReadMeta(std::string_view name) const;
  Status WriteMeta(std::string_view name, std::string_view bytes) const;

  // --clear-sso-cache: removes every file of the zone dir (lock files excepted).
  Status ClearZone() const;
  // --clear-all-sso-cache: empties $HOME/.sso-cli, keeping the dir itself.
  Status ClearAll() const;

 private:
  // Checks one existing dir. Returns false (and no error) when it does not exist.
  Result<bool> CheckDir(const std::string& path) const;
  Status AtomicWrite(const std::string& final_path, std::string_view bytes) const;

  std::string root_dir_;
  std::string zone_dir_;
};

}  // namespace ssocli
