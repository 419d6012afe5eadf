// One browser sign-in's shared facts: the random state that ties the browser's requests to this flow,
// the outstanding SAML request ID, and the single answer the browser and the terminal race to give.
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace ssocli::sso {

// A fresh state: 32 bytes (256 bits) from OpenSSL's CSPRNG, base64url without padding (43 characters,
// safe in a URL and a form field unencoded). kInternal when the CSPRNG fails.
Result<std::string> NewFlowState();

// Who ended the wait for an answer.
enum class Answerer { kNone, kBrowser, kTerminal, kTimeout };

// Thread-safe: the listener's threads and the flow's thread share one.
class FlowState {
 public:
  // `request_id`: the AuthnRequest ID in SAML mode, nullopt in passcode mode.
  FlowState(std::string state, std::optional<std::string> request_id);
  FlowState(const FlowState&) = delete;
  FlowState& operator=(const FlowState&) = delete;

  const std::string& state() const { return state_; }

  // True when `candidate` is this flow's state (compared in constant time).
  bool Matches(std::string_view candidate) const;

  // The first caller wins and gets true; every later call gets false. A flow takes one answer: a
  // browser capture, a line typed at the terminal, or the timeout.
  bool Claim(Answerer who);
  Answerer claimed_by() const;

  // SAML mode: the outstanding request ID, handed out once (a response answers one request); nullopt
  // afterwards and in passcode mode.
  std::optional<std::string> ConsumeRequestId();

 private:
  const std::string state_;
  mutable std::mutex mu_;
  std::optional<std::string> request_id_;
  Answerer claimed_by_ = Answerer::kNone;
};

}  // namespace ssocli::sso
