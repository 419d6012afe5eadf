#include "zone/tls_credentials.h"

#include <openssl/err.h>
#include <openssl/pem.h>

#include "core/openssl_handles.h"

namespace ssocli {
namespace {

std::shared_ptr<X509> ReadCert(BIO* bio) {
  X509* cert = PEM_read_bio_X509(bio, nullptr, NoPassphrase, nullptr);
  if (cert == nullptr) return nullptr;
  return std::shared_ptr<X509>(cert, X509_free);
}

}  // namespace

Result<TlsCredentials> TlsCredentials::Load(const std::string& cert_file, const std::string& key_file) {
  TlsCredentials creds;
  BioPtr cert_bio(BIO_new_file(cert_file.c_str(), "r"));
  if (!cert_bio) {
    ERR_clear_error();
    return Status::Error(ErrorKind::kUsage, "cannot read --tls-cert " + cert_file);
  }
  creds.cert_ = ReadCert(cert_bio.get());
  if (!creds.cert_) {
    ERR_clear_error();
    return Status::Error(ErrorKind::kUsage, "--tls-cert " + cert_file + ": no PEM certificate in it");
  }
  while (auto extra = ReadCert(cert_bio.get())) creds.chain_.push_back(std::move(extra));
  ERR_clear_error();  // the loop ends on "no more certificates"

  BioPtr key_bio(BIO_new_file(key_file.c_str(), "r"));
  if (!key_bio) {
    ERR_clear_error();
    return Status::Error(ErrorKind::kUsage, "cannot read --tls-key " + key_file);
  }
  EVP_PKEY* key = PEM_read_bio_PrivateKey(key_bio.get(), nullptr, NoPassphrase, nullptr);
  if (key == nullptr) {
    ERR_clear_error();
    return Status::Error(ErrorKind::kUsage, "--tls-key " + key_file + ": not an unencrypted PEM private key");
  }
  creds.key_ = std::shared_ptr<EVP_PKEY>(key, EVP_PKEY_free);
  if (X509_check_private_key(creds.cert_.get(), creds.key_.get()) != 1) {
    ERR_clear_error();
    return Status::Error(ErrorKind::kUsage,
                         "--tls-key " + key_file + " does not match --tls-cert " + cert_file);
  }
  return creds;
}

bool TlsCredentials::Install(SSL_CTX* ctx) const {
  SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_SESSION_RESUMPTION_ON_RENEGOTIATION);
  if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1) return false;
  if (SSL_CTX_use_certificate(ctx, cert_.get()) != 1) return false;
  for (const auto& extra : chain_) {
    if (SSL_CTX_add1_chain_cert(ctx, extra.get()) != 1) return false;
  }
  if (SSL_CTX_use_PrivateKey(ctx, key_.get()) != 1) return false;
  return SSL_CTX_check_private_key(ctx) == 1;
}

}  // namespace ssocli
