// Shared by the zone tests: a settable clock, one signing key per test binary, an in-process zone
// with an HTTP client, and small decoding helpers.
#pragma once

#include <httplib.h>

#include <atomic>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "core/clock.h"
#include "zone/jwt_signer.h"
#include "zone/user_directory.h"
#include "zone/zone_config.h"
#include "zone/zone_server.h"

namespace ssocli::testing {

// A clock tests move while server threads read it.
class TestClock final : public Clock {
 public:
  explicit TestClock(int64_t now = 1700000000) : now_(now) {}
  int64_t Now() const override { return now_.load(); }
  void Set(int64_t now) { now_.store(now); }
  void Advance(int64_t seconds) { now_.fetch_add(seconds); }

 private:
  std::atomic<int64_t> now_;
};

// RSA key generation takes a while: the tests of one binary share a key.
std::shared_ptr<const JwtSigner> SharedTestSigner();

// The test IdP's key and certificate as PEM files (--idp-key, --idp-cert), made once per test binary:
// RSA key generation takes a while.
struct IdpKeyFiles {
  std::string key_path;
  std::string cert_path;
  std::string cert_pem;
};
const IdpKeyFiles& SharedIdpKeyFiles();

// The test CA directory (made by tests/pki/make-test-pki.sh; made here when the fixture did not run).
std::string TestPkiDir();

// A zone on 127.0.0.1, port 0, with test hooks, started in this process.
class Zone {
 public:
  explicit Zone(ZoneConfig config = DefaultConfig(), UserDirectory users = UserDirectory::Defaults(),
                std::unique_ptr<SamlBearerValidator> saml = nullptr);
  static ZoneConfig DefaultConfig();
  // DefaultConfig() with the shared IdP key files.
  static ZoneConfig IdpConfig(bool saml_zone = true);

  ZoneServer& server() { return *server_; }
  TestClock& clock() { return clock_; }
  const std::string& url() const { return server_->base_url(); }
  // A client of this zone (TLS zones: trusting the test CA).
  std::unique_ptr<httplib::Client> Client() const;

  // POST a form to `path` (may hold a query string) with optional Basic client credentials.
  httplib::Result PostForm(const std::string& path, const std::string& form,
                           const std::string& basic = "edgecli:edgeclisecret",
                           const httplib::Headers& extra = {});
  // A password grant for a default user.
  nlohmann::ordered_json PasswordToken(const std::string& user = "demo@example.com",
                                       const std::string& password = "demo-password");
  // The body of POST /__test/<hook>.
  std::string Hook(const std::string& hook, const std::string& form);

 private:
  TestClock clock_;
  ZoneConfig config_;
  std::unique_ptr<ZoneServer> server_;
};

// Sends `request` verbatim to 127.0.0.1:`port` and returns everything read back until the server
// closes (for requests an HTTP client library would "fix", e.g. without an Accept header).
// `half_close`: end the request stream right away, so that a truncated request ends there instead of
// at the server's read timeout (httplib then drops the connection without answering).
std::string RawHttp(int port, const std::string& request, bool half_close = false);

// The claims (or the header, segment 0) of a JWT, parsed without verification.
nlohmann::ordered_json JwtPart(const std::string& jwt, int segment);
std::string BasicHeader(const std::string& id_colon_secret);
// The object keys in document order.
std::vector<std::string> Keys(const nlohmann::ordered_json& object);

}  // namespace ssocli::testing
