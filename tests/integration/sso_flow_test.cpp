// get_token --sso against the zone server and its test IdP, the browser played over HTTP.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "integration/sso_fixture.h"

namespace ssocli::testing {
namespace {

// Whether something accepts TCP connections on addr:port.
bool Listening(const std::string& addr, int port) {
  int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  ::inet_pton(AF_INET, addr.c_str(), &a.sin_addr);
  bool ok = ::connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  ::close(s);
  return ok;
}
int PortOf(const std::string& url) {
  std::smatch m;
  std::regex_search(url, m, std::regex(R"re(127\.0\.0\.1:([0-9]+))re"));
  return std::stoi(m[1]);
}

TEST_F(SsoTest, SamlHappyPath) {
  std::string url;
  auto run = StartSso(SamlArgs(), &url);
  ASSERT_FALSE(url.empty());
  EXPECT_THAT(url, HasSubstr("state="));
  Form acs = SignInAtTheIdp(url, "frank@corp.example.com", "frank-pw");
  EXPECT_EQ(acs.action, Origin(url) + "/saml/acs");
  EXPECT_EQ(acs.fields["RelayState"], QueryParam(url, "state"));
  Page done = PostAcs(url, acs.fields["SAMLResponse"], acs.fields["RelayState"]);
  EXPECT_EQ(done.status, 200) << done.body;
  auto r = run->Wait(30000);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, AccessTokenOf(ReadFile(TokenFile("frank@corp.example.com"))) + "\n");
  auto grants = zone_->RequestsTo("/oauth/token/alias/" + SpEntityId());
  ASSERT_EQ(grants.size(), 1u);
  EXPECT_THAT(grants[0]["body"].get<std::string>(),
              HasSubstr("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Asaml2-bearer&assertion="));
  EXPECT_EQ(grants[0]["headers"]["Authorization"], "Basic ZWRnZWNsaTplZGdlY2xpc2VjcmV0");
  EXPECT_FALSE(Listening("127.0.0.1", PortOf(url))) << "the listener must close after success";

  // The next run reuses the cached token: no listener, no URL, no browser.
  auto again = GetToken({"--sso", "--idp-metadata", metadata_, "--sp-entity-id", SpEntityId()});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.out, r.out);
  EXPECT_THAT(again.err, Not(HasSubstr("Open this URL")));
}

TEST_F(SsoTest, WrongRelayStateIsRefusedAndTheFlowGoesOn) {
  std::string url;
  auto run = StartSso(SamlArgs(), &url);
  Form acs = SignInAtTheIdp(url, "frank@corp.example.com", "frank-pw");
  Page wrong = PostAcs(url, acs.fields["SAMLResponse"], "not-the-state");
  EXPECT_GE(wrong.status, 400);
  EXPECT_LT(wrong.status, 500);
  Page missing = Http("POST", Origin(url) + "/saml/acs", FormBody({{"SAMLResponse", acs.fields["SAMLResponse"]}}),
                      {"Content-Type: application/x-www-form-urlencoded"});
  EXPECT_GE(missing.status, 400);
  EXPECT_EQ(TokenRequests(), 0u);
  Page right = PostAcs(url, acs.fields["SAMLResponse"], acs.fields["RelayState"]);
  EXPECT_EQ(right.status, 200) << right.body;
  EXPECT_EQ(run->Wait(30000).exit_code, 0);
}

struct Rejection {
  const char* name;
  std::map<std::string, std::string> overrides;
  const char* reason;  // in get_token's stderr
};

class SsoRejectionTest : public SsoTest, public ::testing::WithParamInterface<Rejection> {};

void PrintTo(const Rejection& r, std::ostream* os) { *os << r.name; }

TEST_P(SsoRejectionTest, IsExit24AndNothingReachesTheLoginServer) {
  std::string url;
  auto run = StartSso(SamlArgs(), &url);
  std::string id = AuthnRequestId(url);
  auto overrides = GetParam().overrides;
  if (overrides.count("in_response_to") && overrides["in_response_to"] == "<other>") overrides["in_response_to"] = "_other";
  std::string response = MintResponse(url, id, overrides);
  Page page = PostAcs(url, response, QueryParam(url, "state"));
  EXPECT_GE(page.status, 400) << page.body;
  auto r = run->Wait(30000);
  EXPECT_EQ(r.exit_code, 24) << r.err;
  EXPECT_THAT(r.err, HasSubstr(GetParam().reason));
  EXPECT_EQ(TokenRequests(), 0u) << "nothing may be sent to the login server";
  EXPECT_EQ(r.out, "");
  EXPECT_FALSE(fs::exists(CacheRoot() + "/" + Base64Encode(zone_->url()) + "/" +
                          TokenFileName("frank@corp.example.com")));
}

