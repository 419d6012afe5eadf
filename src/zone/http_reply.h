// An HTTP answer as the zone's endpoints compute it, independent of the HTTP server library, so
// the endpoints can be tested without sockets.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace ssocli {

inline constexpr char kJsonUtf8[] = "application/json;charset=UTF-8";

struct HttpReply {
  int status = 200;
  std::string content_type;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;

  HttpReply& WithHeader(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }
};

// Compact JSON. Invalid UTF-8 coming from a request (echoed in a message) is replaced, never thrown.
std::string DumpJson(const nlohmann::ordered_json& value);

HttpReply JsonReply(int status, const nlohmann::ordered_json& value);

// {"error":..,"error_description":..} with UAA's no-store headers; 401s also get
// `WWW-Authenticate: Basic realm="UAA/client", error="..", error_description=".."`.
HttpReply OAuthErrorReply(int status, const std::string& error, const std::string& description);

}  // namespace ssocli
