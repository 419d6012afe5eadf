#include "core/url.h"

#include <cctype>

namespace ssocli {
namespace {

bool IsUnreserved(unsigned char c) {
  return std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  }
  return true;
}

// The part after "scheme://", or npos when the URL is not http(s).
size_t AuthorityStart(std::string_view url) {
  if (StartsWithNoCase(url, "https://")) return 8;
  if (StartsWithNoCase(url, "http://")) return 7;
  return std::string_view::npos;
}

}  // namespace

std::string PercentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size() * 3);
  for (unsigned char c : text) {
    if (IsUnreserved(c)) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string PercentDecode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%' && i + 2 < text.size()) {
      int hi = HexValue(text[i + 1]);
      int lo = HexValue(text[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += (plus_is_space && c == '+') ? ' ' : c;
  }
  return out;
}

std::string FormEncode(const FormFields& fields) {
  std::string out;
  for (const auto& [key, value] : fields) {
    if (!out.empty()) out += '&';
    out += PercentEncode(key);
    out += '=';
    out += PercentEncode(value);
  }
  return out;
}

Status ValidateLoginUrl(std::string_view url) {
  if (url.empty()) {
    return Status::Error(ErrorKind::kLoginUrl, "SSO_LOGIN_URL is set but empty",
                         "unset it for https://login.apigee.com, or set it to your zone, e.g. "
                         "https://ZONE.login.apigee.com");
  }
  size_t start = AuthorityStart(url);
  if (start == std::string_view::npos) {
    return Status::Error(ErrorKind::kLoginUrl, "SSO_LOGIN_URL is not an http:// or https:// URL",
                         "set it to your zone, e.g. https://ZONE.login.apigee.com");
  }
  for (unsigned char c : url) {
    if (c <= 0x20 || c == 0x7f) {
      return Status::Error(ErrorKind::kLoginUrl,
                           "SSO_LOGIN_URL contains a blank or control character");
    }
  }
  if (url.find('?') != std::string_view::npos || url.find('#') != std::string_view::npos) {
    return Status::Error(ErrorKind::kLoginUrl, "SSO_LOGIN_URL must not carry a query or a fragment",
                         "set it to the zone's base URL only, e.g. https://ZONE.login.apigee.com");
  }
  if (UrlHost(url).empty()) {
    return Status::Error(ErrorKind::kLoginUrl, "SSO_LOGIN_URL has no host name");
  }
  return Status::Ok();
}

std::string UrlHost(std::string_view url) {
  size_t start = AuthorityStart(url);
  if (start == std::string_view::npos) return {};
  std::string_view rest = url.substr(start);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (size_t at = rest.rfind('@'); at != std::string_view::npos) rest = rest.substr(at + 1);
  if (!rest.empty() && rest.front() == '[') {
    size_t close = rest.find(']');
    return close == std::string_view::npos ? std::string() : std::string(rest.substr(0, close + 1));
  }
  return std::string(rest.substr(0, rest.find(':')));
}

}  // namespace ssocli