INSTANTIATE_TEST_SUITE_P(
    Responses, SsoRejectionTest,
    ::testing::Values(Rejection{"forged", {{"key", "attacker"}}, "signature"},
                      Rejection{"unsigned", {{"sign", "none"}}, "sign"},
                      Rejection{"expired", {{"lifetime", "-600"}}, "expired"},
                      Rejection{"wrong_audience", {{"audience", "someone-else"}}, "Audience"},
                      Rejection{"wrong_recipient", {{"recipient", "https://elsewhere.example/acs"}}, "Recipient"},
                      Rejection{"other_request", {{"in_response_to", "<other>"}}, "replayed"},
                      Rejection{"other_issuer", {{"issuer", "https://evil.example/idp"}}, "Issuer"}),
    [](const ::testing::TestParamInfo<Rejection>& p) { return std::string(p.param.name); });

TEST_F(SsoTest, RecipientIsTheAcsUrlIsExplainedWithTheFix) {
  std::string url;
  auto run = StartSso(SamlArgs(), &url);
  std::string response = MintResponse(url, AuthnRequestId(url), {{"recipient", Origin(url) + "/saml/acs"}});
  PostAcs(url, response, QueryParam(url, "state"));
  auto r = run->Wait(30000);
  EXPECT_EQ(r.exit_code, 24);
  EXPECT_THAT(r.err, HasSubstr(AliasUrl())) << "the message must name the Recipient to configure";
}

TEST_F(SsoTest, ReplayOfAConsumedResponseIsRejected) {
  std::string url;
  auto first = StartSso(SamlArgs(), &url);
  Form acs = SignInAtTheIdp(url, "frank@corp.example.com", "frank-pw");
  ASSERT_EQ(PostAcs(url, acs.fields["SAMLResponse"], acs.fields["RelayState"]).status, 200);
  ASSERT_EQ(first->Wait(30000).exit_code, 0);
  fs::remove_all(CacheRoot());
  size_t before = TokenRequests();

  // A second flow receives the first flow's response (with the new state): it answers another request.
  std::string url2;
  auto second = StartSso(SamlArgs(), &url2);
  Page page = PostAcs(url2, acs.fields["SAMLResponse"], QueryParam(url2, "state"));
  EXPECT_GE(page.status, 400);
  auto r = second->Wait(30000);
  EXPECT_EQ(r.exit_code, 24) << r.err;
  EXPECT_EQ(TokenRequests(), before);
}

TEST_F(SsoTest, HostHeaderAttackIsRefusedAndTheFlowGoesOn) {
  std::string url;
  auto run = StartSso(SamlArgs(), &url);
  std::string port = std::to_string(PortOf(url));
  for (const std::string& host : std::vector<std::string>{"evil.example:" + port, "evil.example", "127.0.0.1:1", ""}) {
    Page p = Http("GET", url, "", {"Host: " + host});
    EXPECT_GE(p.status, 400) << "Host: " << host;
    EXPECT_LT(p.status, 500) << "Host: " << host;
    EXPECT_TRUE(p.location.empty()) << "redirected to the IdP for Host: " << host;
  }
  // localhost:PORT is fine.
  Page ok = Http("GET", url, "", {"Host: localhost:" + port});
  EXPECT_EQ(ok.status, 302);
  Form acs = SignInAtTheIdp(url, "frank@corp.example.com", "frank-pw");
  EXPECT_EQ(PostAcs(url, acs.fields["SAMLResponse"], acs.fields["RelayState"]).status, 200);
  EXPECT_EQ(run->Wait(30000).exit_code, 0);
}

TEST_F(SsoTest, WrongStateOrMethodOnTheStartUrl) {
  std::string url;
  auto run = StartSso(SamlArgs(), &url);
  EXPECT_GE(Http("GET", Origin(url) + "/?state=wrong").status, 400);
  EXPECT_GE(Http("GET", Origin(url) + "/").status, 400);
  EXPECT_GE(Http("DELETE", url).status, 400);
  EXPECT_EQ(Http("GET", Origin(url) + "/favicon.ico").status, 404);
  EXPECT_EQ(Http("GET", url).status, 302) << "still waiting";
  run->Stop(SIGINT);
}

