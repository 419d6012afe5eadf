#include "token/token_cache.h"

#include <dirent.h>
#include <pthread.h>
#include <signal.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <initializer_list>

#include "core/base64.h"

namespace ssocli {
namespace {

constexpr char kTokenSuffix[] = "-token.dat";
constexpr size_t kMaxTokenFileBytes = 1 << 20;

std::string ErrnoText(int err) { return std::strerror(err); }

// RAII file descriptor.
class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  void reset(int fd) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }
  int release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_;
};

// Restores the process umask when it goes out of scope.
class ScopedUmask {
 public:
  explicit ScopedUmask(mode_t mask) : old_(::umask(mask)) {}
  ~ScopedUmask() { ::umask(old_); }

 private:
  mode_t old_;
};

// Holds off the signals that end a program (Ctrl-C and friends) for a few system calls, so that an
// interrupted run never leaves a temp file behind. They are delivered when the scope ends.
class ScopedSignalBlock {
 public:
  ScopedSignalBlock() {
    sigset_t block;
    sigemptyset(&block);
    for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) sigaddset(&block, sig);
    ::pthread_sigmask(SIG_BLOCK, &block, &old_);
  }
  ~ScopedSignalBlock() { ::pthread_sigmask(SIG_SETMASK, &old_, nullptr); }

 private:
  sigset_t old_;
};

bool WriteAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

std::string LockName(std::string_view user) {
  return "." + TokenCache::TokenFileName(user) + ".lock";
}

bool IsLockFile(std::string_view name) {
  return name.size() > 5 && name.front() == '.' && name.substr(name.size() - 5) == ".lock";
}

}  // namespace

CacheLock& CacheLock::operator=(CacheLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

CacheLock::~CacheLock() {
  if (fd_ >= 0) ::close(fd_);  // closing the descriptor releases the flock
}

TokenCache::TokenCache(std::string home, std::string login_url)
    : root_dir_(std::move(home) + "/.sso-cli"), zone_dir_(root_dir_ + "/" + Base64Encode(login_url)) {}

std::string TokenCache::TokenFileName(std::string_view user) {
  return Base64Encode(std::string(user) + kTokenSuffix);
}

std::string TokenCache::TokenPath(std::string_view user) const {
  return zone_dir_ + "/" + TokenFileName(user);
}

Result<bool> TokenCache::CheckDir(const std::string& path) const {
  struct stat st;
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return false;
    return Status::Error(ErrorKind::kCacheUnsafe, "cannot inspect " + path + ": " + ErrnoText(errno));
  }
  if (S_ISLNK(st.st_mode)) {
    return Status::Error(ErrorKind::kCacheUnsafe, "the cache dir " + path + " is a symbolic link",
                         "replace it with a real directory (mode 0700) owned by you");
  }
  if (!S_ISDIR(st.st_mode)) {
    return Status::Error(ErrorKind::kCacheUnsafe, "the cache path " + path + " is not a directory");
  }
  if (st.st_uid != ::geteuid()) {
    return Status::Error(ErrorKind::kCacheUnsafe,
                         "the cache dir " + path + " is owned by uid " + std::to_string(st.st_uid) +
                             ", not by you (uid " + std::to_string(::geteuid()) + ")",
                         "run as its owner, or point HOME at a home directory of yours");
  }
  if (st.st_mode & (S_IWGRP | S_IWOTH)) {
    return Status::Error(ErrorKind::kCacheUnsafe,
                         "the cache dir " + path + " is writable by other users",
                         "fix it with: chmod 700 " + path);
  }
  return true;
}

Result<std::vector<std::string>> TokenCache::Users() const {
  std::vector<std::string> users;
  for (const std::string& dir : {root_dir_, zone_dir_}) {
    auto exists = CheckDir(dir);
    if (!exists.ok()) return exists.status();
    if (!*exists) return users;
  }
  DIR* d = ::opendir(zone_dir_.c_str());
  if (d == nullptr) {
    return Status::Error(ErrorKind::kCacheUnsafe, "cannot read " + zone_dir_ + ": " + ErrnoText(errno));
  }
  while (dirent* e = ::readdir(d)) {
    std::string_view name = e->d_name;
    if (name.empty() || name.front() == '.' || name.find("server.") != std::string_view::npos) continue;
    if (e->d_type != DT_REG && e->d_type != DT_UNKNOWN) continue;
    auto decoded = Base64Decode(name);
    if (!decoded || decoded->size() <= sizeof(kTokenSuffix) - 1) continue;
    std::string_view plain = *decoded;
    if (plain.substr(plain.size() - (sizeof(kTokenSuffix) - 1)) != kTokenSuffix) continue;
    // Round-trip check: only names this tool (or the original) would have written.
    std::string user(plain.substr(0, plain.size() - (sizeof(kTokenSuffix) - 1)));
    if (TokenFileName(user) != name) continue;
    users.push_back(std::move(user));
  }
  ::closedir(d);
  std::sort(users.begin(), users.end());
  return users;
}

