// The local login server: a UAA-like zone over HTTP or HTTPS (see docs/zone-server.md and
// shared/spec/uaa.md), run in background threads of the calling process.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/status.h"
#include "zone/jwt_signer.h"
#include "zone/saml_bearer.h"
#include "zone/user_directory.h"
#include "zone/zone_config.h"

namespace ssocli {

// Largest request body accepted (413 beyond): forms here are a few hundred bytes, SAML assertions
// a few KiB.
inline constexpr size_t kZoneMaxBodyBytes = 64 * 1024;

class ZoneServer {
 public:
  // One line per request, without secrets: method, path (no query string), status.
  using LogSink = std::function<void(std::string_view line)>;

  // `config` should have passed ValidateZoneConfig. `clock` must outlive the server.
  ZoneServer(ZoneConfig config, UserDirectory users, std::shared_ptr<const JwtSigner> signer,
             const Clock* clock);
  ~ZoneServer();  // Stop()s
  ZoneServer(const ZoneServer&) = delete;
  ZoneServer& operator=(const ZoneServer&) = delete;

  // Before Start(): where request log lines go (default: nowhere).
  void set_log_sink(LogSink sink);
  // Before Start(): the saml2-bearer grant's assertion check (default: a SamlAssertionBearerValidator
  // trusting the built-in test IdP and the --trust-idp-metadata IdPs).
  void set_saml_bearer_validator(std::unique_ptr<SamlBearerValidator> validator);

  // Loads the TLS files, binds the socket and serves from background threads. When it returns OK,
  // connections are accepted and base_url() is known. Errors: kUsage for unusable TLS files,
  // kConnection when the address cannot be listened on (port busy, not a local address).
  // REQUIRES: called at most once.
  Status Start();

  // Stops accepting, ends injected delays, finishes requests in flight, joins the threads.
  // Idempotent.
  void Stop();

  // "http://127.0.0.1:40123" once started.
  const std::string& base_url() const;
  int port() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ssocli
