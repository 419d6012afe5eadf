#include "token/token_cache.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>

#include "support/temp_dir.h"

namespace ssocli {
namespace {

namespace fs = std::filesystem;
using ssocli::testing::TempDir;

const char kUrl[] = "http://127.0.0.1:18997";
const char kBytes[] = "{\"access_token\":\"a.b.c\",\"refresh_token\":\"r\"}\n";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

mode_t Mode(const std::string& path) {
  struct stat st;
  EXPECT_EQ(::lstat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

class TokenCacheTest : public ::testing::Test {
 protected:
  TempDir home_;
  TokenCache cache_{home_.path(), kUrl};

  void StoreToken(const std::string& user, const std::string& bytes = kBytes) {
    ASSERT_TRUE(cache_.EnsureDirs().ok());
    auto lock = cache_.Lock(user, 1000);
    ASSERT_TRUE(lock.ok()) << lock.status().message();
    ASSERT_TRUE(cache_.Store(user, bytes, *lock).ok());
  }
};

TEST_F(TokenCacheTest, LayoutIsTheOriginals) {
  EXPECT_EQ(cache_.root_dir(), home_.path() + "/.sso-cli");
  EXPECT_EQ(cache_.zone_dir(), home_.path() + "/.sso-cli/aHR0cDovLzEyNy4wLjAuMToxODk5Nw==");
  EXPECT_EQ(TokenCache::TokenFileName("alice@example.com"), "YWxpY2VAZXhhbXBsZS5jb20tdG9rZW4uZGF0");
  EXPECT_EQ(TokenCache::TokenFileName("dave@example.com"), "ZGF2ZUBleGFtcGxlLmNvbS10b2tlbi5kYXQ=");
  // https://x and https://x/ are two caches, as in the original.
  EXPECT_NE(TokenCache(home_.path(), "https://x").zone_dir(), TokenCache(home_.path(), "https://x/").zone_dir());
}

TEST_F(TokenCacheTest, CreatesPrivateDirsAndFilesWhateverTheUmask) {
  mode_t old = ::umask(0);
  StoreToken("alice@example.com");
  ::umask(old);
  EXPECT_EQ(Mode(cache_.root_dir()), 0700u);
  EXPECT_EQ(Mode(cache_.zone_dir()), 0700u);
  EXPECT_EQ(Mode(cache_.TokenPath("alice@example.com")), 0600u);
  EXPECT_EQ(ReadFile(cache_.TokenPath("alice@example.com")), kBytes);
  // Nothing but the token and dot-files (the lock) in the dir: the original sees one user.
  for (const auto& e : fs::directory_iterator(cache_.zone_dir())) {
    std::string name = e.path().filename().string();
    EXPECT_TRUE(name == TokenCache::TokenFileName("alice@example.com") || name[0] == '.') << name;
    EXPECT_EQ(name.find(".tmp"), std::string::npos) << "temp file left behind: " << name;
  }
}

TEST_F(TokenCacheTest, StoreReplacesAtomically) {
  StoreToken("alice@example.com");
  std::string path = cache_.TokenPath("alice@example.com");
  struct stat before;
  ASSERT_EQ(::stat(path.c_str(), &before), 0);
  StoreToken("alice@example.com", "{\"access_token\":\"new\"}\n");
  struct stat after;
  ASSERT_EQ(::stat(path.c_str(), &after), 0);
  EXPECT_NE(before.st_ino, after.st_ino) << "written in place instead of temp file + rename";
  EXPECT_EQ(ReadFile(path), "{\"access_token\":\"new\"}\n");
}

TEST_F(TokenCacheTest, StoreWithoutTheLockIsRefused) {
  ASSERT_TRUE(cache_.EnsureDirs().ok());
  CacheLock none;
  EXPECT_FALSE(cache_.Store("alice@example.com", kBytes, none).ok());
  EXPECT_FALSE(fs::exists(cache_.TokenPath("alice@example.com")));
}

TEST_F(TokenCacheTest, UsersAreOnlyWellFormedTokenFiles) {
  StoreToken("erin@example.com");
  StoreToken("dave@example.com");
  const std::string d = cache_.zone_dir() + "/";
  WriteFile(d + "server.login", "HTTP/1.1 200 OK\r\n");
  WriteFile(d + "server.version", "x");
  WriteFile(d + ".hidden", "x");
  WriteFile(d + "notes.txt", "stray file");
  WriteFile(d + "Zm9v", "base64 of foo, no -token.dat suffix");
  fs::create_directory(d + "ZGlyQHgtdG9rZW4uZGF0");  // a dir named like a token file
  auto users = cache_.Users();
  ASSERT_TRUE(users.ok());
  EXPECT_EQ(*users, (std::vector<std::string>{"dave@example.com", "erin@example.com"}));
}

TEST_F(TokenCacheTest, MissingCacheMeansNoUsersAndNoToken) {
  auto users = cache_.Users();
  ASSERT_TRUE(users.ok());
  EXPECT_TRUE(users->empty());
  auto t = cache_.Load("alice@example.com");
  ASSERT_TRUE(t.ok());
  EXPECT_FALSE(*t);
  EXPECT_FALSE(fs::exists(cache_.root_dir())) << "reading must not create the cache";
}

TEST_F(TokenCacheTest, LoadReturnsTokenAndMtime) {
  StoreToken("alice@example.com");
  auto t = cache_.Load("alice@example.com");
  ASSERT_TRUE(t.ok());
  ASSERT_TRUE(*t);
  EXPECT_EQ((*t)->token.access_token, "a.b.c");
  EXPECT_GT((*t)->mtime, 0);
}

TEST_F(TokenCacheTest, CorruptFileIsNoToken) {
  StoreToken("alice@example.com", "{\"access_tok");
  auto t = cache_.Load("alice@example.com");
  ASSERT_TRUE(t.ok());
  EXPECT_FALSE(*t);
}

TEST_F(TokenCacheTest, GroupWritableDirIsUnsafe) {
  StoreToken("alice@example.com");
  ::chmod(cache_.zone_dir().c_str(), 0770);
  auto t = cache_.Load("alice@example.com");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().kind(), ErrorKind::kCacheUnsafe);
  EXPECT_NE(t.status().message().find("writable by other users"), std::string::npos);
  EXPECT_EQ(cache_.EnsureDirs().kind(), ErrorKind::kCacheUnsafe);
  ::chmod(cache_.zone_dir().c_str(), 0700);
  ::chmod(cache_.root_dir().c_str(), 0707);
  EXPECT_EQ(cache_.Users().status().kind(), ErrorKind::kCacheUnsafe);
}

TEST_F(TokenCacheTest, SymlinksAreUnsafe) {
  TempDir elsewhere;
  fs::create_directory_symlink(elsewhere.path(), cache_.root_dir());
  EXPECT_EQ(cache_.EnsureDirs().kind(), ErrorKind::kCacheUnsafe);
  EXPECT_EQ(cache_.Load("alice@example.com").status().kind(), ErrorKind::kCacheUnsafe);
  fs::remove(cache_.root_dir());

  ASSERT_TRUE(cache_.EnsureDirs().ok());
  WriteFile(elsewhere.path() + "/t", kBytes);
  fs::create_symlink(elsewhere.path() + "/t", cache_.TokenPath("alice@example.com"));
  auto t = cache_.Load("alice@example.com");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().kind(), ErrorKind::kCacheUnsafe);
}

TEST_F(TokenCacheTest, DirOwnedByAnotherUserIsUnsafe) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to chown";
  ASSERT_TRUE(cache_.EnsureDirs().ok());
  ASSERT_EQ(::chown(cache_.zone_dir().c_str(), 65534, 65534), 0);
  auto t = cache_.Load("alice@example.com");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().kind(), ErrorKind::kCacheUnsafe);
  EXPECT_NE(t.status().message().find("owned by uid 65534"), std::string::npos);
}

