// `ssocli saml verify` on the staged install: every fixture vector with the manifest's arguments, the
// JSON on stdout, one line on stderr, exit codes, the help, stdin and metadata input.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/base64.h"
#include "saml_test_util.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace ssocli::saml::testing {
namespace {

using ssocli::testing::ProcessResult;

ProcessResult Ssocli(std::vector<std::string> args, std::optional<std::string> stdin_data = std::nullopt) {
  ssocli::testing::ProcessSpec p;
  p.argv = {ssocli::testing::StagedBin("ssocli"), "saml", "verify"};
  p.argv.insert(p.argv.end(), args.begin(), args.end());
  p.env = ssocli::testing::BaseEnv();
  p.stdin_data = std::move(stdin_data);
  p.timeout_ms = 20000;
  return ssocli::testing::RunProcess(p);
}

// The manifest's command line for `v` ("leave out a flag whose manifest value is null").
std::vector<std::string> ArgsFor(const Vector& v, const std::string& file) {
  const auto& sp = v.j.at("sp");
  std::vector<std::string> a = {"--idp-cert",      v.Path("idp_cert"), "--audience",
                                sp.at("audience"), "--recipient",      sp.at("recipient")};
  for (const char* key : {"destination", "in_response_to", "issuer"}) {
    if (auto value = OptString(sp, key)) {
      std::string flag = std::string("--") + key;
      for (char& c : flag) c = c == '_' ? '-' : c;
      a.insert(a.end(), {flag, *value});
    }
  }
  a.insert(a.end(), {"--now", v.j.at("now"), "--skew", std::to_string(v.j.at("skew").get<int>())});
  if (v.j.value("allow_sha1", false)) a.push_back("--allow-sha1");
  a.push_back(file);
  return a;
}

size_t Lines(const std::string& s) {
  return static_cast<size_t>(std::count(s.begin(), s.end(), '\n'));
}

class CliFixtureTest : public ::testing::TestWithParam<Vector> {};

TEST_P(CliFixtureTest, VerdictAsInManifest) {
  const Vector& v = GetParam();
  ProcessResult r = Ssocli(ArgsFor(v, v.Path("file")));
  const bool accept = v.j.at("expected") == "accept";
  const bool either = v.j.value("either_safe", false);
  ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.exit_code << " " << r.err;
  if (r.exit_code == 1) {
    EXPECT_TRUE(!accept || either) << v.id << " rejected: " << r.err;
    EXPECT_TRUE(r.out.empty());
    EXPECT_EQ(Lines(r.err), 1u) << r.err;
    return;
  }
  ASSERT_TRUE(accept) << v.id << " accepted: " << r.out;
  EXPECT_EQ(Lines(r.out), 1u);
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j.at("name_id"), v.j.at("identity"));
  EXPECT_EQ(j.at("assertion_id"), v.j.at("assertion_id"));
  EXPECT_TRUE(j.at("issuer").is_string());
  EXPECT_TRUE(j.at("attributes").is_object());
  std::string noa = j.at("not_on_or_after");
  EXPECT_EQ(noa.back(), 'Z');
  EXPECT_EQ(j.size(), 5u) << r.out;
  EXPECT_TRUE(r.err.empty()) << r.err;
}

INSTANTIATE_TEST_SUITE_P(Saml, CliFixtureTest, ::testing::ValuesIn(LoadVectors()),
                         [](const ::testing::TestParamInfo<Vector>& p) { return TestName(p.param.id); });

Vector FindVector(const std::string& id) {
  for (const Vector& v : LoadVectors()) {
    if (v.id == id) return v;
  }
  throw std::runtime_error("no vector " + id);
}

TEST(SamlVerifyCli, OutputOfTheBaseline) {
  Vector v = FindVector("G01_valid_signed_assertion");
  ProcessResult r = Ssocli(ArgsFor(v, v.Path("file")));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "{\"name_id\":\"alice@example.invalid\",\"issuer\":\"https://idp.example.invalid/saml/metadata\","
            "\"assertion_id\":\"_assert-0001\",\"not_on_or_after\":\"2024-01-01T12:05:00Z\","
            "\"attributes\":{\"groups\":[\"users\"]}}\n");
}

TEST(SamlVerifyCli, StdinXmlWithBomAndBase64FormValue) {
  Vector v = FindVector("G01_valid_signed_assertion");
  std::string xml = ReadFile(v.Path("file"));
  EXPECT_EQ(Ssocli(ArgsFor(v, "-"), "\xEF\xBB\xBF \n" + xml).exit_code, 0);
  EXPECT_EQ(Ssocli(ArgsFor(v, "-"), Base64Encode(xml) + "\r\n").exit_code, 0);
  ProcessResult empty = Ssocli(ArgsFor(v, "-"), "");
  EXPECT_EQ(empty.exit_code, 1);
  EXPECT_NE(empty.err.find("empty"), std::string::npos) << empty.err;
  ProcessResult garbage = Ssocli(ArgsFor(v, "-"), "%%%not base64");
  EXPECT_EQ(garbage.exit_code, 1);
  EXPECT_NE(garbage.err.find("not base64"), std::string::npos) << garbage.err;
}

TEST(SamlVerifyCli, ReasonsAreOneActionableLine) {
  Vector v = FindVector("V01_wrong_audience");
  ProcessResult r = Ssocli(ArgsFor(v, v.Path("file")));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err,
            "ssocli saml verify: Audience is \"https://other-sp.example.invalid\", expected "
            "\"https://uaa.example.invalid/oauth/token\"; configure the IdP's Audience (SP entity ID) as "
            "\"https://uaa.example.invalid/oauth/token\"\n");
  Vector sha1 = FindVector("S09_rsa_sha1");
  r = Ssocli(ArgsFor(sha1, sha1.Path("file")));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("--allow-sha1"), std::string::npos) << r.err;
  Vector expired = FindVector("V08_conditions_expired");
  r = Ssocli(ArgsFor(expired, expired.Path("file")));
  EXPECT_NE(r.err.find("expired 61 minutes ago"), std::string::npos) << r.err;
}

