// The server certificate (with its chain) and private key for HTTPS, checked before the socket is
// opened so that a bad file is a clear usage error rather than a failed handshake later.
#pragma once

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <memory>
#include <string>
#include <vector>

#include "core/status.h"

namespace ssocli {

class TlsCredentials {
 public:
  // `cert_file`: PEM, the server certificate first, then any intermediates. `key_file`: its
  // unencrypted PEM private key. Errors are kUsage, naming the file and what is wrong.
  static Result<TlsCredentials> Load(const std::string& cert_file, const std::string& key_file);

  // Installs the credentials in `ctx` (TLS 1.2 or later). Returns false on failure.
  bool Install(SSL_CTX* ctx) const;

 private:
  std::shared_ptr<X509> cert_;
  std::vector<std::shared_ptr<X509>> chain_;
  std::shared_ptr<EVP_PKEY> key_;
};

}  // namespace ssocli
