#include "token/token_file.h"

#include <nlohmann/json.hpp>

namespace ssocli {
namespace {

// The original's regex: "key":"([^"]+)".
std::string FindQuotedValue(std::string_view text, std::string_view key) {
  std::string needle = "\"" + std::string(key) + "\":\"";
  size_t pos = text.find(needle);
  if (pos == std::string_view::npos) return {};
  size_t start = pos + needle.size();
  size_t end = text.find('"', start);
  if (end == std::string_view::npos || end == start) return {};
  return std::string(text.substr(start, end - start));
}

std::string StringField(const nlohmann::ordered_json& j, const char* key) {
  auto it = j.find(key);
  return (it != j.end() && it->is_string()) ? it->get<std::string>() : std::string();
}

}  // namespace

bool IsCompactJson(std::string_view json) {
  bool in_string = false;
  bool escaped = false;
  for (char c : json) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      return false;
    }
  }
  return !in_string;
}

std::optional<CachedToken> ParseTokenFile(std::string_view bytes) {
  CachedToken token;
  size_t open = bytes.find('{');
  size_t close = bytes.rfind('}');
  if (open != std::string_view::npos && close != std::string_view::npos && close > open) {
    std::string_view json_text = bytes.substr(open, close - open + 1);
    auto j = nlohmann::ordered_json::parse(json_text, nullptr, /*allow_exceptions=*/false);
    if (j.is_object()) {
      token.access_token = StringField(j, "access_token");
      token.refresh_token = StringField(j, "refresh_token");
      token.scope = StringField(j, "scope");
      token.token_type = StringField(j, "token_type");
      if (auto it = j.find("expires_in"); it != j.end() && it->is_number()) {
        token.expires_in = it->get<int64_t>();
      }
      token.body = std::string(json_text);
    }
  }
  if (token.access_token.empty()) {
    token.access_token = FindQuotedValue(bytes, "access_token");
    if (token.refresh_token.empty()) token.refresh_token = FindQuotedValue(bytes, "refresh_token");
  }
  if (token.access_token.empty()) return std::nullopt;
  return token;
}

Result<std::string> TokenFileBytes(std::string_view body) {
  auto j = nlohmann::ordered_json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) {
    return Status::Error(ErrorKind::kNoToken, "the login server's reply is not a JSON object");
  }
  if (IsCompactJson(body)) return std::string(body) + "\n";
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace ssocli
