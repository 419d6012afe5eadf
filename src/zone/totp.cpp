#include "zone/totp.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cctype>
#include <cstdio>

namespace ssocli {
namespace {

constexpr int64_t kStepSeconds = 30;

std::string CodeForCounter(std::string_view key, uint64_t counter) {
  unsigned char msg[8];
  for (int i = 7; i >= 0; --i) {
    msg[i] = static_cast<unsigned char>(counter & 0xff);
    counter >>= 8;
  }
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  if (HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()), msg, sizeof(msg), mac, &mac_len) ==
          nullptr ||
      mac_len < 20) {
    return {};
  }
  int offset = mac[mac_len - 1] & 0x0f;
  uint32_t binary = (static_cast<uint32_t>(mac[offset] & 0x7f) << 24) |
                    (static_cast<uint32_t>(mac[offset + 1]) << 16) |
                    (static_cast<uint32_t>(mac[offset + 2]) << 8) | mac[offset + 3];
  char out[8];
  std::snprintf(out, sizeof(out), "%06u", binary % 1000000u);
  return out;
}

int64_t StepOf(int64_t unix_time) {
  // Floor division, so times before 1970 do not land in step 0 twice.
  return unix_time >= 0 ? unix_time / kStepSeconds : -((-unix_time + kStepSeconds - 1) / kStepSeconds);
}

}  // namespace

std::optional<std::string> Base32Decode(std::string_view text) {
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '=' || c == '-') continue;
    int value;
    char u = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (u >= 'A' && u <= 'Z') {
      value = u - 'A';
    } else if (u >= '2' && u <= '7') {
      value = u - '2' + 26;
    } else {
      return std::nullopt;
    }
    buffer = (buffer << 5) | static_cast<uint32_t>(value);
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xff);
    }
  }
  if (out.empty()) return std::nullopt;
  return out;
}

std::string TotpCode(std::string_view key, int64_t unix_time) {
  return CodeForCounter(key, static_cast<uint64_t>(StepOf(unix_time)));
}

bool VerifyTotp(std::string_view key, std::string_view code, int64_t now) {
  if (code.size() != 6) return false;
  bool match = false;
  for (int64_t delta = -1; delta <= 1; ++delta) {
    std::string expected = TotpCode(key, now + delta * kStepSeconds);
    // Compare all three without stopping early: timing tells nothing about which step matched.
    if (expected.size() == code.size() && CRYPTO_memcmp(expected.data(), code.data(), code.size()) == 0) {
      match = true;
    }
  }
  return match;
}

}  // namespace ssocli