TEST_F(SsoTest, TimeoutIsExit23) {
  std::string url;
  auto args = SamlArgs();
  args.back() = "2";  // --sso-timeout 2
  auto start = std::chrono::steady_clock::now();
  auto run = StartSso(args, &url);
  auto r = run->Wait(30000);
  EXPECT_EQ(r.exit_code, 23) << r.err;
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(15));
  EXPECT_FALSE(Listening("127.0.0.1", PortOf(url)));
}

TEST_F(SsoTest, BusyPortIsExit23) {
  int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  ::listen(s, 1);
  socklen_t len = sizeof a;
  ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
  auto args = SamlArgs();
  args.insert(args.end(), {"--port", std::to_string(ntohs(a.sin_port))});
  auto r = GetToken(args);
  ::close(s);
  EXPECT_EQ(r.exit_code, 23) << r.err;
  EXPECT_THAT(r.err, HasSubstr("--port"));
}

TEST_F(SsoTest, ListensOnLoopbackOnly) {
  std::string url;
  auto run = StartSso(SamlArgs(), &url);
  int port = PortOf(url);
  EXPECT_TRUE(Listening("127.0.0.1", port));
  EXPECT_FALSE(Listening("127.0.0.2", port)) << "bound to more than 127.0.0.1";
  run->Stop(SIGINT);
}

TEST_F(SsoTest, NonInteractiveNeverStartsAFlow) {
  auto args = SamlArgs();
  args.push_back("--non-interactive");
  auto r = GetToken(args);
  EXPECT_EQ(r.exit_code, 12) << r.err;
  EXPECT_THAT(r.err, Not(HasSubstr("Open this URL")));
}

TEST_F(SsoTest, UsageErrors) {
  EXPECT_EQ(GetToken({"--sso", "--idp-metadata", "/nonexistent.xml"}).exit_code, 10);
  // An IP-address login URL gives no zone name to derive the SP entity ID from.
  auto r = GetToken({"--sso", "--idp-metadata", metadata_});
  EXPECT_EQ(r.exit_code, 10) << r.err;
  EXPECT_THAT(r.err, HasSubstr("--sp-entity-id"));
  EXPECT_EQ(GetToken({"--sso", "--port", "70000"}).exit_code, 10);
}

// Passcode mode: no IdP metadata; the start page links to the zone's passcode page.
TEST_F(SsoTest, PasscodeThroughTheStartPageForm) {
  std::string url;
  auto run = StartSso({"--sso", "--no-browser", "--sso-timeout", "60"}, &url);
  Page start = Http("GET", url);
  ASSERT_EQ(start.status, 200) << start.body;
  EXPECT_THAT(start.body, HasSubstr("href=\"" + zone_->url() + "/passcode\""));
  Form form = ParseForm(start.body);
  EXPECT_EQ(form.action, "/passcode");
  EXPECT_EQ(form.fields["state"], QueryParam(url, "state"));
  ASSERT_TRUE(form.fields.count("passcode"));
  std::string code = zone_->MintPasscode("frank@corp.example.com");
  // A wrong state first: refused, the flow goes on.
  EXPECT_GE(Http("POST", Origin(url) + "/passcode", FormBody({{"passcode", code}, {"state", "x"}}),
                 {"Content-Type: application/x-www-form-urlencoded"}).status, 400);
  form.fields["passcode"] = code;
  Page done = Http("POST", Origin(url) + "/passcode", FormBody(form.fields),
                   {"Content-Type: application/x-www-form-urlencoded"});
  EXPECT_EQ(done.status, 200) << done.body;
  auto r = run->Wait(30000);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, AccessTokenOf(ReadFile(TokenFile("frank@corp.example.com"))) + "\n");
  EXPECT_EQ(zone_->RequestsTo("/oauth/token")[0]["body"],
            "grant_type=password&passcode=" + code + "&response_type=token");
}

TEST_F(SsoTest, PasscodeTypedAtTheTerminal) {
  std::string url;
  auto run = StartSso({"--sso", "--no-browser", "--sso-timeout", "60"}, &url, {}, /*keep_stdin=*/true);
  std::string code = zone_->MintPasscode("frank@corp.example.com");
  run->WriteStdin(code + "\n");
  auto r = run->Wait(30000);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, AccessTokenOf(ReadFile(TokenFile("frank@corp.example.com"))) + "\n");
  EXPECT_FALSE(Listening("127.0.0.1", PortOf(url)));
}

