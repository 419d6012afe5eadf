#include "saml/response_validator.h"

#include <algorithm>
#include <memory>
#include <utility>

#include "saml/assertion_checks.h"
#include "saml/assertion_export.h"
#include "saml/saml_time.h"
#include "saml/saml_xml.h"
#include "saml/signature_verifier.h"

namespace ssocli::saml {
namespace {

using internal::AssertionChecker;
using internal::AssertionRules;
using internal::Reject;

constexpr char kStatusPrefix[] = "urn:oasis:names:tc:SAML:2.0:status:";
constexpr char kStatusSuccess[] = "urn:oasis:names:tc:SAML:2.0:status:Success";
constexpr char kEntityFormat[] = "urn:oasis:names:tc:SAML:2.0:nameid-format:entity";

std::string ShortStatus(const std::string& code) {
  return code.rfind(kStatusPrefix, 0) == 0 ? code.substr(sizeof kStatusPrefix - 1) : code;
}

// The Response-level rules; everything about the Assertion is AssertionChecker's (shared with the
// saml2-bearer check of a standalone assertion).
class Validator {
 public:
  explicit Validator(const ResponseExpectations& want) : want_(want) {}

  Result<ValidatedAssertion> Run(std::string_view xml);

 private:
  Status CheckExpectations() const;
  Status CheckDocument();
  Status CheckResponseLayout();
  Status CheckStatus() const;
  Status CheckAssertionLayout();
  Status CheckSignatures();
  Status CheckResponseSemantics();
  Status CheckAssertionSemantics();
  Status CheckSubject() { return checker_->CheckSubject(); }
  Status CheckConditions() { return checker_->CheckConditions(); }
  Status ReadAttributes() { return checker_->ReadAttributes(); }
  Status Export();

