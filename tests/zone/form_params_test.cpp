#include "zone/form_params.h"

#include <gtest/gtest.h>

namespace ssocli {
namespace {

TEST(FormParamsTest, QueryAndFormMergeFirstValueWins) {
  auto params = RequestParams::FromRequest(
      "/oauth/token?mfa_token=123456&x=query", "application/x-www-form-urlencoded;charset=utf-8",
      "grant_type=password&username=alice%40example.com&password=s3cr%3At+x&x=form");
  EXPECT_EQ(params.Get("mfa_token"), "123456");
  EXPECT_EQ(params.Get("username"), "alice@example.com");
  EXPECT_EQ(params.Get("password"), "s3cr:t x");
  EXPECT_EQ(params.Get("x"), "query");
  EXPECT_FALSE(params.Has("missing"));
}

TEST(FormParamsTest, EmptyValuesArePresent) {
  auto params = RequestParams::FromRequest("/oauth/token?mfa_token=", "", "");
  ASSERT_TRUE(params.Has("mfa_token"));
  EXPECT_EQ(params.Get("mfa_token"), "");
  auto bare = RequestParams::FromRequest("/x?passcode", "", "");
  EXPECT_TRUE(bare.Has("passcode"));
}

TEST(FormParamsTest, BodyIgnoredWithoutFormContentType) {
  auto params = RequestParams::FromRequest("/oauth/token", "application/json", "grant_type=password");
  EXPECT_FALSE(params.Has("grant_type"));
  auto upper = RequestParams::FromRequest("/oauth/token", "Application/X-WWW-Form-Urlencoded", "a=1");
  EXPECT_EQ(upper.Get("a"), "1");
}

TEST(FormParamsTest, MalformedInputNeverFails) {
  auto params =
      RequestParams::FromRequest("/p?%zz=%&&&=x&a=%4", "application/x-www-form-urlencoded", "&=&==&b=%%");
  EXPECT_EQ(params.Get("%zz"), "%");
  EXPECT_EQ(params.Get("a"), "%4");
  EXPECT_EQ(params.Get("b"), "%%");
}

TEST(FormParamsTest, BasicAuthorization) {
  auto creds = ParseBasicAuthorization("Basic ZWRnZWNsaTplZGdlY2xpc2VjcmV0");
  ASSERT_TRUE(creds);
  EXPECT_EQ(creds->id, "edgecli");
  EXPECT_EQ(creds->secret, "edgeclisecret");
  EXPECT_TRUE(ParseBasicAuthorization("basic ZWRnZWNsaTplZGdlY2xpc2VjcmV0"));
  auto colon = ParseBasicAuthorization("Basic YTpiOmM=");  // a:b:c
  ASSERT_TRUE(colon);
  EXPECT_EQ(colon->secret, "b:c");
  EXPECT_FALSE(ParseBasicAuthorization("Basic"));
  EXPECT_FALSE(ParseBasicAuthorization("Basic !!!"));
  EXPECT_FALSE(ParseBasicAuthorization("Basic bm9jb2xvbg=="));  // "nocolon"
  EXPECT_FALSE(ParseBasicAuthorization("Bearer abc"));
  EXPECT_FALSE(ParseBasicAuthorization(""));
}

TEST(FormParamsTest, BearerAuthorization) {
  EXPECT_EQ(ParseBearerAuthorization("Bearer a.b.c"), "a.b.c");
  EXPECT_EQ(ParseBearerAuthorization("bearer  a.b.c "), "a.b.c");
  EXPECT_FALSE(ParseBearerAuthorization("Bearer"));
  EXPECT_FALSE(ParseBearerAuthorization("Bearer "));
  EXPECT_FALSE(ParseBearerAuthorization("Basic a.b.c"));
}

}  // namespace
}  // namespace ssocli