TEST_F(SsoTest, RefusedPasscodeIsShownAndExit22) {
  std::string url;
  auto run = StartSso({"--sso", "--no-browser", "--sso-timeout", "60"}, &url);
  Page done = Http("POST", Origin(url) + "/passcode", FormBody({{"passcode", "unknown123"}, {"state", QueryParam(url, "state")}}),
                   {"Content-Type: application/x-www-form-urlencoded"});
  EXPECT_THAT(done.body, HasSubstr("Invalid passcode"));
  auto r = run->Wait(30000);
  EXPECT_EQ(r.exit_code, 22) << r.err;
}

TEST_F(SsoTest, TheBrowserCommandGetsTheUrl) {
  std::string record = scratch_.path() + "/browser-args";
  std::string script = scratch_.path() + "/browser.sh";
  WriteFile(script, "#!/bin/sh\nprintf '%s\\n' \"$@\" > " + record + "\n");
  ::chmod(script.c_str(), 0755);
  ProcessSpec spec = Spec({"--sso", "--browser", script + " --new-window %s", "--sso-timeout", "60"});
  Background run(spec);
  std::string args;
  for (int i = 0; i < 300 && args.find('\n') == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    args = ReadFile(record);
  }
  std::istringstream lines(args);
  std::string first, url;
  std::getline(lines, first);
  std::getline(lines, url);
  EXPECT_EQ(first, "--new-window");
  EXPECT_EQ(url.rfind("http://127.0.0.1:", 0), 0u) << args;
  EXPECT_THAT(run.DrainStderr(), Not(HasSubstr("Open this URL"))) << "a launched browser needs no URL line";
  std::string code = zone_->MintPasscode("frank@corp.example.com");
  Page done = Http("POST", Origin(url) + "/passcode", FormBody({{"passcode", code}, {"state", QueryParam(url, "state")}}),
                   {"Content-Type: application/x-www-form-urlencoded"});
  EXPECT_EQ(done.status, 200);
  EXPECT_EQ(run.Wait(30000).exit_code, 0);
}

TEST_F(SsoTest, RemoteSessionGetsTheUrlAndAnSshHint) {
  std::string url;
  auto run = StartSso({"--sso", "--sso-timeout", "60"}, &url,
                      {{"SSH_CONNECTION", "10.0.0.9 50000 10.0.0.1 22"}, {"DISPLAY", ":0"}});
  ASSERT_FALSE(url.empty()) << "remote sessions must get the URL, not a local browser";
  std::string err = run->DrainStderr();
  EXPECT_THAT(err, HasSubstr("ssh -L " + std::to_string(PortOf(url)) + ":127.0.0.1:" + std::to_string(PortOf(url))));
  run->Stop(SIGINT);
}

TEST_F(SsoTest, AcurlSignsInThroughTheBrowserToo) {
  std::string url;
  ProcessSpec spec = Spec({"--sso", "--no-browser", "--sso-timeout", "60", "-s", zone_->url() + "/v1/o/acme"});
  spec.argv[0] = StagedBin("acurl");
  Background run(spec);
  std::smatch m;
  std::string err;
  for (int i = 0; i < 300 && url.empty(); ++i) {
    err = run.DrainStderr();
    if (std::regex_search(err, m, std::regex(R"re(Open this URL: (http://[^\s]+))re"))) url = m[1];
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_FALSE(url.empty()) << err;
  std::string code = zone_->MintPasscode("frank@corp.example.com");
  Http("POST", Origin(url) + "/passcode", FormBody({{"passcode", code}, {"state", QueryParam(url, "state")}}),
       {"Content-Type: application/x-www-form-urlencoded"});
  auto r = run.Wait(30000);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("\"createdBy\":\"frank@corp.example.com\""));
}

}  // namespace
}  // namespace ssocli::testing

