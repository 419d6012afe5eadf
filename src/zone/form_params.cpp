#include "zone/form_params.h"

#include <cctype>

#include "core/base64.h"

namespace ssocli {
namespace {

bool StartsWithNoCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) !=
        std::tolower(static_cast<unsigned char>(prefix[i]))) {
      return false;
    }
  }
  return true;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The credentials after "<scheme> ", or nullopt when the header has another scheme.
std::optional<std::string_view> AfterScheme(std::string_view header, std::string_view scheme) {
  header = Trim(header);
  if (header.size() <= scheme.size() || !StartsWithNoCase(header, scheme) || header[scheme.size()] != ' ') {
    return std::nullopt;
  }
  return Trim(header.substr(scheme.size() + 1));
}

}  // namespace

FormFields ParseUrlEncoded(std::string_view text) {
  FormFields fields;
  while (!text.empty()) {
    size_t amp = text.find('&');
    std::string_view pair = text.substr(0, amp);
    text = amp == std::string_view::npos ? std::string_view() : text.substr(amp + 1);
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    std::string_view key = pair.substr(0, eq);
    std::string_view value = eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
    fields.emplace_back(PercentDecode(key, true), PercentDecode(value, true));
  }
  return fields;
}

RequestParams RequestParams::FromRequest(std::string_view target, std::string_view content_type,
                                         std::string_view body) {
  FormFields fields;
  size_t q = target.find('?');
  if (q != std::string_view::npos) {
    std::string_view query = target.substr(q + 1);
    query = query.substr(0, query.find('#'));
    fields = ParseUrlEncoded(query);
  }
  if (StartsWithNoCase(Trim(content_type), "application/x-www-form-urlencoded")) {
    FormFields form = ParseUrlEncoded(body);
    fields.insert(fields.end(), form.begin(), form.end());
  }
  return RequestParams(std::move(fields));
}

const std::string* RequestParams::Find(std::string_view name) const {
  for (const auto& [key, value] : fields_) {
    if (key == name) return &value;
  }
  return nullptr;
}

std::string RequestParams::Get(std::string_view name) const {
  const std::string* value = Find(name);
  return value ? *value : std::string();
}

std::optional<BasicCredentials> ParseBasicAuthorization(std::string_view header) {
  auto encoded = AfterScheme(header, "Basic");
  if (!encoded) return std::nullopt;
  auto decoded = Base64Decode(*encoded);
  if (!decoded) return std::nullopt;
  size_t colon = decoded->find(':');
  if (colon == std::string::npos) return std::nullopt;
  return BasicCredentials{decoded->substr(0, colon), decoded->substr(colon + 1)};
}

std::optional<std::string> ParseBearerAuthorization(std::string_view header) {
  auto token = AfterScheme(header, "Bearer");
  if (!token || token->empty()) return std::nullopt;
  return std::string(*token);
}

}  // namespace ssocli
