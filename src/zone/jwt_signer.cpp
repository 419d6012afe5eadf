#include "zone/jwt_signer.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <vector>

#include "core/base64.h"

namespace ssocli {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;


std::string BnToBase64Url(const BIGNUM* bn) {
  std::string bytes(static_cast<size_t>(BN_num_bytes(bn)), '\0');
  BN_bn2bin(bn, reinterpret_cast<unsigned char*>(bytes.data()));
  return Base64UrlEncode(bytes);
}

Result<BnPtr> RsaParam(const EVP_PKEY* key, const char* name) {
  BIGNUM* bn = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &bn) != 1) {
    return Status::Error(ErrorKind::kInternal, "cannot read the RSA key");
  }
  return BnPtr(bn);
}

std::string DumpCompact(const ordered_json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace

Result<JwtSigner> JwtSigner::Generate(int bits) {
  EVP_PKEY* key = EVP_RSA_gen(static_cast<unsigned int>(bits));
  if (key == nullptr) return Status::Error(ErrorKind::kInternal, "cannot generate an RSA key");
  return FromKey(EvpPkeyPtr(key));
}

Result<JwtSigner> JwtSigner::FromPem(std::string_view pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return Status::Error(ErrorKind::kInternal, "out of memory");
  EvpPkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, NoPassphrase, nullptr));
  if (!key) return Status::Error(ErrorKind::kUsage, "not an unencrypted PEM private key");
  if (EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_RSA) {
    return Status::Error(ErrorKind::kUsage, "not an RSA key (RS256 needs RSA)");
  }
  if (EVP_PKEY_get_bits(key.get()) < 2048) {
    return Status::Error(ErrorKind::kUsage, "RSA key shorter than 2048 bits");
  }
  return FromKey(std::move(key));
}

Result<JwtSigner> JwtSigner::FromPemFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Error(ErrorKind::kUsage, "cannot read signing key " + path);
  std::ostringstream text;
  text << in.rdbuf();
  auto signer = FromPem(text.str());
  if (!signer.ok()) {
    return Status::Error(signer.status().kind(), "signing key " + path + ": " + signer.status().message());
  }
  return signer;
}

Result<JwtSigner> JwtSigner::FromKey(EvpPkeyPtr key) {
  JwtSigner signer;
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), key.get()) != 1) {
    return Status::Error(ErrorKind::kInternal, "cannot encode the public key");
  }
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  signer.public_pem_.assign(data, static_cast<size_t>(len));
  while (!signer.public_pem_.empty() && signer.public_pem_.back() == '\n') signer.public_pem_.pop_back();

  auto n = RsaParam(key.get(), OSSL_PKEY_PARAM_RSA_N);
  auto e = RsaParam(key.get(), OSSL_PKEY_PARAM_RSA_E);
  if (!n.ok()) return n.status();
  if (!e.ok()) return e.status();
  signer.n_b64_ = BnToBase64Url(n->get());
  signer.e_b64_ = BnToBase64Url(e->get());

  // kid: a short digest of the public key (DER), as stable as the key itself.
  unsigned char* der = nullptr;
  int der_len = i2d_PUBKEY(key.get(), &der);
  if (der_len <= 0) return Status::Error(ErrorKind::kInternal, "cannot encode the public key");
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_len = 0;
  EVP_Digest(der, static_cast<size_t>(der_len), digest, &digest_len, EVP_sha256(), nullptr);
  OPENSSL_free(der);
  signer.kid_ = "zone-" + Base64UrlEncode(std::string_view(reinterpret_cast<char*>(digest), 9));

  signer.key_ = std::shared_ptr<EVP_PKEY>(key.release(), OpenSslFree());
  return signer;
}

std::string JwtSigner::Sign(const ordered_json& claims, const std::string& jku) const {
  ordered_json header;
  header["alg"] = "RS256";
  header["jku"] = jku;
  header["kid"] = kid_;
  header["typ"] = "JWT";
  std::string input = Base64UrlEncode(DumpCompact(header)) + "." + Base64UrlEncode(DumpCompact(claims));

  MdCtxPtr ctx(EVP_MD_CTX_new());
  size_t sig_len = 0;
  std::vector<unsigned char> sig;
  if (ctx && EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key_.get()) == 1 &&
      EVP_DigestSign(ctx.get(), nullptr, &sig_len, reinterpret_cast<const unsigned char*>(input.data()),
                     input.size()) == 1) {
    sig.resize(sig_len);
    if (EVP_DigestSign(ctx.get(), sig.data(), &sig_len, reinterpret_cast<const unsigned char*>(input.data()),
                       input.size()) == 1) {
      sig.resize(sig_len);
      return input + "." + Base64UrlEncode(std::string_view(reinterpret_cast<char*>(sig.data()), sig.size()));
    }
  }
  // Signing with a key that loaded fine only fails when memory is exhausted: nothing to recover.
  std::abort();
}

Result<json> JwtSigner::Verify(std::string_view token) const {
  auto invalid = [](const char* why) { return Status::Error(ErrorKind::kNoToken, why); };
  size_t dot1 = token.find('.');
  size_t dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos) {
    return invalid("not a JWT (three segments expected)");
  }
  auto header_text = Base64UrlDecode(token.substr(0, dot1));
  auto claims_text = Base64UrlDecode(token.substr(dot1 + 1, dot2 - dot1 - 1));
  auto signature = Base64UrlDecode(token.substr(dot2 + 1));
  if (!header_text || !claims_text || !signature) return invalid("JWT segment is not base64url");
  json header = json::parse(*header_text, nullptr, false);
  if (!header.is_object()) return invalid("JWT header is not a JSON object");
  auto alg = header.find("alg");
  if (alg == header.end() || !alg->is_string() || alg->get<std::string>() != "RS256") {
    return invalid("JWT is not signed with RS256");
  }
  if (auto kid = header.find("kid");
      kid != header.end() && (!kid->is_string() || kid->get<std::string>() != kid_)) {
    return invalid("JWT signed with an unknown key");
  }
  MdCtxPtr ctx(EVP_MD_CTX_new());
  std::string_view input = token.substr(0, dot2);
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key_.get()) != 1 ||
      EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature->data()),
                       signature->size(), reinterpret_cast<const unsigned char*>(input.data()),
                       input.size()) != 1) {
    ERR_clear_error();  // a forged token is an answer, not an OpenSSL failure to report later
    return invalid("JWT signature does not verify");
  }
  json claims = json::parse(*claims_text, nullptr, false);
  if (!claims.is_object()) return invalid("JWT claims are not a JSON object");
  return claims;
}

ordered_json JwtSigner::Jwk() const {
  ordered_json jwk;
  jwk["kty"] = "RSA";
  jwk["e"] = e_b64_;
  jwk["use"] = "sig";
  jwk["kid"] = kid_;
  jwk["alg"] = "RS256";
  jwk["value"] = public_pem_;
  jwk["n"] = n_b64_;
  return jwk;
}

}  // namespace ssocli
