#include "zone/token_store.h"

#include <gtest/gtest.h>

#include "zone/rate_limiter.h"

namespace ssocli {
namespace {

UserIdentity User(const std::string& name) {
  return UserDirectory::ExternalIdentity(name, "saml");
}

TEST(TokenStoreTest, PasscodesAreSingleUseNewestOnlyAndExpire) {
  TokenStore store;
  store.PutPasscode("first", User("a@x"), 1300, 1000);
  store.PutPasscode("other", User("b@x"), 1300, 1000);
  store.PutPasscode("second", User("a@x"), 1300, 1000);
  EXPECT_FALSE(store.ConsumePasscode("first", 1000));  // superseded
  auto user = store.ConsumePasscode("second", 1000);
  ASSERT_TRUE(user);
  EXPECT_EQ(user->user_name, "a@x");
  EXPECT_FALSE(store.ConsumePasscode("second", 1000));  // used
  EXPECT_FALSE(store.ConsumePasscode("other", 1300));   // expired
  EXPECT_FALSE(store.ConsumePasscode("other", 1000));   // and spent by the failed attempt
  EXPECT_FALSE(store.ConsumePasscode("", 1000));
}

TEST(TokenStoreTest, RefreshTokensRevokedPerUser) {
  TokenStore store;
  RefreshGrant grant{User("a@x"), "edgecli", {"openid"}, "password", 1000, 2000};
  store.PutRefresh("t1", grant, 1000);
  store.PutRefresh("t2", grant, 1000);
  grant.user = User("b@x");
  store.PutRefresh("t3", grant, 1000);
  EXPECT_TRUE(store.FindRefresh("t1"));
  EXPECT_EQ(store.RevokeUser("a@x"), 2u);
  EXPECT_FALSE(store.FindRefresh("t1"));
  EXPECT_FALSE(store.FindRefresh("t2"));
  EXPECT_TRUE(store.FindRefresh("t3"));
  EXPECT_TRUE(store.RemoveRefresh("t3"));
  EXPECT_FALSE(store.RemoveRefresh("t3"));
}

TEST(RateLimiterTest, SlidingHourPerUser) {
  RateLimiter limiter(2);
  EXPECT_EQ(limiter.Acquire("a", 1000), 0);
  EXPECT_EQ(limiter.Acquire("a", 1100), 0);
  EXPECT_EQ(limiter.Acquire("a", 1200), 3400);  // the first one ages out at 4600
  EXPECT_EQ(limiter.Acquire("b", 1200), 0);
  EXPECT_EQ(limiter.Acquire("a", 4600), 0);
  RateLimiter unlimited(0);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(unlimited.Acquire("a", 1000), 0);
}

}  // namespace
}  // namespace ssocli
