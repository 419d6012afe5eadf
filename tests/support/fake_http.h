// A scripted HttpClient for unit tests of the protocol and token logic: records what is sent and
// answers from a queue. Integration tests use the real libcurl client against the zone server.
#pragma once

#include <deque>
#include <string>
#include <vector>

#include "core/base64.h"
#include "net/http_client.h"

namespace ssocli::testing {

class ScriptedHttp final : public HttpClient {
 public:
  Result<HttpResponse> Send(const HttpRequest& request) override {
    sent.push_back(request);
    if (replies.empty()) return Status::Error(ErrorKind::kConnection, "no scripted reply");
    Result<HttpResponse> r = replies.front();
    replies.pop_front();
    return r;
  }
  void Reply(long status, std::string body, std::string content_type = "application/json") {
    HttpResponse r;
    r.status = status;
    r.body = std::move(body);
    r.content_type = std::move(content_type);
    replies.push_back(r);
  }
  void Fail(ErrorKind kind, std::string message) { replies.push_back(Status::Error(kind, std::move(message))); }

  std::vector<HttpRequest> sent;
  std::deque<Result<HttpResponse>> replies;
};

// A JWT with the given payload and a dummy signature (clients never verify it).
inline std::string FakeJwt(const std::string& payload_json) {
  return Base64UrlEncode(R"({"alg":"RS256","typ":"JWT"})") + "." + Base64UrlEncode(payload_json) + ".c2ln";
}

inline std::string TokenBody(const std::string& user, long iat, long exp, const std::string& refresh = "rt") {
  std::string jwt = FakeJwt(R"({"user_name":")" + user + R"(","scope":["scim.me","openid"],"iat":)" +
                            std::to_string(iat) + R"(,"exp":)" + std::to_string(exp) + "}");
  return R"({"access_token":")" + jwt + R"(","token_type":"bearer","refresh_token":")" + refresh +
         R"(","expires_in":)" + std::to_string(exp - iat - 1) + R"(,"scope":"scim.me openid","jti":"j"})";
}

}  // namespace ssocli::testing
