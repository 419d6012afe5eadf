#include "sso/flow_state.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <array>

#include "core/base64.h"

namespace ssocli::sso {

Result<std::string> NewFlowState() {
  std::array<unsigned char, 32> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    return Status::Error(ErrorKind::kInternal, "cannot get random bytes for the sign-in state from OpenSSL");
  }
  std::string state =
      Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
  OPENSSL_cleanse(bytes.data(), bytes.size());
  return state;
}

FlowState::FlowState(std::string state, std::optional<std::string> request_id)
    : state_(std::move(state)), request_id_(std::move(request_id)) {}

bool FlowState::Matches(std::string_view candidate) const {
  // The length is no secret (always 43); the bytes are.
  return !state_.empty() && candidate.size() == state_.size() &&
         CRYPTO_memcmp(candidate.data(), state_.data(), state_.size()) == 0;
}

bool FlowState::Claim(Answerer who) {
  std::lock_guard<std::mutex> lock(mu_);
  if (claimed_by_ != Answerer::kNone || who == Answerer::kNone) return false;
  claimed_by_ = who;
  return true;
}

Answerer FlowState::claimed_by() const {
  std::lock_guard<std::mutex> lock(mu_);
  return claimed_by_;
}

std::optional<std::string> FlowState::ConsumeRequestId() {
  std::lock_guard<std::mutex> lock(mu_);
  std::optional<std::string> id = std::move(request_id_);
  request_id_.reset();
  return id;
}

}  // namespace ssocli::sso
