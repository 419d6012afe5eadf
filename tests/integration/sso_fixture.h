// Playing the browser for get_token --sso over HTTP: start get_token with --no-browser (or a
// recording --browser command), read the URL it prints, and talk to its loopback listener and to the
// zone server's test IdP the way a browser would.
#pragma once

#include <regex>
#include <thread>

#include "core/base64.h"
#include "core/url.h"
#include "integration/get_token_fixture.h"
#include "net/http_client.h"
#include "saml/authn_request.h"
#include "saml/idp_metadata.h"

namespace ssocli::testing {

struct Page {
  long status = 0;
  std::string body;
  std::string location;  // for redirects
};

// One HTTP exchange without following redirects (plain HTTP to the listener, TLS to the zone).
inline Page Http(const std::string& method, const std::string& url, const std::string& body = "",
                 std::vector<std::string> headers = {}) {
  ProcessSpec spec;
  spec.argv = {"curl", "-s", "-o", "-", "-D", "/dev/stderr", "-X", method, "--cacert", ZoneServer::CaFile(),
               "--max-time", "20"};
  for (const auto& h : headers) spec.argv.insert(spec.argv.end(), {"-H", h});
  if (!body.empty()) spec.argv.insert(spec.argv.end(), {"--data-binary", "@-"});
  spec.argv.push_back(url);
  spec.env = BaseEnv();
  if (!body.empty()) spec.stdin_data = body;
  auto r = RunProcess(spec);
  Page p;
  p.body = r.out;
  std::smatch m;
  if (std::regex_search(r.err, m, std::regex(R"re(HTTP/[0-9.]+ ([0-9]{3}))re"))) p.status = std::stol(m[1]);
  if (std::regex_search(r.err, m, std::regex(R"re((?:^|\n)[Ll]ocation: ([^\r\n]+))re"))) p.location = m[1];
  if (r.exit_code != 0 && p.status == 0) p.status = -r.exit_code;  // curl's error (7: refused)
  return p;
}

inline std::string QueryParam(const std::string& url, const std::string& name) {
  std::smatch m;
  if (std::regex_search(url, m, std::regex("[?&]" + name + "=([^&#]*)"))) return PercentDecode(m[1].str(), true);
  return "";
}

// name -> value of every <input> in the first <form> of `html`, and its action.
struct Form {
  std::string action;
  std::map<std::string, std::string> fields;
};
inline std::string HtmlUnescape(std::string s) {
  for (auto [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"&quot;", "\""}, {"&#39;", "'"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&#9;", "\t"}, {"&#10;", "\n"},
           {"&#13;", "\r"}, {"&amp;", "&"}}) {
    for (size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size())) s.replace(p, from.size(), to);
  }
  return s;
}
inline Form ParseForm(const std::string& html) {
  Form f;
  std::smatch m;
  if (std::regex_search(html, m, std::regex(R"re(<form[^>]*action="([^"]*)")re"))) f.action = HtmlUnescape(m[1]);
  std::regex input(R"re(<input([^>]*)>)re");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), input); it != std::sregex_iterator(); ++it) {
    std::string attrs = (*it)[1];
    std::smatch n, v;
    if (!std::regex_search(attrs, n, std::regex(R"re(name="([^"]*)")re"))) continue;
    std::string value;
    if (std::regex_search(attrs, v, std::regex(R"re(value="([^"]*)")re"))) value = HtmlUnescape(v[1]);
    f.fields[n[1]] = value;
  }
  return f;
}

inline std::string FormBody(const std::map<std::string, std::string>& fields) {
  FormFields ff(fields.begin(), fields.end());
  return FormEncode(ff);
}

class SsoTest : public GetTokenTest {
 protected:
  std::vector<std::string> ZoneArgs() override { return {"--saml-zone"}; }

  void SetUp() override {
    GetTokenTest::SetUp();
    if (HasFatalFailure()) return;
    metadata_ = scratch_.path() + "/idp-metadata.xml";
    Page md = Http("GET", zone_->url() + "/idp/metadata");
    ASSERT_EQ(md.status, 200) << md.body;
    WriteFile(metadata_, md.body);
  }

  std::string SpEntityId() const { return "zone.apigee-saml-login"; }
  std::string AliasUrl() const { return zone_->url() + "/oauth/token/alias/" + SpEntityId(); }

  // get_token --sso in the background; returns the URL it prints for the user to open.
  std::unique_ptr<Background> StartSso(const std::vector<std::string>& args, std::string* url,
                                       const std::map<std::string, std::string>& env = {}, bool keep_stdin = false) {
    ProcessSpec spec = Spec(args, std::nullopt, env);
    spec.keep_stdin_open = keep_stdin;
    auto run = std::make_unique<Background>(spec);
    std::smatch m;
    std::string err;
    for (int i = 0; i < 300; ++i) {
      err = run->DrainStderr();
      if (std::regex_search(err, m, std::regex(R"re(Open this URL: (http://127\.0\.0\.1:[0-9]+/[^\s]*))re"))) {
        *url = m[1];
        return run;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ADD_FAILURE() << "get_token printed no URL:\n" << err;
    return run;
  }
  std::vector<std::string> SamlArgs() const {
    return {"--sso", "--no-browser", "--idp-metadata", metadata_, "--sp-entity-id", SpEntityId(), "--sso-timeout", "60"};
  }
  static std::string Origin(const std::string& url) {
    std::smatch m;
    std::regex_search(url, m, std::regex(R"re(^(http://127\.0\.0\.1:[0-9]+))re"));
    return m[1];
  }

  // Follows the listener's redirect to the zone's IdP, signs in there and returns the auto-post form
  // (action = the listener's ACS, SAMLResponse, RelayState) without posting it.
  Form SignInAtTheIdp(const std::string& url, const std::string& user, const std::string& password) {
    Page start = Http("GET", url);
    EXPECT_EQ(start.status, 302) << start.body;
    EXPECT_EQ(start.location.rfind(zone_->url() + "/idp/sso?", 0), 0u) << start.location;
    Page login = Http("GET", start.location);
    EXPECT_EQ(login.status, 200) << login.body;
    Form form = ParseForm(login.body);
    form.fields["username"] = user;
    form.fields["password"] = password;
    Page posted = Http("POST", zone_->url() + form.action, FormBody(form.fields),
                       {"Content-Type: application/x-www-form-urlencoded"});
    EXPECT_EQ(posted.status, 200) << posted.body;
    return ParseForm(posted.body);
  }

  // The ID of the AuthnRequest the listener sends to the IdP (from its redirect).
  std::string AuthnRequestId(const std::string& url) {
    Page start = Http("GET", url);
    std::string deflated = Base64Decode(QueryParam(start.location, "SAMLRequest")).value_or("");
    auto xml = saml::RawInflate(deflated, 1 << 20);
    std::smatch m;
    std::string text = xml.ok() ? *xml : "";
    EXPECT_TRUE(std::regex_search(text, m, std::regex(R"re( ID="([^"]+)")re"))) << text;
    return m[1];
  }

  // A Response minted by the zone's test hook for this flow, with `overrides`.
  std::string MintResponse(const std::string& url, const std::string& request_id,
                           std::map<std::string, std::string> overrides = {}) {
    std::map<std::string, std::string> form = {{"acs", Origin(url) + "/saml/acs"},
                                               {"in_response_to", request_id},
                                               {"relay_state", QueryParam(url, "state")},
                                               {"user", "frank@corp.example.com"},
                                               {"audience", SpEntityId()},
                                               {"recipient", AliasUrl()}};
    for (const auto& [k, v] : overrides) form[k] = v;
    Page p = Http("POST", zone_->url() + "/__test/saml-response", FormBody(form),
                  {"Content-Type: application/x-www-form-urlencoded"});
    EXPECT_EQ(p.status, 200) << p.body;
    while (!p.body.empty() && (p.body.back() == '\n' || p.body.back() == '\r')) p.body.pop_back();
    return p.body;
  }

  Page PostAcs(const std::string& url, const std::string& saml_response, const std::string& relay_state) {
    return Http("POST", Origin(url) + "/saml/acs", FormBody({{"SAMLResponse", saml_response}, {"RelayState", relay_state}}),
                {"Content-Type: application/x-www-form-urlencoded"});
  }

  size_t TokenRequests() { return zone_->RequestsTo("/oauth/token").size(); }

  std::string metadata_;
};

}  // namespace ssocli::testing
