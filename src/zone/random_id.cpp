#include "zone/random_id.h"

#include <openssl/rand.h>

#include <cstdlib>
#include <vector>

namespace ssocli {
namespace {

// A server that cannot get randomness must not hand out guessable tokens: there is no safe fallback.
void FillRandom(unsigned char* out, size_t n) {
  if (RAND_bytes(out, static_cast<int>(n)) != 1) std::abort();
}

}  // namespace

std::string RandomHex(size_t n) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::vector<unsigned char> bytes((n + 1) / 2);
  FillRandom(bytes.data(), bytes.size());
  std::string out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    unsigned char b = bytes[i / 2];
    out += kHex[(i % 2 == 0) ? (b >> 4) : (b & 15)];
  }
  return out;
}

std::string RandomAlphanumeric(size_t n) {
  static constexpr char kAlphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  std::string out;
  out.reserve(n);
  while (out.size() < n) {
    unsigned char buf[64];
    FillRandom(buf, sizeof(buf));
    for (unsigned char b : buf) {
      // 62 * 4 = 248: rejecting bytes >= 248 keeps every character equally likely.
      if (b < 248 && out.size() < n) out += kAlphabet[b % 62];
    }
  }
  return out;
}

}  // namespace ssocli