Result<std::optional<LoadedToken>> TokenCache::Load(std::string_view user) const {
  for (const std::string& dir : {root_dir_, zone_dir_}) {
    auto exists = CheckDir(dir);
    if (!exists.ok()) return exists.status();
    if (!*exists) return std::optional<LoadedToken>();
  }
  std::string path = TokenPath(user);
  Fd fd(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK));
  if (fd.get() < 0) {
    if (errno == ENOENT) return std::optional<LoadedToken>();
    if (errno == ELOOP) {
      return Status::Error(ErrorKind::kCacheUnsafe, "the token file " + path + " is a symbolic link",
                           "remove it and sign in again");
    }
    return Status::Error(ErrorKind::kCacheUnsafe, "cannot read " + path + ": " + ErrnoText(errno));
  }
  struct stat st;
  if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) {
    return Status::Error(ErrorKind::kCacheUnsafe, "the token file " + path + " is not a regular file");
  }
  if (st.st_uid != ::geteuid()) {
    return Status::Error(ErrorKind::kCacheUnsafe,
                         "the token file " + path + " is owned by uid " + std::to_string(st.st_uid) +
                             ", not by you",
                         "remove it and sign in again");
  }
  if (static_cast<size_t>(st.st_size) > kMaxTokenFileBytes) return std::optional<LoadedToken>();
  std::string bytes(static_cast<size_t>(st.st_size), '\0');
  size_t got = 0;
  while (got < bytes.size()) {
    ssize_t n = ::read(fd.get(), bytes.data() + got, bytes.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  bytes.resize(got);
  auto parsed = ParseTokenFile(bytes);
  if (!parsed) return std::optional<LoadedToken>();
  return std::optional<LoadedToken>(LoadedToken{std::move(*parsed), static_cast<int64_t>(st.st_mtime)});
}

Status TokenCache::EnsureDirs() const {
  ScopedUmask umask(077);
  for (const std::string& dir : {root_dir_, zone_dir_}) {
    auto exists = CheckDir(dir);
    if (!exists.ok()) return exists.status();
    if (*exists) continue;
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
      return Status::Error(ErrorKind::kCacheDir,
                           "cannot create the cache dir " + dir + ": " + ErrnoText(errno),
                           "check that HOME points at a writable home directory");
    }
    // Another run may have created it in between: check whatever is there now.
    auto created = CheckDir(dir);
    if (!created.ok()) return created.status();
  }
  return Status::Ok();
}

Result<CacheLock> TokenCache::Lock(std::string_view user, int timeout_ms) const {
  std::string path = zone_dir_ + "/" + LockName(user);
  int raw;
  {
    ScopedUmask umask(077);
    raw = ::open(path.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
  }
  if (raw < 0) {
    if (errno == ELOOP) {
      return Status::Error(ErrorKind::kCacheUnsafe, "the lock file " + path + " is a symbolic link");
    }
    return Status::Error(ErrorKind::kCacheWrite,
                         "cannot open the cache lock " + path + ": " + ErrnoText(errno));
  }
  Fd fd(raw);
  // Poll with a growing pause: flock() has no timeout, and alarm() would be process-global state.
  int waited_ms = 0;
  int pause_ms = 2;
  while (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK && errno != EINTR) {
      return Status::Error(ErrorKind::kCacheWrite, "cannot lock " + path + ": " + ErrnoText(errno));
    }
    if (waited_ms >= timeout_ms) {
      return Status::Error(
          ErrorKind::kCacheUnsafe,
          "the cache lock " + path + " was not free within " + std::to_string(timeout_ms / 1000) + " s",
          "another get_token or acurl is still signing in; try again, or find it with: fuser " + path);
    }
    struct timespec ts = {0, static_cast<long>(pause_ms) * 1000000L};
    ::nanosleep(&ts, nullptr);
    waited_ms += pause_ms;
    pause_ms = std::min(pause_ms * 2, 50);
  }
  return CacheLock(fd.release());
}