  const ResponseExpectations& want_;
  AssertionRules rules_;
  XmlDocPtr doc_;
  xmlNode* response_ = nullptr;
  xmlNode* response_issuer_ = nullptr;
  xmlNode* response_signature_ = nullptr;
  xmlNode* status_ = nullptr;
  std::vector<xmlNode*> assertions_;
  std::unique_ptr<AssertionChecker> checker_;
  ValidatedAssertion out_;
};

Status Validator::CheckExpectations() const {
  if (want_.clock == nullptr) return Status::Error(ErrorKind::kUsage, "SAML validation needs a clock");
  if (want_.idp_certificates.empty())
    return Status::Error(ErrorKind::kUsage, "no IdP signing certificate configured");
  if (want_.audience.empty())
    return Status::Error(ErrorKind::kUsage, "no expected audience (SP entity ID) configured");
  if (want_.recipient.empty()) return Status::Error(ErrorKind::kUsage, "no expected Recipient configured");
  if (want_.skew_seconds < 0 || want_.skew_seconds > 3600) {
    return Status::Error(ErrorKind::kUsage, "the clock skew must be between 0 and 3600 seconds");
  }
  if (want_.idp_entity_id && want_.idp_entity_id->empty()) {
    return Status::Error(ErrorKind::kUsage, "the expected IdP entity ID is empty");
  }
  if (want_.in_response_to && want_.in_response_to->empty()) {
    return Status::Error(ErrorKind::kUsage, "the expected InResponseTo is empty");
  }
  return Status::Ok();
}

// Rule 3, on the whole tree: what no later step may be left to assume.
Status Validator::CheckDocument() {
  response_ = xmlDocGetRootElement(doc_.get());
  if (!IsElement(response_, kNsProtocol, "Response")) {
    return Reject("the document is a " + ElementName(response_) + ", not a SAML 2.0 samlp:Response");
  }
  auto assertions = internal::CheckTreeStructure(response_, "response");
  if (!assertions.ok()) return assertions.status();
  assertions_ = std::move(assertions.value());
  return Status::Ok();
}

// samlp:Response = Issuer? Signature? Extensions? Status (Assertion | EncryptedAssertion)*
Status Validator::CheckResponseLayout() {
  std::vector<xmlNode*> kids = ChildElements(response_);
  size_t i = 0;
  if (i < kids.size() && IsElement(kids[i], kNsAssertion, "Issuer")) response_issuer_ = kids[i++];
  if (i < kids.size() && IsElement(kids[i], kNsDsig, "Signature")) {
    if (response_issuer_ == nullptr)
      return Reject("the Response is signed but has no Issuer before its signature");
    response_signature_ = kids[i++];
  }
  if (i < kids.size() && IsElement(kids[i], kNsProtocol, "Extensions")) ++i;
  if (i < kids.size() && IsElement(kids[i], kNsProtocol, "Status")) status_ = kids[i++];
  for (; i < kids.size(); ++i) {
    if (IsElement(kids[i], kNsAssertion, "Assertion")) continue;
    if (IsElement(kids[i], kNsDsig, "Signature")) {
      return Reject(response_signature_ != nullptr
                        ? "the Response carries more than one signature"
                        : "the Response's signature is not right after its Issuer, where the schema puts it");
    }
    if (status_ == nullptr) return Reject("the Response has no Status");
    return Reject("unexpected " + ElementName(kids[i]) + " in the Response");
  }
  if (status_ == nullptr) return Reject("the Response has no Status");
  return Status::Ok();
}

Status Validator::CheckStatus() const {
  std::vector<xmlNode*> codes = ChildElements(status_, kNsProtocol, "StatusCode");
  if (codes.size() != 1) return Reject("the Response's Status has no single StatusCode");
  std::string code = Attribute(codes[0], "Value").value_or("");
  if (code == kStatusSuccess) return Status::Ok();
  std::string detail = ShortStatus(code);
  std::vector<xmlNode*> sub = ChildElements(codes[0], kNsProtocol, "StatusCode");
  if (!sub.empty()) detail += "/" + ShortStatus(Attribute(sub[0], "Value").value_or(""));
  std::string message = "the IdP reports the sign-in failed: status " + Quoted(detail);
  std::vector<xmlNode*> texts = ChildElements(status_, kNsProtocol, "StatusMessage");
  if (!texts.empty()) message += " (" + Quoted(ElementText(texts[0])) + ")";
  return Reject(message, "see the IdP's logs or its administrator");
}

Status Validator::CheckAssertionLayout() {
  if (assertions_.empty()) return Reject("the Response holds no Assertion");
  if (assertions_.size() > 1) {
    return Reject("the Response holds " + std::to_string(assertions_.size()) +
                  " Assertions; exactly one is accepted");
  }
  checker_ = std::make_unique<AssertionChecker>(assertions_[0], rules_);
  return checker_->CheckLayout();
}

Status Validator::CheckSignatures() {
  std::string response_id = Attribute(response_, "ID").value_or("");
  if (!IsNcName(response_id))
    return Reject("the Response ID " + Quoted(response_id) + " is not a valid xs:ID");
  Status s = checker_->CheckId();
  if (!s.ok()) return s;
  if (response_signature_ != nullptr) {
    SignaturePolicy policy;
    policy.allow_sha1 = want_.allow_sha1;
    s = VerifyEnvelopedSignature(response_, response_signature_, want_.idp_certificates, policy, "Response");
    if (!s.ok()) return s;
  }
  s = checker_->VerifySignature();
  if (!s.ok()) return s;
  out_.response_id = response_id;
  return Status::Ok();
}

Status Validator::CheckResponseSemantics() {
  std::string version = Attribute(response_, "Version").value_or("");
  if (version != "2.0")
    return Reject("the Response has Version " + Quoted(version) + "; only SAML 2.0 is supported");
  Status s = internal::CheckIssuedNotInFuture(response_, "Response", rules_);
  if (!s.ok()) return s;

  if (response_issuer_ != nullptr) {
    std::string format = Attribute(response_issuer_, "Format").value_or(kEntityFormat);
    if (format != kEntityFormat)
      return Reject("the Response Issuer has Format " + Quoted(format) + ", not entity");
    std::string issuer = ElementText(response_issuer_);
    if (want_.idp_entity_id && issuer != *want_.idp_entity_id) {
      return Reject(
          "the Response Issuer is " + Quoted(issuer) + ", expected the IdP " + Quoted(*want_.idp_entity_id),
          "the response comes from another IdP, or the configured IdP entity ID is wrong");
    }
  }

  std::optional<std::string> destination = Attribute(response_, "Destination");
  if (response_signature_ != nullptr && !destination) {
    return Reject("the Response is signed but has no Destination (required by SAML bindings 3.5.5.2)");
  }
  if (destination && !want_.destinations.empty() &&
      std::find(want_.destinations.begin(), want_.destinations.end(), *destination) ==
          want_.destinations.end()) {
    return Reject("the Response Destination is " + Quoted(*destination) + ", expected " +
                      Quoted(want_.destinations.front()),
                  "the response was addressed to another service provider endpoint");
  }

  if (want_.in_response_to) {
    std::optional<std::string> irt = Attribute(response_, "InResponseTo");
    if (!irt) {
      return Reject(
          "the Response has no InResponseTo: it does not answer our sign-in request "
          "(IdP-initiated sign-in is not accepted)",
          "start the sign-in from this tool, not from the IdP's portal");
    }
    if (*irt != *want_.in_response_to) {
      return Reject("the Response answers the request " + Quoted(*irt) + ", not ours (" +
                        Quoted(*want_.in_response_to) + "): a stale or replayed response",
                    "sign in again");
    }
  }
  return Status::Ok();
}

Status Validator::CheckAssertionSemantics() {
  // A Recipient that is where the IdP posted (our ACS, or the Response's Destination) is the common
  // IdP misconfiguration: the checker names it as such.
  std::string acs = want_.acs_url.empty() ? Attribute(response_, "Destination").value_or("") : want_.acs_url;
  if (!acs.empty()) rules_.acs_urls.push_back(acs);
  return checker_->CheckStatements();
}

// Rule 7, and a proof of it on every call: the exported bytes parse and verify on their own.
Status Validator::Export() {
  xmlNode* assertion = assertions_[0];
  auto xml = ExportAssertion(assertion);
  if (!xml.ok()) return xml.status();
  auto copy = ParseUntrustedXml(*xml, "the Assertion alone");
  if (!copy.ok()) {
    // Only a contrived document gets here (e.g. at the namespace limits once they are all declared
    // on the Assertion): refuse it rather than forward something we could not check.
    return Reject("the Assertion cannot be forwarded standalone: " + copy.status().message());
  }
  xmlNode* root = xmlDocGetRootElement(copy->get());
  std::vector<xmlNode*> kids = ChildElements(root);
  if (!IsElement(root, kNsAssertion, "Assertion") || kids.size() < 2 ||
      !IsElement(kids[1], kNsDsig, "Signature") ||
      Attribute(root, "ID").value_or("") != checker_->facts().assertion_id) {
    return Status::Error(ErrorKind::kInternal, "the exported assertion lost its shape");
  }
  SignaturePolicy policy;
  policy.allow_sha1 = want_.allow_sha1;
  Status s = VerifyEnvelopedSignature(root, kids[1], want_.idp_certificates, policy, "exported Assertion");
  if (!s.ok()) {
    return Status::Error(ErrorKind::kInternal,
                         "the exported assertion does not verify standalone: " + s.message());
  }
  out_.assertion_xml = std::move(xml.value());
  out_.bearer_assertion = BearerAssertionParameter(out_.assertion_xml);
  return Status::Ok();
}

Result<ValidatedAssertion> Validator::Run(std::string_view xml) {
  Status s = CheckExpectations();
  if (!s.ok()) return s;
  rules_.idp_certificates = want_.idp_certificates;
  rules_.idp_entity_id = want_.idp_entity_id;
  rules_.audience = want_.audience;
  rules_.recipient = want_.recipient;
  rules_.acs_urls = want_.destinations;
  rules_.in_response_to = want_.in_response_to;
  rules_.now_ms = want_.clock->Now() * 1000;
  rules_.skew_seconds = want_.skew_seconds;
  rules_.allow_sha1 = want_.allow_sha1;

  auto doc = ParseUntrustedXml(xml, "SAML response");
  if (!doc.ok()) return doc.status();
  doc_ = std::move(doc.value());

  // The first failing check gives the reason. Structure first (it is what stops wrapping), then the
  // Status (the IdP's own failure report is the most useful reason), then the signatures, and only then
  // what the signed data says: no message ever quotes semantics from an unverified assertion.
  for (Status (Validator::*step)() : {&Validator::CheckDocument, &Validator::CheckResponseLayout}) {
    s = (this->*step)();
    if (!s.ok()) return s;
  }
  s = CheckStatus();
  if (!s.ok()) return s;
  for (Status (Validator::*step)() :
       {&Validator::CheckAssertionLayout, &Validator::CheckSignatures, &Validator::CheckResponseSemantics,
        &Validator::CheckAssertionSemantics, &Validator::CheckSubject, &Validator::CheckConditions,
        &Validator::ReadAttributes, &Validator::Export}) {
    s = (this->*step)();
    if (!s.ok()) return s;
  }
  const internal::AssertionFacts& facts = checker_->facts();
  out_.name_id = facts.name_id;
  out_.name_id_format = facts.name_id_format;
  out_.issuer = facts.issuer;
  out_.assertion_id = facts.assertion_id;
  out_.not_on_or_after_ms = facts.not_on_or_after_ms;
  out_.attributes = facts.attributes;
  return std::move(out_);
}

}  // namespace

Result<ValidatedAssertion> ValidateResponse(std::string_view response_xml, const ResponseExpectations& want) {
  Validator validator(want);
  return validator.Run(response_xml);
}

}  // namespace ssocli::saml
