// Bounded resources: oversized input, entity bombs and the inputs that make libxml2 or xmlsec work
// quadratically are refused (or finished) in well under a second, with bounded memory.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <chrono>

#include "core/base64.h"
#include "saml/post_binding.h"
#include "saml/response_validator.h"
#include "saml/saml_xml.h"
#include "saml_test_util.h"

namespace ssocli::saml {
namespace {

using testing::FixturesDir;
using testing::ReadFile;

#if defined(__SANITIZE_ADDRESS__)
#define SSOCLI_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SSOCLI_UNDER_ASAN 1
#endif
#endif

#ifdef SSOCLI_UNDER_ASAN
constexpr int kSlowdown = 5;
#else
constexpr int kSlowdown = 1;
#endif

constexpr auto kBudget = std::chrono::milliseconds(500 * kSlowdown);

const std::string kHead = "<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\"";

struct Timed {
  Result<ValidatedAssertion> result;
  std::chrono::milliseconds elapsed;
};

Timed Validate(const std::string& input) {
  FixedClock clock(*ParseRfc3339("2024-01-01T12:01:00Z") / 1000);
  ResponseExpectations want;
  want.idp_certificates = *ParsePemCertificates(ReadFile(FixturesDir() + "/generated/idp-test.crt"));
  want.audience = "https://uaa.example.invalid/oauth/token";
  want.recipient = "http://127.0.0.1:8765/saml/acs";
  want.clock = &clock;
  auto start = std::chrono::steady_clock::now();
  auto xml = DecodeResponseInput(input);
  Result<ValidatedAssertion> r =
      xml.ok() ? ValidateResponse(*xml, want) : Result<ValidatedAssertion>(xml.status());
  auto elapsed =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  return {std::move(r), elapsed};
}

void ExpectFastRejection(const std::string& name, const std::string& input, const std::string& reason = "") {
  Timed t = Validate(input);
  EXPECT_FALSE(t.result.ok()) << name;
  EXPECT_EQ(t.result.status().kind(), ErrorKind::kSamlRejected) << name;
  EXPECT_NE(t.result.status().message().find(reason), std::string::npos)
      << name << ": " << t.result.status().message();
  EXPECT_LT(t.elapsed, kBudget) << name << " took " << t.elapsed.count() << " ms";
}

std::string Filled(const std::string& head, const std::string& unit, const std::string& tail, size_t size) {
  std::string s = head;
  while (s.size() + unit.size() + tail.size() < size) s += unit;
  return s + tail;
}

TEST(SamlBounds, EntityBombsFromTheFixtures) {
  for (const char* f : {"P04_billion_laughs", "P05_quadratic_blowup", "P02_xxe_external_file_entity",
                        "P03_xxe_parameter_entity_network"}) {
    ExpectFastRejection(f, ReadFile(FixturesDir() + "/generated/" + f + ".xml"), "DOCTYPE");
    ExpectFastRejection(std::string(f) + ".b64", ReadFile(FixturesDir() + "/generated/" + f + ".b64"),
                        "DOCTYPE");
  }
  ExpectFastRejection("rb__attackxee", ReadFile(FixturesDir() + "/external/ruby-saml/rb__attackxee.xml"),
                      "DOCTYPE");
}

TEST(SamlBounds, OversizedInput) {
  std::string g01 = ReadFile(FixturesDir() + "/generated/G01_valid_signed_assertion.xml");
  ExpectFastRejection("1 MiB + 1", g01 + std::string(kMaxXmlBytes + 1 - g01.size(), ' '), "larger than");
  ExpectFastRejection("64 MiB", std::string(64 * 1024 * 1024, '<'), "larger than");
  ExpectFastRejection("base64 of 1 MiB + 1", Base64Encode(std::string(kMaxXmlBytes + 1, '<')), "larger than");
  ExpectFastRejection("3 MiB of base64", std::string(3 * 1024 * 1024, 'A'), "larger than");
}

TEST(SamlBounds, QuadraticParserInputs) {
  const size_t mib = kMaxXmlBytes - 1024;
  int n = 0;
  std::string attrs = kHead;
  while (attrs.size() < mib) attrs += " a" + std::to_string(n++) + "=\"\"";
  ExpectFastRejection("1 MiB of attributes", attrs + "/>", "attributes");
  n = 0;
  std::string decls = kHead;
  while (decls.size() < mib) decls += " xmlns:p" + std::to_string(n++) + "=\"u\"";
  ExpectFastRejection("1 MiB of namespace declarations", decls + "/>", "attributes");
  std::string nested;
  for (int i = 0; i < 300; ++i)
    nested += "<e xmlns:a" + std::to_string(i) + "=\"u\" xmlns:b" + std::to_string(i) + "=\"u\">";
  ExpectFastRejection("namespaces in scope", kHead + ">" + nested, "namespace declarations in scope");
  ExpectFastRejection("deep nesting", Filled(kHead + ">", "<a>", "", mib), "nested");
  ExpectFastRejection("NUL byte", kHead + "/>" + std::string(1, '\0'), "NUL");
  ExpectFastRejection("not XML", "\xEF\xBB\xBF  hello", "");
  ExpectFastRejection("entity reference without DTD", kHead + ">&lol;</samlp:Response>", "entit");
  ExpectFastRejection("DOCTYPE after a comment", "<!-- x --><!DOCTYPE r [<!ENTITY a \"b\">]>" + kHead + "/>",
                      "DOCTYPE");
}

// The most work an input within the limits can ask for: the signature digest over 1 MiB of deeply
// nested, namespace-heavy content inside the signed Assertion, and 128-attribute elements.
TEST(SamlBounds, WorstCasesWithinTheLimitsFinishFast) {
  std::string g01 = ReadFile(FixturesDir() + "/generated/G01_valid_signed_assertion.xml");
  const std::string anchor = "<saml:AttributeStatement>";
  std::string open, close;
  for (int i = 0; i < 58; ++i) {
    open += "<saml:Attribute Name=\"d" + std::to_string(i) + "\" xmlns:n" + std::to_string(i) + "=\"urn:n" +
            std::to_string(i) + "\" xmlns:m" + std::to_string(i) + "=\"urn:m\" n" + std::to_string(i) +
            ":a=\"1\">";
    close += "</saml:Attribute>";
  }
  std::string leaf = "<saml:AttributeValue n0:x=\"1\">z</saml:AttributeValue>";
  std::string filler;
  while (g01.size() + open.size() + close.size() + filler.size() + leaf.size() < kMaxXmlBytes - 64)
    filler += leaf;
  std::string deep = g01;
  deep.insert(deep.find(anchor) + anchor.size(), open + filler + close);
  ExpectFastRejection("deep signed content", deep, "modified after it was signed");

  std::string element = "<e";
  for (int i = 0; i < 127; ++i) element += " a" + std::to_string(i) + "=\"\"";
  element += "/>";
  ExpectFastRejection("128-attribute elements",
                      Filled(kHead + ">", element, "</samlp:Response>", kMaxXmlBytes - 64));

  std::string ids;
  for (int i = 0; ids.size() < kMaxXmlBytes - g01.size() - 200; ++i) {
    ids += "<saml:AttributeValue ID=\"_x" + std::to_string(i) + "\">v</saml:AttributeValue>";
  }
  std::string many_ids = g01;
  many_ids.insert(many_ids.find("<saml:Attribute Name=\"groups\">") + 30, ids);
  ExpectFastRejection("many IDs", many_ids, "modified after it was signed");
}

TEST(SamlBounds, MemoryStaysBounded) {
#ifdef SSOCLI_UNDER_ASAN
  GTEST_SKIP() << "AddressSanitizer inflates memory use";
#else
  ExpectFastRejection("billion laughs", ReadFile(FixturesDir() + "/generated/P04_billion_laughs.xml"),
                      "DOCTYPE");
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  EXPECT_LT(usage.ru_maxrss, 256 * 1024) << "peak RSS " << usage.ru_maxrss << " KiB";
#endif
}

}  // namespace
}  // namespace ssocli::saml
