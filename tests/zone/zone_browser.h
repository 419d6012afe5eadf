// A browser as far as the zone's pages need one, over httplib: a cookie jar (host-wide as browsers keep
// them, path-scoped, Max-Age=0 deletes) and the HTML bits a browser would act on (forms, hidden
// inputs). Redirects are followed by the tests, one step at a time, so each step can be checked.
#pragma once

#include <httplib.h>

#include <map>
#include <optional>
#include <regex>
#include <string>

#include "core/base64.h"
#include "core/url.h"
#include "saml/assertion_export.h"
#include "saml/saml_xml.h"

namespace ssocli::testing {

struct Cookie {
  std::string value;
  std::string path = "/";
  std::string set_cookie;  // the whole Set-Cookie value, for checking its attributes
};

class CookieJar {
 public:
  void Store(const httplib::Headers& headers) {
    auto range = headers.equal_range("Set-Cookie");
    for (auto it = range.first; it != range.second; ++it) {
      const std::string& line = it->second;
      size_t eq = line.find('=');
      size_t semi = line.find(';');
      std::string name = line.substr(0, eq);
      Cookie c;
      c.value = line.substr(eq + 1, semi == std::string::npos ? std::string::npos : semi - eq - 1);
      c.set_cookie = line;
      std::smatch m;
      if (std::regex_search(line, m, std::regex("; Path=([^;]*)"))) c.path = m[1];
      if (line.find("; Max-Age=0") != std::string::npos) {
        cookies_.erase(name);
      } else {
        cookies_[name] = c;
      }
    }
  }
  std::string HeaderFor(const std::string& path) const {
    std::string out;
    for (const auto& [name, c] : cookies_) {
      if (path.rfind(c.path, 0) != 0) continue;
      out += (out.empty() ? "" : "; ") + name + "=" + c.value;
    }
    return out;
  }
  std::optional<Cookie> Get(const std::string& name) const {
    auto it = cookies_.find(name);
    if (it == cookies_.end()) return std::nullopt;
    return it->second;
  }
  void Clear() { cookies_.clear(); }

 private:
  std::map<std::string, Cookie> cookies_;
};

class TestBrowser {
 public:
  // `origin`: where relative URLs go, e.g. the zone's base URL.
  explicit TestBrowser(std::string origin) : origin_(std::move(origin)) {}

  httplib::Result Get(const std::string& url, const std::string& accept = "text/html") {
    auto [origin, path] = Split(url);
    httplib::Client client(origin);
    client.set_read_timeout(20, 0);
    httplib::Headers headers = Headers(path, accept);
    auto res = client.Get(path.c_str(), headers);
    if (res) jar.Store(res->headers);
    return res;
  }
  httplib::Result Post(const std::string& url, const std::string& form) {
    auto [origin, path] = Split(url);
    httplib::Client client(origin);
    client.set_read_timeout(20, 0);
    auto res =
        client.Post(path.c_str(), Headers(path, "text/html"), form, "application/x-www-form-urlencoded");
    if (res) jar.Store(res->headers);
    return res;
  }

  CookieJar jar;

 private:
  std::pair<std::string, std::string> Split(const std::string& url) const {
    if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) return {origin_, url};
    size_t slash = url.find('/', url.find("://") + 3);
    if (slash == std::string::npos) return {url, "/"};
    return {url.substr(0, slash), url.substr(slash)};
  }
  httplib::Headers Headers(const std::string& path, const std::string& accept) const {
    httplib::Headers headers = {{"Accept", accept}};
    std::string cookies = jar.HeaderFor(path.substr(0, path.find('?')));
    if (!cookies.empty()) headers.emplace("Cookie", cookies);
    return headers;
  }

  std::string origin_;
};

// Attribute values as the pages escape them, back to text.
inline std::string UnescapeHtml(std::string text) {
  static const std::pair<const char*, const char*> kEntities[] = {
      {"&lt;", "<"},  {"&gt;", ">"},   {"&quot;", "\""}, {"&#39;", "'"},
      {"&#9;", "\t"}, {"&#10;", "\n"}, {"&#13;", "\r"},  {"&amp;", "&"}};
  for (const auto& [entity, ch] : kEntities) {
    for (size_t at = text.find(entity); at != std::string::npos; at = text.find(entity, at + 1)) {
      text.replace(at, std::string(entity).size(), ch);
    }
  }
  return text;
}

// name -> value of every <input type="hidden" name=".." value="..">.
inline std::map<std::string, std::string> HiddenInputs(const std::string& html) {
  std::map<std::string, std::string> out;
  std::regex re(R"re(<input type="hidden" name="([^"]*)" value="([^"]*)">)re");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), re); it != std::sregex_iterator(); ++it) {
    out[UnescapeHtml((*it)[1])] = UnescapeHtml((*it)[2]);
  }
  return out;
}

// The action of the page's <form method="post" action="..">; empty when there is none.
inline std::string FormAction(const std::string& html) {
  std::smatch m;
  if (!std::regex_search(html, m, std::regex(R"re(<form method="post" action="([^"]*)">)re"))) return "";
  return UnescapeHtml(m[1]);
}

// A query parameter of a URL, decoded.
inline std::string QueryParam(const std::string& url, const std::string& name) {
  size_t q = url.find('?');
  if (q == std::string::npos) return "";
  std::string rest = url.substr(q + 1);
  for (size_t pos = 0; pos <= rest.size();) {
    size_t amp = rest.find('&', pos);
    std::string pair = rest.substr(pos, amp == std::string::npos ? std::string::npos : amp - pos);
    size_t eq = pair.find('=');
    if (pair.substr(0, eq) == name) return PercentDecode(pair.substr(eq + 1), true);
    if (amp == std::string::npos) break;
    pos = amp + 1;
  }
  return "";
}

// The saml2-bearer `assertion` value of a SAMLResponse form value: its Assertion cut out as get_token
// does it, whatever it holds (so that tests can send broken ones too).
inline std::string BearerOf(const std::string& saml_response) {
  auto xml = Base64Decode(saml_response);
  if (!xml) return "";
  auto doc = saml::ParseUntrustedXml(*xml, "test response");
  if (!doc.ok()) return "";
  auto assertions = saml::ChildElements(xmlDocGetRootElement(doc->get()), saml::kNsAssertion, "Assertion");
  if (assertions.size() != 1) return "";
  auto exported = saml::ExportAssertion(assertions[0]);
  return exported.ok() ? saml::BearerAssertionParameter(*exported) : "";
}

// An attribute of the first element `local` in a SAMLResponse form value (e.g. the Recipient).
inline std::string ResponseAttribute(const std::string& saml_response, const char* local,
                                     const char* attribute) {
  auto xml = Base64Decode(saml_response);
  if (!xml) return "";
  std::smatch m;
  std::regex re(std::string("<[a-z0-9]*:?") + local + "[^>]* " + attribute + "=\"([^\"]*)\"");
  if (!std::regex_search(*xml, m, re)) return "";
  return UnescapeHtml(m[1]);
}

}  // namespace ssocli::testing
