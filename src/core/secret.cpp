#include "core/secret.h"

#include <cstring>

namespace ssocli {

void WipeString(std::string& s) {
  if (!s.empty()) ::explicit_bzero(s.data(), s.size());
  s.clear();
}

void WipeCString(char* s) {
  if (s == nullptr) return;
  size_t n = std::strlen(s);
  std::memset(s, 'x', n);
  // memset to a value that is later read cannot be elided; keep a barrier anyway.
  __asm__ __volatile__("" : : "r"(s) : "memory");
}

}  // namespace ssocli
