#include "zone/http_reply.h"

namespace ssocli {
namespace {

// Inside a quoted-string of a header: no quotes, backslashes or control characters.
std::string HeaderQuoted(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (c == '"' || c == '\\' || c < 0x20 || c == 0x7f) continue;
    out += static_cast<char>(c);
  }
  return out;
}

}  // namespace

std::string DumpJson(const nlohmann::ordered_json& value) {
  return value.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

HttpReply JsonReply(int status, const nlohmann::ordered_json& value) {
  HttpReply reply;
  reply.status = status;
  reply.content_type = kJsonUtf8;
  reply.body = DumpJson(value);
  return reply;
}

HttpReply OAuthErrorReply(int status, const std::string& error, const std::string& description) {
  nlohmann::ordered_json body;
  body["error"] = error;
  body["error_description"] = description;
  HttpReply reply = JsonReply(status, body);
  reply.WithHeader("Cache-Control", "no-store").WithHeader("Pragma", "no-cache");
  if (status == 401) {
    reply.WithHeader("WWW-Authenticate", "Basic realm=\"UAA/client\", error=\"" + HeaderQuoted(error) +
                                             "\", error_description=\"" + HeaderQuoted(description) + "\"");
  }
  return reply;
}

}  // namespace ssocli