namespace ssocli::testing {
namespace {

// Interop: an independent IdP implementation (python3-pysaml2), configured as an IdP admin would
// configure one for the CLI (Recipient = the token alias URL), trusted by the zone.
class Pysaml2SsoTest : public SsoTest {
 protected:
  std::vector<std::string> ZoneArgs() override {
    key_ = scratch_.path() + "/pysaml2-idp.key";
    cert_ = scratch_.path() + "/pysaml2-idp.pem";
    pysaml2_metadata_ = scratch_.path() + "/pysaml2-idp-metadata.xml";
    ProcessSpec gen;
    gen.argv = {"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=pysaml2 test IdP",
                "-keyout", key_, "-out", cert_};
    gen.env = BaseEnv();
    auto r = RunProcess(gen);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    saml::IdpConfig idp;
    idp.entity_id = kIdpEntityId;
    idp.sso_redirect_url = "https://pysaml2.idp.test/sso/redirect";
    idp.signing_certificates = saml::ParsePemCertificates(ReadFile(cert_)).value();
    WriteFile(pysaml2_metadata_, saml::BuildIdpMetadata(idp).value());
    return {"--saml-zone", "--trust-idp-metadata", pysaml2_metadata_};
  }

  static constexpr char kIdpEntityId[] = "https://pysaml2.idp.test/metadata";
  std::string key_, cert_, pysaml2_metadata_;
};

TEST_F(Pysaml2SsoTest, AcceptsAnAssertionFromPysaml2) {
  SSOCLI_REQUIRE(::access("/usr/bin/python3", X_OK) == 0, "/usr/bin/python3 is missing");
  std::string url;
  auto run = StartSso({"--sso", "--no-browser", "--idp-metadata", pysaml2_metadata_, "--sp-entity-id", SpEntityId(),
                       "--sso-timeout", "60"},
                      &url);
  ASSERT_FALSE(url.empty());
  Page start = Http("GET", url);
  ASSERT_EQ(start.status, 302);
  EXPECT_EQ(start.location.rfind("https://pysaml2.idp.test/sso/redirect?", 0), 0u) << start.location;
  std::string request_id = AuthnRequestId(url);

  ProcessSpec idp;
  idp.argv = {"/usr/bin/python3", std::string(SSOCLI_SOURCE_DIR) + "/tests/saml/interop/pysaml2_idp.py",
              "--key", key_, "--cert", cert_, "--idp-entity-id", kIdpEntityId, "--sp-entity-id", SpEntityId(),
              "--acs-url", Origin(url) + "/saml/acs", "--in-response-to", request_id, "--recipient", AliasUrl(),
              "--name-id", "frank@corp.example.com"};
  idp.env = BaseEnv();
  auto made = RunProcess(idp);
  ASSERT_EQ(made.exit_code, 0) << "pysaml2 IdP failed (python3-pysaml2 installed?): " << made.err;
  ASSERT_THAT(made.out, HasSubstr("Response"));

  Page done = PostAcs(url, Base64Encode(made.out), QueryParam(url, "state"));
  EXPECT_EQ(done.status, 200) << done.body;
  auto r = run->Wait(30000);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, AccessTokenOf(ReadFile(TokenFile("frank@corp.example.com"))) + "\n");
  EXPECT_EQ(zone_->RequestsTo("/oauth/token/alias/" + SpEntityId()).size(), 1u);
}

TEST_F(Pysaml2SsoTest, PysamlDefaultRecipientIsRefusedWithTheFix) {
  // pysaml2 left at its default puts the ACS URL as Recipient: the misconfiguration saml.md describes.
  std::string url;
  auto run = StartSso({"--sso", "--no-browser", "--idp-metadata", pysaml2_metadata_, "--sp-entity-id", SpEntityId(),
                       "--sso-timeout", "60"},
                      &url);
  std::string request_id = AuthnRequestId(url);
  ProcessSpec idp;
  idp.argv = {"/usr/bin/python3", std::string(SSOCLI_SOURCE_DIR) + "/tests/saml/interop/pysaml2_idp.py",
              "--key", key_, "--cert", cert_, "--idp-entity-id", kIdpEntityId, "--sp-entity-id", SpEntityId(),
              "--acs-url", Origin(url) + "/saml/acs", "--in-response-to", request_id, "--name-id", "frank@corp.example.com"};
  idp.env = BaseEnv();
  auto made = RunProcess(idp);
  ASSERT_EQ(made.exit_code, 0) << made.err;
  PostAcs(url, Base64Encode(made.out), QueryParam(url, "state"));
  auto r = run->Wait(30000);
  EXPECT_EQ(r.exit_code, 24) << r.err;
  EXPECT_THAT(r.err, HasSubstr(AliasUrl()));
  EXPECT_TRUE(zone_->RequestsTo("/oauth/token").empty());
}

}  // namespace
}  // namespace ssocli::testing
