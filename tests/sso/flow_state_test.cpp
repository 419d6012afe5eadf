#include "sso/flow_state.h"

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>
#include <vector>

namespace ssocli::sso {
namespace {

TEST(SsoFlowState, FreshStatesAreLongRandomAndUrlSafe) {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    auto state = NewFlowState();
    ASSERT_TRUE(state.ok());
    EXPECT_EQ(state->size(), 43u);  // 256 bits, base64url without padding
    for (char c : *state) EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_');
    seen.insert(*state);
  }
  EXPECT_EQ(seen.size(), 200u);
}

TEST(SsoFlowState, MatchesOnlyItsOwnState) {
  FlowState s("abcdef", std::nullopt);
  EXPECT_TRUE(s.Matches("abcdef"));
  EXPECT_FALSE(s.Matches("abcdeg"));
  EXPECT_FALSE(s.Matches("abcde"));
  EXPECT_FALSE(s.Matches("abcdef "));
  EXPECT_FALSE(s.Matches(""));
  FlowState empty("", std::nullopt);
  EXPECT_FALSE(empty.Matches(""));
}

TEST(SsoFlowState, OneClaimWins) {
  FlowState s("x", std::nullopt);
  EXPECT_FALSE(s.Claim(Answerer::kNone));
  EXPECT_TRUE(s.Claim(Answerer::kTerminal));
  EXPECT_FALSE(s.Claim(Answerer::kBrowser));
  EXPECT_FALSE(s.Claim(Answerer::kTimeout));
  EXPECT_EQ(s.claimed_by(), Answerer::kTerminal);

  FlowState race("y", std::nullopt);
  std::atomic<int> wins{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      if (race.Claim(Answerer::kBrowser)) ++wins;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(wins.load(), 1);
}

TEST(SsoFlowState, RequestIdIsConsumedOnce) {
  FlowState saml("s", std::string("_req-1"));
  EXPECT_EQ(saml.ConsumeRequestId(), std::optional<std::string>("_req-1"));
  EXPECT_EQ(saml.ConsumeRequestId(), std::nullopt);
  FlowState passcode("s", std::nullopt);
  EXPECT_EQ(passcode.ConsumeRequestId(), std::nullopt);
}

}  // namespace
}  // namespace ssocli::sso
