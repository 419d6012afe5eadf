// Unguessable identifiers (token ids, refresh tokens, passcodes) from the OpenSSL CSPRNG.
#pragma once

#include <cstddef>
#include <string>

namespace ssocli {

// `n` lowercase hex digits.
std::string RandomHex(size_t n);

// `n` characters of [0-9A-Za-z], uniformly distributed (no modulo bias).
std::string RandomAlphanumeric(size_t n);

}  // namespace ssocli