TEST_F(TokenCacheTest, LockIsExclusiveAndTimesOut) {
  ASSERT_TRUE(cache_.EnsureDirs().ok());
  auto first = cache_.Lock("alice@example.com", 1000);
  ASSERT_TRUE(first.ok());
  auto second = cache_.Lock("alice@example.com", 200);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().kind(), ErrorKind::kCacheUnsafe);
  // Another user's lock is independent.
  EXPECT_TRUE(cache_.Lock("bob@example.com", 0).ok());
  *first = CacheLock();  // release
  EXPECT_TRUE(cache_.Lock("alice@example.com", 0).ok());
}

TEST_F(TokenCacheTest, ClearZoneRemovesFilesButKeepsTheDirAndLocks) {
  StoreToken("alice@example.com");
  WriteFile(cache_.zone_dir() + "/server.login", "x");
  ASSERT_TRUE(cache_.ClearZone().ok());
  EXPECT_TRUE(fs::is_directory(cache_.zone_dir()));
  for (const auto& e : fs::directory_iterator(cache_.zone_dir())) {
    std::string name = e.path().filename().string();
    EXPECT_EQ(name.substr(name.size() - 5), ".lock") << name;
  }
  auto users = cache_.Users();
  ASSERT_TRUE(users.ok());
  EXPECT_TRUE(users->empty());
}

TEST_F(TokenCacheTest, ClearAllEmptiesTheRootAndKeepsIt) {
  StoreToken("alice@example.com");
  TokenCache other(home_.path(), "https://other");
  ASSERT_TRUE(other.EnsureDirs().ok());
  TempDir outside;
  WriteFile(outside.path() + "/keep", "x");
  fs::create_directory_symlink(outside.path(), cache_.root_dir() + "/link");
  ASSERT_TRUE(cache_.ClearAll().ok());
  EXPECT_TRUE(fs::is_directory(cache_.root_dir()));
  EXPECT_TRUE(fs::is_empty(cache_.root_dir()));
  EXPECT_TRUE(fs::exists(outside.path() + "/keep")) << "followed a symlink while clearing";
}

TEST_F(TokenCacheTest, MetaIsADotFile) {
  ASSERT_TRUE(cache_.WriteMeta("zone-info.json", "{}").ok());
  EXPECT_TRUE(fs::exists(cache_.zone_dir() + "/.zone-info.json"));
  EXPECT_EQ(cache_.ReadMeta("zone-info.json"), "{}");
  EXPECT_FALSE(cache_.ReadMeta("missing"));
}

}  // namespace
}  // namespace ssocli
