#include "saml/bearer_assertion.h"

#include <utility>

#include "core/base64.h"
#include "saml/assertion_checks.h"
#include "saml/saml_time.h"
#include "saml/saml_xml.h"

namespace ssocli::saml {
namespace {

using internal::AssertionChecker;
using internal::AssertionRules;

Status Fail(BearerFailure kind, BearerFailure* out, Status status) {
  if (out != nullptr) *out = kind;
  return status;
}

Status Rejected(BearerFailure kind, BearerFailure* out, std::string message, std::string hint = {}) {
  return Fail(kind, out, internal::Reject(std::move(message), std::move(hint)));
}

bool IsBlank(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// The XML of the form value: base64url as RFC 7522 says, tolerating what encoders do (padding, the
// standard alphabet, a '+' that became a space in a form, line breaks).
Result<std::string> DecodeValue(std::string_view value) {
  size_t first = 0;
  while (first < value.size() && IsBlank(value[first])) ++first;
  std::string_view rest = value.substr(first);
  if (rest.substr(0, 3) == "\xEF\xBB\xBF" || rest.substr(0, 1) == "<") return std::string(value);
  std::string text;
  bool standard = false;
  for (size_t i = 0; i < value.size(); ++i) {
    char c = value[i];
    if (c == '\r' || c == '\n' || c == '\t') continue;
    if (c == ' ') {
      // Leading and trailing blanks are blanks; inside, a space is a '+' decoded by a form parser.
      if (i < first || value.find_first_not_of(" \t\r\n", i) == std::string_view::npos) continue;
      c = '+';
    }
    if (c == '+' || c == '/') standard = true;
    text += c;
  }
  std::optional<std::string> xml = standard ? Base64Decode(text) : Base64UrlDecode(text);
  if (!xml || xml->empty()) return internal::Reject("the assertion is not base64url-encoded");
  return std::move(*xml);
}

Status CheckExpectations(const BearerExpectations& want) {
  if (want.clock == nullptr) return Status::Error(ErrorKind::kUsage, "SAML validation needs a clock");
  if (want.idps.empty()) return Status::Error(ErrorKind::kUsage, "no trusted IdP configured");
  for (const TrustedIdp& idp : want.idps) {
    if (idp.entity_id.empty() || idp.certificates.empty()) {
      return Status::Error(ErrorKind::kUsage, "a trusted IdP needs an entity ID and a certificate");
    }
  }
  if (want.audience.empty()) return Status::Error(ErrorKind::kUsage, "no expected audience (SP entity ID)");
  if (want.recipient.empty()) return Status::Error(ErrorKind::kUsage, "no expected Recipient configured");
  if (want.skew_seconds < 0 || want.skew_seconds > 3600 || want.max_age_seconds <= 0) {
    return Status::Error(ErrorKind::kUsage, "the clock skew or the maximum age is out of range");
  }
  return Status::Ok();
}

}  // namespace

Result<BearerAssertion> ValidateBearerAssertion(std::string_view assertion, const BearerExpectations& want,
                                                BearerFailure* failure) {
  if (failure != nullptr) *failure = BearerFailure::kNone;
  Status s = CheckExpectations(want);
  if (!s.ok()) return s;
  if (assertion.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return Rejected(BearerFailure::kMissing, failure, "no assertion");
  }
  if (assertion.size() > kMaxBearerAssertionChars) {
    return Rejected(
        BearerFailure::kDecoding, failure,
        "the assertion is larger than " + std::to_string(kMaxBearerAssertionChars) + " characters");
  }
  auto xml = DecodeValue(assertion);
  if (!xml.ok()) return Fail(BearerFailure::kDecoding, failure, xml.status());
  auto doc = ParseUntrustedXml(*xml, "SAML assertion");
  if (!doc.ok()) return Fail(BearerFailure::kDecoding, failure, doc.status());
  xmlNode* root = xmlDocGetRootElement(doc->get());
  if (!IsElement(root, kNsAssertion, "Assertion")) {
    return Rejected(BearerFailure::kDecoding, failure,
                    "the document is a " + ElementName(root) + ", not a SAML 2.0 saml:Assertion");
  }
  auto structure = internal::CheckTreeStructure(root, "assertion");
  if (!structure.ok()) return Fail(BearerFailure::kInvalid, failure, structure.status());

  // The Issuer picks the IdP whose keys count (UAA: the metadata of a trusted identity provider).
  std::vector<xmlNode*> kids = ChildElements(root);
  if (kids.empty() || !IsElement(kids[0], kNsAssertion, "Issuer")) {
    return Rejected(BearerFailure::kUnknownIssuer, failure, "the Assertion has no Issuer");
  }
  const std::string issuer = ElementText(kids[0]);
  size_t idp_index = want.idps.size();
  for (size_t i = 0; i < want.idps.size(); ++i) {
    if (want.idps[i].entity_id == issuer) {
      idp_index = i;
      break;
    }
  }
  if (idp_index == want.idps.size()) {
    return Rejected(BearerFailure::kUnknownIssuer, failure,
                    "the Assertion Issuer " + Quoted(issuer) + " is not a trusted IdP of this zone");
  }
  const TrustedIdp& idp = want.idps[idp_index];

  AssertionRules rules;
  rules.idp_certificates = idp.certificates;
  rules.idp_entity_id = idp.entity_id;
  rules.audience = want.audience;
  rules.recipient = want.recipient;
  rules.now_ms = want.clock->Now() * 1000;
  rules.skew_seconds = want.skew_seconds;
  rules.allow_sha1 = want.allow_sha1;
  AssertionChecker checker(root, rules);

  if (ChildElements(root, kNsDsig, "Signature").empty()) {
    return Rejected(BearerFailure::kSignature, failure, "the Assertion is not signed");
  }
  s = checker.CheckLayout();
  if (!s.ok()) return Fail(BearerFailure::kInvalid, failure, s);
  s = checker.CheckId();
  if (!s.ok()) return Fail(BearerFailure::kInvalid, failure, s);
  s = checker.VerifySignature();
  if (!s.ok()) return Fail(BearerFailure::kSignature, failure, s);

  for (Status (AssertionChecker::*step)() :
       {&AssertionChecker::CheckStatements, &AssertionChecker::CheckSubject,
        &AssertionChecker::CheckConditions, &AssertionChecker::ReadAttributes}) {
    s = (checker.*step)();
    if (!s.ok()) return Fail(BearerFailure::kInvalid, failure, s);
  }
  // UAA's own bound on the assertion's age, on top of its validity window.
  int64_t issued_ms = ParseSamlInstant(Attribute(root, "IssueInstant").value_or("")).value_or(0);
  int64_t oldest_ms = rules.now_ms - (want.max_age_seconds + want.skew_seconds) * 1000;
  if (issued_ms < oldest_ms) {
    return Rejected(BearerFailure::kInvalid, failure,
                    "the Assertion was issued " + HumanDuration(rules.now_ms - issued_ms) + " ago (" +
                        FormatRfc3339Utc(issued_ms) + "); the login server accepts assertions at most " +
                        std::to_string(want.max_age_seconds) + " s old",
                    "sign in again");
  }

  const internal::AssertionFacts& facts = checker.facts();
  BearerAssertion out;
  out.name_id = facts.name_id;
  out.name_id_format = facts.name_id_format;
  out.issuer = facts.issuer;
  out.idp_index = idp_index;
  out.assertion_id = facts.assertion_id;
  out.not_on_or_after_ms = facts.not_on_or_after_ms;
  out.attributes = facts.attributes;
  return out;
}

}  // namespace ssocli::saml
