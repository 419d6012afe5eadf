#include "token/refresh_policy.h"

#include <gtest/gtest.h>

namespace ssocli {
namespace {

JwtClaims Claims(std::optional<int64_t> iat, std::optional<int64_t> exp) {
  JwtClaims c;
  c.iat = iat;
  c.exp = exp;
  return c;
}

TEST(RefreshPolicy, MarginIsSixtySecondsForLongLivedTokens) {
  TokenTimes t = ComputeTokenTimes(Claims(0, 43200), std::nullopt, 0, 60);
  EXPECT_EQ(t.expires_at, 43200);
  EXPECT_EQ(t.margin, 60);
  EXPECT_FALSE(NeedsRefresh(t, 43200 - 60));  // exactly the margin left: still fine
  EXPECT_TRUE(NeedsRefresh(t, 43200 - 59));
}

TEST(RefreshPolicy, MarginIsATenthOfShortLifetimes) {
  TokenTimes t = ComputeTokenTimes(Claims(1000, 1300), std::nullopt, 0, 60);
  EXPECT_EQ(t.margin, 30);
  EXPECT_FALSE(NeedsRefresh(t, 1270));
  EXPECT_TRUE(NeedsRefresh(t, 1271));
}

TEST(RefreshPolicy, SsoRefreshMarginOverridesTheSixty) {
  EXPECT_EQ(ComputeTokenTimes(Claims(0, 43200), std::nullopt, 0, 600).margin, 600);
  EXPECT_EQ(ComputeTokenTimes(Claims(0, 43200), std::nullopt, 0, 0).margin, 0);
  // ...but never beyond a tenth of the lifetime.
  EXPECT_EQ(ComputeTokenTimes(Claims(0, 1800), std::nullopt, 0, 100000).margin, 180);
}

TEST(RefreshPolicy, ExpiredTokenAlwaysNeedsRefresh) {
  TokenTimes t = ComputeTokenTimes(Claims(0, 1), std::nullopt, 0, 60);
  EXPECT_EQ(t.margin, 0);
  EXPECT_TRUE(NeedsRefresh(t, 1));
  EXPECT_TRUE(NeedsRefresh(t, 5000));
  EXPECT_FALSE(NeedsRefresh(t, 0));
}

TEST(RefreshPolicy, TokenWithoutExpUsesFileMtimePlusExpiresIn) {
  // An opaque token: the original refreshed it on every call; we keep it for expires_in.
  TokenTimes t = ComputeTokenTimes(JwtClaims{}, 1799, 10000, 60);
  EXPECT_EQ(t.expires_at, 11799);
  EXPECT_EQ(t.margin, 60);
  EXPECT_FALSE(NeedsRefresh(t, 10000 + 1000));
  EXPECT_TRUE(NeedsRefresh(t, 11799 - 59));
}

TEST(RefreshPolicy, NoExpiryAtAllMeansRefresh) {
  TokenTimes t = ComputeTokenTimes(JwtClaims{}, std::nullopt, 10000, 60);
  EXPECT_FALSE(t.expires_at);
  EXPECT_TRUE(NeedsRefresh(t, 0));
}

TEST(RefreshPolicy, ExpWithoutIatUsesTheCap) {
  TokenTimes t = ComputeTokenTimes(Claims(std::nullopt, 500), std::nullopt, 0, 60);
  EXPECT_EQ(t.margin, 60);
}

}  // namespace
}  // namespace ssocli
