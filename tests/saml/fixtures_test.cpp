// Every vector of shared/fixtures/saml through the library: the verdict of the manifest, and on accept
// exactly its identity and assertion ID. Also the other encodings of the same document (the .b64 form
// value of generated vectors, the upstream base64 of third-party ones when it is the same document).
#include <gtest/gtest.h>

#include "core/base64.h"
#include "saml/post_binding.h"
#include "saml/response_validator.h"
#include "saml_test_util.h"

namespace ssocli::saml {
namespace {

using testing::LoadVectors;
using testing::ReadFile;
using testing::Vector;

class FixtureTest : public ::testing::TestWithParam<Vector> {};

// Checks one input of `v` and returns a description of any disagreement with the manifest ("" if none).
std::string Check(const Vector& v, const std::string& input) {
  FixedClock clock(testing::NowOf(v));
  ResponseExpectations want = testing::ExpectationsFor(v, &clock);
  auto xml = DecodeResponseInput(input);
  Result<ValidatedAssertion> result =
      xml.ok() ? ValidateResponse(*xml, want) : Result<ValidatedAssertion>(xml.status());
  const std::string expected = v.j.at("expected").get<std::string>();
  const bool either = v.j.value("either_safe", false);
  if (!result.ok()) {
    if (result.status().kind() != ErrorKind::kSamlRejected)
      return "rejected with a non-SAML error: " + result.status().message();
    if (expected == "reject" || either) return "";
    return "rejected: " + result.status().message();
  }
  if (expected == "reject") return "accepted (name_id " + result->name_id + ")";
  if (result->name_id != v.j.at("identity").get<std::string>()) return "wrong identity " + result->name_id;
  if (result->assertion_id != v.j.at("assertion_id").get<std::string>())
    return "wrong assertion_id " + result->assertion_id;
  if (result->bearer_assertion != Base64UrlEncode(result->assertion_xml))
    return "bearer form is not base64url of the XML";
  if (result->bearer_assertion.find('=') != std::string::npos) return "bearer form is padded";
  return "";
}

TEST_P(FixtureTest, VerdictAsInManifest) {
  const Vector& v = GetParam();
  std::string input = ReadFile(v.Path("file"));
  EXPECT_EQ(Check(v, input), "") << v.id << ": " << v.j.at("why").get<std::string>();
}

TEST_P(FixtureTest, OtherEncodingsGiveTheSameVerdict) {
  const Vector& v = GetParam();
  std::vector<std::string> others;
  if (v.j.contains("other_files")) {
    for (const auto& f : v.j.at("other_files"))
      others.push_back(testing::FixturesDir() + "/" + f.get<std::string>());
  }
  if (v.j.contains("b64_file") && v.j.at("form") == "xml") {
    // Upstream files: only when they are the plain base64 of the same document (some are DEFLATEd,
    // which the POST binding does not allow: they must be rejected, checked below).
    std::string path = v.Path("b64_file");
    auto decoded = DecodeResponseInput(ReadFile(path));
    if (decoded.ok() && *decoded == ReadFile(v.Path("file"))) {
      others.push_back(path);
    } else {
      FixedClock clock(testing::NowOf(v));
      auto want = testing::ExpectationsFor(v, &clock);
      EXPECT_FALSE(decoded.ok() && ValidateResponse(*decoded, want).ok())
          << path << " (DEFLATEd) was accepted";
    }
  }
  for (const std::string& path : others) {
    EXPECT_EQ(Check(v, ReadFile(path)), "") << v.id << " via " << path;
  }
}

INSTANTIATE_TEST_SUITE_P(Saml, FixtureTest, ::testing::ValuesIn(LoadVectors()),
                         [](const ::testing::TestParamInfo<Vector>& p) {
                           return testing::TestName(p.param.id);
                         });

TEST(SamlFixtureManifest, HasEveryCategory) {
  auto vectors = LoadVectors();
  EXPECT_GE(vectors.size(), 100u);
  size_t accepts = 0;
  for (const auto& v : vectors) accepts += v.j.at("expected") == "accept";
  EXPECT_GE(accepts, 10u);
}

}  // namespace
}  // namespace ssocli::saml
