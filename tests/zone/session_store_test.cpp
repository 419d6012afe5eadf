// Browser sessions and pending sign-ins: expiry, single use, bounds; cookies and return paths.
#include "zone/session_store.h"

#include <gtest/gtest.h>

namespace ssocli {
namespace {

UserIdentity Alice() {
  return UserDirectory::ExternalIdentity("alice@example.com", "test-idp");
}

TEST(SessionStoreTest, SessionsLiveWhileUsed) {
  SessionStore store(/*idle_seconds=*/100);
  std::string id = store.Create(Alice(), 1000);
  EXPECT_EQ(id.size(), 43u);
  EXPECT_EQ(id.find_first_not_of("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"),
            std::string::npos);
  EXPECT_NE(store.Create(Alice(), 1000), id);
  ASSERT_TRUE(store.Find(id, 1099));
  EXPECT_EQ(store.Find(id, 1198)->user_name, "alice@example.com");  // idle time restarted at 1099
  EXPECT_FALSE(store.Find(id, 1298));
  EXPECT_FALSE(store.Find("", 1000));
  std::string other = store.Create(Alice(), 2000);
  store.Remove(other);
  EXPECT_FALSE(store.Find(other, 2000));
}

TEST(SessionStoreTest, PendingSignInsAreSpentOnce) {
  SessionStore store(1800, /*sign_in_seconds=*/600);
  std::string id = store.BeginSignIn("_req-1", "/passcode", 1000);
  auto taken = store.TakeSignIn(id, 1100);
  ASSERT_TRUE(taken);
  EXPECT_EQ(taken->request_id, "_req-1");
  EXPECT_EQ(taken->return_path, "/passcode");
  EXPECT_FALSE(store.TakeSignIn(id, 1100));
  std::string late = store.BeginSignIn("_req-2", "/", 1000);
  EXPECT_FALSE(store.TakeSignIn(late, 1600));
}

TEST(SessionStoreTest, BoundedInSize) {
  SessionStore store(1800, 600, /*max_entries=*/3);
  std::string first = store.Create(Alice(), 1000);
  for (int i = 0; i < 5; ++i) store.Create(Alice(), 1001 + i);
  EXPECT_FALSE(store.Find(first, 1010));
}

TEST(SessionStoreTest, Cookies) {
  EXPECT_EQ(CookieValue("JSESSIONID=abc", "JSESSIONID"), "abc");
  EXPECT_EQ(CookieValue("a=1; JSESSIONID=abc; b=2", "JSESSIONID"), "abc");
  EXPECT_EQ(CookieValue("a=1;JSESSIONID=\"abc\"", "JSESSIONID"), "abc");
  EXPECT_EQ(CookieValue("XJSESSIONID=abc", "JSESSIONID"), std::nullopt);
  EXPECT_EQ(CookieValue("", "JSESSIONID"), std::nullopt);
  EXPECT_EQ(SetCookieValue("JSESSIONID", "v", "/", false), "JSESSIONID=v; Path=/; HttpOnly; SameSite=Lax");
  EXPECT_EQ(SetCookieValue("s", "", "/saml", true, 0),
            "s=; Path=/saml; Max-Age=0; HttpOnly; SameSite=Lax; Secure");
}

TEST(SessionStoreTest, OnlyLocalReturnPaths) {
  for (const char* ok : {"/", "/passcode", "/login?x=1&y=%2F"}) EXPECT_TRUE(IsLocalPath(ok)) << ok;
  for (const char* bad : {"", "passcode", "//evil.test/", "/\\evil.test", "https://evil.test/", "/a\\b",
                          "/a\r\nb", "javascript:alert(1)"}) {
    EXPECT_FALSE(IsLocalPath(bad)) << bad;
  }
}

}  // namespace
}  // namespace ssocli
