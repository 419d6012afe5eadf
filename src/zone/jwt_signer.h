// The zone's token signing key: RS256 JWTs, their verification, and the JWKS at /token_keys.
#pragma once

#include <openssl/evp.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/openssl_handles.h"
#include "core/status.h"

namespace ssocli {

class JwtSigner {
 public:
  // A fresh RSA key (UAA's default is 2048 bits).
  static Result<JwtSigner> Generate(int bits = 2048);
  // An RSA private key in PEM (PKCS#1 or PKCS#8, not encrypted). Errors are kUsage.
  static Result<JwtSigner> FromPem(std::string_view pem);
  static Result<JwtSigner> FromPemFile(const std::string& path);

  // "<header>.<claims>.<signature>" with the header {"alg":"RS256","jku":jku,"kid":kid(),"typ":"JWT"}.
  // Claims keep their order.
  std::string Sign(const nlohmann::ordered_json& claims, const std::string& jku) const;

  // Checks the shape (three base64url segments of JSON objects), `alg` = RS256, `kid` (when present)
  // and the signature. Returns the claims; never throws, whatever the input. Says nothing about
  // `exp` or `iss`: callers decide what a valid token means for them.
  Result<nlohmann::json> Verify(std::string_view token) const;

  // Derived from the public key, so a restarted server with the same key keeps the same kid.
  const std::string& kid() const { return kid_; }
  // {"kty","e","use","kid","alg","value","n"} as UAA's /token_keys lists a key.
  nlohmann::ordered_json Jwk() const;
  // SubjectPublicKeyInfo PEM (what a JWK's `value` holds).
  const std::string& public_pem() const { return public_pem_; }

 private:
  JwtSigner() = default;
  static Result<JwtSigner> FromKey(EvpPkeyPtr key);

  std::shared_ptr<EVP_PKEY> key_;  // shared: EVP_PKEY is safe for concurrent sign/verify
  std::string kid_;
  std::string public_pem_;
  std::string n_b64_;
  std::string e_b64_;
};

}  // namespace ssocli
