#include "saml/saml_time.h"

#include <gtest/gtest.h>

namespace ssocli::saml {
namespace {

TEST(SamlTime, ParsesUtcDateTimes) {
  EXPECT_EQ(ParseSamlInstant("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(ParseSamlInstant("2024-01-01T12:00:00Z"), int64_t{1704110400} * 1000);
  EXPECT_EQ(ParseSamlInstant("2024-01-01T12:00:00.250Z"), int64_t{1704110400} * 1000 + 250);
  EXPECT_EQ(ParseSamlInstant("2024-01-01T12:00:00.1234567Z"), int64_t{1704110400} * 1000 + 123);
  EXPECT_EQ(ParseSamlInstant("2024-02-29T00:00:00Z"), int64_t{1709164800} * 1000);
  EXPECT_EQ(ParseSamlInstant("9999-12-31T23:59:59Z"), int64_t{253402300799} * 1000);
}

TEST(SamlTime, RefusesAnythingButUtc) {
  for (const char* bad : {"",
                          "2024-01-01T12:00:00",
                          "2024-01-01T12:00:00+00:00",
                          "2024-01-01T13:00:00+01:00",
                          "2024-01-01 12:00:00Z",
                          "2024-01-01t12:00:00Z",
                          "2024-01-01T12:00:00z",
                          "2023-02-29T00:00:00Z",
                          "2024-02-30T00:00:00Z",
                          "2024-13-01T00:00:00Z",
                          "2024-01-01T24:00:00Z",
                          "2024-01-01T12:60:00Z",
                          "2024-01-01T12:00:60Z",
                          "12024-01-01T00:00:00Z",
                          "-2024-01-01T00:00:00Z",
                          "2024-1-01T00:00:00Z",
                          "2024-01-01T12:00:00.Z",
                          "2024-01-01T12:00:00Z ",
                          " 2024-01-01T12:00:00Z",
                          "0000-01-01T00:00:00Z",
                          "2024-01-01T12:00:00ZZ"}) {
    EXPECT_FALSE(ParseSamlInstant(bad).has_value()) << bad;
  }
}

TEST(SamlTime, Rfc3339ForTheCommandLineAcceptsOffsets) {
  EXPECT_EQ(ParseRfc3339("2024-01-01T13:00:00+01:00"), ParseSamlInstant("2024-01-01T12:00:00Z"));
  EXPECT_EQ(ParseRfc3339("2024-01-01T07:00:00-0500"), ParseSamlInstant("2024-01-01T12:00:00Z"));
  EXPECT_EQ(ParseRfc3339("2024-01-01 12:00:00z"), ParseSamlInstant("2024-01-01T12:00:00Z"));
  EXPECT_FALSE(ParseRfc3339("2024-01-01T12:00:00").has_value());
  EXPECT_FALSE(ParseRfc3339("yesterday").has_value());
}

TEST(SamlTime, FormatsUtc) {
  EXPECT_EQ(FormatRfc3339Utc(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatRfc3339Utc(int64_t{1704110700} * 1000), "2024-01-01T12:05:00Z");
  EXPECT_EQ(FormatRfc3339Utc(int64_t{1704110700} * 1000 + 5), "2024-01-01T12:05:00.005Z");
  EXPECT_EQ(FormatRfc3339Utc(-1000), "1969-12-31T23:59:59Z");
  for (const char* t : {"2000-02-29T23:59:59Z", "2024-12-31T00:00:00Z", "2100-03-01T01:02:03Z"}) {
    EXPECT_EQ(FormatRfc3339Utc(*ParseSamlInstant(t)), t);
  }
}

TEST(SamlTime, HumanDurations) {
  EXPECT_EQ(HumanDuration(1000), "1 second");
  EXPECT_EQ(HumanDuration(45000), "45 seconds");
  EXPECT_EQ(HumanDuration(5 * 60000), "5 minutes");
  EXPECT_EQ(HumanDuration(-5 * 60000), "5 minutes");
  EXPECT_EQ(HumanDuration(3 * 3600000), "3 hours");
  EXPECT_EQ(HumanDuration(int64_t{5} * 86400000), "5 days");
}

}  // namespace
}  // namespace ssocli::saml
