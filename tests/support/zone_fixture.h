// A real `ssocli zone serve` (the staged install) over TLS with the test CA, for integration tests,
// plus typed access to its test hooks (docs/zone-server.md).
#pragma once

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/process.h"

namespace ssocli::testing {

class ZoneServer {
 public:
  // Starts the server with --port 0 --test-hooks, TLS unless `tls` is false, plus `extra_args`.
  // Fails the current test (and returns nullptr) when it does not come up.
  static std::unique_ptr<ZoneServer> Start(const std::vector<std::string>& extra_args = {}, bool tls = true);
  ~ZoneServer();

  const std::string& url() const { return url_; }
  static std::string CaFile();  // the test CA certificate (PEM)

  // Test hooks.
  std::string MintPasscode(const std::string& user);
  std::string MintToken(const std::string& user, long lifetime, std::optional<long> iat = std::nullopt);
  void Revoke(const std::string& user);
  nlohmann::json Requests();  // every request received so far (excluding hooks)
  std::vector<nlohmann::json> RequestsTo(const std::string& path_prefix);
  void ClearRequests();
  void Fault(const std::map<std::string, std::string>& params);
  void ClearFaults();

  // A plain request to the server, for assertions (returns status and body).
  std::pair<long, std::string> Get(const std::string& path, const std::vector<std::string>& headers = {});

 private:
  std::pair<long, std::string> Call(const std::string& method, const std::string& path,
                                    const std::map<std::string, std::string>& form);
  std::unique_ptr<Background> process_;
  std::string url_;
};

}  // namespace ssocli::testing