Status TokenCache::AtomicWrite(const std::string& final_path, std::string_view bytes) const {
  ScopedSignalBlock no_interrupts;
  std::string tmp;
  Fd fd;
  {
    ScopedUmask umask(077);
    for (int attempt = 0; attempt < 100 && fd.get() < 0; ++attempt) {
      uint64_t nonce = 0;
      if (::getrandom(&nonce, sizeof nonce, 0) != static_cast<ssize_t>(sizeof nonce)) {
        struct timespec ts;
        ::clock_gettime(CLOCK_REALTIME, &ts);
        nonce = static_cast<uint64_t>(ts.tv_nsec) + static_cast<uint64_t>(attempt);
      }
      size_t slash = final_path.rfind('/');
      tmp = final_path.substr(0, slash + 1) + "." + final_path.substr(slash + 1) + ".tmp-" +
            std::to_string(::getpid()) + "-" + std::to_string(nonce);
      int raw = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
      if (raw >= 0) {
        fd.reset(raw);
      } else if (errno != EEXIST) {
        return Status::Error(ErrorKind::kCacheWrite,
                             "cannot write the token file in " + zone_dir_ + ": " + ErrnoText(errno),
                             "check the free space and permissions of " + zone_dir_);
      }
    }
  }
  if (fd.get() < 0) {
    return Status::Error(ErrorKind::kCacheWrite, "cannot create a temporary file in " + zone_dir_);
  }
  bool ok = WriteAll(fd.get(), bytes) && ::fsync(fd.get()) == 0;
  int saved = errno;
  ok = (::close(fd.release()) == 0) && ok;
  if (!ok || ::rename(tmp.c_str(), final_path.c_str()) != 0) {
    if (ok) saved = errno;
    ::unlink(tmp.c_str());
    return Status::Error(ErrorKind::kCacheWrite,
                         "cannot write the token file " + final_path + ": " + ErrnoText(saved),
                         "check the free space and permissions of " + zone_dir_);
  }
  // Make the rename itself durable.
  Fd dir(::open(zone_dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir.get() >= 0) ::fsync(dir.get());
  return Status::Ok();
}

Status TokenCache::Store(std::string_view user, std::string_view bytes, const CacheLock& held) const {
  if (!held.held()) {
    return Status::Error(ErrorKind::kInternal, "token cache written without holding its lock");
  }
  return AtomicWrite(TokenPath(user), bytes);
}

std::optional<std::string> TokenCache::ReadMeta(std::string_view name) const {
  std::string path = zone_dir_ + "/." + std::string(name);
  Fd fd(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK));
  if (fd.get() < 0) return std::nullopt;
  struct stat st;
  if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != ::geteuid() ||
      st.st_size > 65536) {
    return std::nullopt;
  }
  std::string bytes(static_cast<size_t>(st.st_size), '\0');
  ssize_t n = ::read(fd.get(), bytes.data(), bytes.size());
  if (n < 0) return std::nullopt;
  bytes.resize(static_cast<size_t>(n));
  return bytes;
}

Status TokenCache::WriteMeta(std::string_view name, std::string_view bytes) const {
  Status dirs = EnsureDirs();
  if (!dirs.ok()) return dirs;
  return AtomicWrite(zone_dir_ + "/." + std::string(name), bytes);
}

Status TokenCache::ClearZone() const {
  auto exists = CheckDir(root_dir_);
  if (!exists.ok()) return exists.status();
  if (!*exists) return Status::Ok();
  exists = CheckDir(zone_dir_);
  if (!exists.ok()) return exists.status();
  if (!*exists) return Status::Ok();
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(zone_dir_, ec)) {
    std::string name = entry.path().filename().string();
    if (IsLockFile(name)) continue;
    std::filesystem::remove_all(entry.path(), ec);  // does not follow symlinks
    if (ec) {
      return Status::Error(ErrorKind::kCacheWrite,
                           "cannot remove " + entry.path().string() + ": " + ec.message());
    }
  }
  if (ec) return Status::Error(ErrorKind::kCacheWrite, "cannot read " + zone_dir_ + ": " + ec.message());
  return Status::Ok();
}

Status TokenCache::ClearAll() const {
  auto exists = CheckDir(root_dir_);
  if (!exists.ok()) return exists.status();
  if (!*exists) return Status::Ok();
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(root_dir_, ec)) {
    std::filesystem::remove_all(entry.path(), ec);
    if (ec) {
      return Status::Error(ErrorKind::kCacheWrite,
                           "cannot remove " + entry.path().string() + ": " + ec.message());
    }
  }
  if (ec) return Status::Error(ErrorKind::kCacheWrite, "cannot read " + root_dir_ + ": " + ec.message());
  return Status::Ok();
}

}  // namespace ssocli