TEST(SamlVerifyCli, MetadataGivesCertificatesAndTheDefaultIssuer) {
  ssocli::testing::TempDir dir;
  Vector v = FindVector("G01_valid_signed_assertion");
  auto der = ParsePemCertificates(ReadFile(v.Path("idp_cert")));
  ASSERT_TRUE(der.ok());
  auto metadata = [&](const std::string& entity_id) {
    std::string path = dir.path() + "/md-" + std::to_string(entity_id.size()) + ".xml";
    WriteFile(
        path,
        "<md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\" entityID=\"" + entity_id +
            "\"><md:IDPSSODescriptor protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:2.0:protocol\">"
            "<md:KeyDescriptor use=\"signing\"><ds:KeyInfo xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\">"
            "<ds:X509Data><ds:X509Certificate>" +
            Base64Encode(der->front()) +
            "</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>"
            "</md:IDPSSODescriptor></md:EntityDescriptor>");
    return path;
  };
  const auto& sp = v.j.at("sp");
  std::vector<std::string> base = {"--audience", sp.at("audience"), "--recipient", sp.at("recipient"),
                                   "--now",      v.j.at("now"),     v.Path("file")};
  auto with = [&](std::vector<std::string> extra) {
    extra.insert(extra.end(), base.begin(), base.end());
    return Ssocli(extra);
  };
  EXPECT_EQ(with({"--idp-metadata", metadata(sp.at("issuer"))}).exit_code, 0);
  ProcessResult other = with({"--idp-metadata", metadata("https://another-idp.test/")});
  EXPECT_EQ(other.exit_code, 1);
  EXPECT_NE(other.err.find("expected the IdP \"https://another-idp.test/\""), std::string::npos) << other.err;
  // --issuer overrides the metadata's entityID.
  EXPECT_EQ(
      with({"--idp-metadata", metadata("https://another-idp.test/"), "--issuer", sp.at("issuer")}).exit_code,
      0);
}

TEST(SamlVerifyCli, UsageErrorsExitTen) {
  Vector v = FindVector("G01_valid_signed_assertion");
  const std::string cert = v.Path("idp_cert");
  const std::string file = v.Path("file");
  const std::vector<std::vector<std::string>> cases = {
      {},
      {"--audience", "a", "--recipient", "r", file},  // no trust
      {"--idp-cert", cert, "--idp-metadata", cert, "--audience", "a", "--recipient", "r", file},
      {"--idp-cert", cert, "--recipient", "r", file},               // no audience
      {"--idp-cert", cert, "--audience", "a", file},                // no recipient
      {"--idp-cert", cert, "--audience", "a", "--recipient", "r"},  // no input
      {"--idp-cert", cert, "--audience", "a", "--recipient", "r", file, file},
      {"--idp-cert", cert, "--audience", "a", "--recipient", "r", "--bogus", file},
      {"--idp-cert", cert, "--audience", "a", "--recipient", "r", "--now", "yesterday", file},
      {"--idp-cert", cert, "--audience", "a", "--recipient", "r", "--skew", "-5", file},
      {"--idp-cert", cert, "--audience", "a", "--recipient", "r", "--skew", "99999", file},
      {"--idp-cert", cert, "--audience", "a", "--recipient", "r", "--skew"},
      {"--idp-cert", "/nonexistent.pem", "--audience", "a", "--recipient", "r", file},
      {"--idp-cert", file, "--audience", "a", "--recipient", "r", file},      // not PEM
      {"--idp-metadata", cert, "--audience", "a", "--recipient", "r", file},  // not metadata
      {"--idp-cert", cert, "--audience", "a", "--recipient", "r", "/nonexistent.xml"},
  };
  for (const auto& args : cases) {
    ProcessResult r = Ssocli(args);
    std::string shown;
    for (const auto& a : args) shown += a + " ";
    EXPECT_EQ(r.exit_code, 10) << shown << "\n" << r.err;
    EXPECT_TRUE(r.out.empty()) << shown;
    EXPECT_FALSE(r.err.empty()) << shown;
  }
  // --opt=value spelling works too.
  EXPECT_EQ(Ssocli({"--idp-cert=" + cert, "--audience=https://uaa.example.invalid/oauth/token",
                    "--recipient=http://127.0.0.1:8765/saml/acs", "--now=2024-01-01T12:01:00Z", file})
                .exit_code,
            0);
}

TEST(SamlVerifyCli, HelpIsComplete) {
  for (const char* flag : {"-h", "--help"}) {
    ProcessResult r = Ssocli({flag});
    EXPECT_EQ(r.exit_code, 0);
    for (const char* option : {"--idp-cert", "--idp-metadata", "--audience", "--recipient", "--destination",
                               "--in-response-to", "--issuer", "--now", "--skew", "--allow-sha1", "FILE|-",
                               "Exit:", "not_on_or_after", "token alias URL", "docs/saml.md"}) {
      EXPECT_NE(r.out.find(option), std::string::npos) << option;
    }
  }
}

TEST(SamlVerifyCli, BombsFailFast) {
  Vector v = FindVector("P04_billion_laughs");
  auto start = std::chrono::steady_clock::now();
  ProcessResult r = Ssocli(ArgsFor(v, v.Path("file")));
  auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_LT(ms, 1000);
  std::string big(2 * 1024 * 1024, '<');
  r = Ssocli(ArgsFor(v, "-"), big);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("larger than"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace ssocli::saml::testing
