#include "saml/response_validator.h"

#include <algorithm>
#include <set>
#include <utility>

#include "saml/assertion_export.h"
#include "saml/saml_time.h"
#include "saml/saml_xml.h"
#include "saml/signature_verifier.h"

namespace ssocli::saml {
namespace {

constexpr char kStatusPrefix[] = "urn:oasis:names:tc:SAML:2.0:status:";
constexpr char kStatusSuccess[] = "urn:oasis:names:tc:SAML:2.0:status:Success";
constexpr char kBearer[] = "urn:oasis:names:tc:SAML:2.0:cm:bearer";
constexpr char kEntityFormat[] = "urn:oasis:names:tc:SAML:2.0:nameid-format:entity";

constexpr char kClockHint[] = "check that the clocks of this machine and of the IdP are right";

Status Reject(std::string message, std::string hint = {}) {
  return Status::Error(ErrorKind::kSamlRejected, std::move(message), std::move(hint));
}

// Every element of the tree under (and including) `root`, in document order, without recursion.
std::vector<xmlNode*> AllElements(xmlNode* root) {
  std::vector<xmlNode*> out;
  std::vector<xmlNode*> stack{root};
  while (!stack.empty()) {
    xmlNode* n = stack.back();
    stack.pop_back();
    out.push_back(n);
    std::vector<xmlNode*> kids = ChildElements(n);
    for (auto it = kids.rbegin(); it != kids.rend(); ++it) stack.push_back(*it);
  }
  return out;
}

bool IsIdAttributeName(const xmlChar* name) {
  static const char* const kNames[] = {"ID", "Id", "id", "AssertionID", "ResponseID"};
  for (const char* n : kNames) {
    if (xmlStrEqual(name, BAD_CAST n)) return true;
  }
  return false;
}

std::string AttrValue(const xmlAttr* a) {
  std::string value;
  for (const xmlNode* t = a->children; t != nullptr; t = t->next) {
    if (t->content != nullptr) value += reinterpret_cast<const char*>(t->content);
  }
  return value;
}

std::string ShortStatus(const std::string& code) {
  return code.rfind(kStatusPrefix, 0) == 0 ? code.substr(sizeof kStatusPrefix - 1) : code;
}

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
  Status CheckSubject();
  Status CheckBearer(xmlNode* confirmation, int64_t* not_on_or_after) const;
  Status CheckConditions();
  Status ReadAttributes();
  Status Export();

  // A dateTime attribute: nullopt when absent; a rejection when present and not "...Z".
  Result<std::optional<int64_t>> Instant(const xmlNode* node, const char* name, std::string_view where) const;
  Status NotInFuture(const xmlNode* node, std::string_view where) const;

  const ResponseExpectations& want_;
  int64_t now_ms_ = 0;
  int64_t skew_ms_ = 0;
  XmlDocPtr doc_;
  xmlNode* response_ = nullptr;
  xmlNode* response_issuer_ = nullptr;
  xmlNode* response_signature_ = nullptr;
  xmlNode* status_ = nullptr;
  xmlNode* assertion_ = nullptr;
  xmlNode* assertion_issuer_ = nullptr;
  xmlNode* assertion_signature_ = nullptr;
  xmlNode* subject_ = nullptr;
  xmlNode* conditions_ = nullptr;
  std::vector<xmlNode*> statements_;
  size_t assertion_count_ = 0;
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
  std::set<std::string> ids;
  for (xmlNode* e : AllElements(response_)) {
    for (const xmlAttr* a = e->properties; a != nullptr; a = a->next) {
      if (!IsIdAttributeName(a->name)) continue;
      std::string value = AttrValue(a);
      if (!ids.insert(value).second) {
        return Reject("the ID " + Quoted(value) +
                      " appears more than once in the response (signature wrapping?)");
      }
    }
    if (IsElement(e, kNsAssertion, "EncryptedAssertion")) {
      return Reject("the response holds an EncryptedAssertion; encrypted assertions are not supported",
                    "turn off assertion encryption for this SP at the IdP");
    }
    if (IsElement(e, kNsAssertion, "Assertion")) {
      ++assertion_count_;
      if (e->parent != response_) {
        return Reject(
            "an Assertion is nested inside " + ElementName(e->parent) +
            "; only one Assertion, directly inside the Response, is accepted (signature wrapping?)");
      }
      if (assertion_ == nullptr) assertion_ = e;
    }
    if (IsElement(e, kNsDsig, "Signature")) {
      bool on_response = e->parent == response_;
      bool on_assertion = IsElement(e->parent, kNsAssertion, "Assertion") && e->parent->parent == response_;
      if (!on_response && !on_assertion) {
        return Reject("a ds:Signature inside " + ElementName(e->parent) +
                      "; signatures are accepted only on the Response and on the Assertion");
      }
    }
  }
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

// saml:Assertion = Issuer Signature? Subject? Conditions? Advice? (statements)*
Status Validator::CheckAssertionLayout() {
  if (assertion_count_ == 0) return Reject("the Response holds no Assertion");
  if (assertion_count_ > 1) {
    return Reject("the Response holds " + std::to_string(assertion_count_) +
                  " Assertions; exactly one is accepted");
  }
  std::vector<xmlNode*> kids = ChildElements(assertion_);
  size_t i = 0;
  if (i < kids.size() && IsElement(kids[i], kNsAssertion, "Issuer")) assertion_issuer_ = kids[i++];
  if (assertion_issuer_ == nullptr) return Reject("the Assertion has no Issuer");
  if (i < kids.size() && IsElement(kids[i], kNsDsig, "Signature")) assertion_signature_ = kids[i++];
  if (i < kids.size() && IsElement(kids[i], kNsAssertion, "Subject")) subject_ = kids[i++];
  if (i < kids.size() && IsElement(kids[i], kNsAssertion, "Conditions")) conditions_ = kids[i++];
  if (i < kids.size() && IsElement(kids[i], kNsAssertion, "Advice")) ++i;
  for (; i < kids.size(); ++i) {
    xmlNode* k = kids[i];
    if (IsElement(k, kNsAssertion, "AuthnStatement") || IsElement(k, kNsAssertion, "AttributeStatement") ||
        IsElement(k, kNsAssertion, "AuthzDecisionStatement") || IsElement(k, kNsAssertion, "Statement")) {
      statements_.push_back(k);
      continue;
    }
    if (IsElement(k, kNsDsig, "Signature")) {
      return Reject(
          assertion_signature_ != nullptr
              ? "the Assertion carries more than one signature"
              : "the Assertion's signature is not right after its Issuer, where the schema puts it");
    }
    return Reject("unexpected " + ElementName(k) + " in the Assertion (SAML 2.0 schema order)");
  }
  if (assertion_signature_ == nullptr) {
    return Reject(
        "the Assertion is not signed",
        "configure the IdP to sign the assertion itself: it is forwarded alone to the login server, "
        "so a signed response is not enough");
  }
  return Status::Ok();
}

Status Validator::CheckSignatures() {
  SignaturePolicy policy;
  policy.allow_sha1 = want_.allow_sha1;
  std::string response_id = Attribute(response_, "ID").value_or("");
  std::string assertion_id = Attribute(assertion_, "ID").value_or("");
  if (!IsNcName(response_id))
    return Reject("the Response ID " + Quoted(response_id) + " is not a valid xs:ID");
  if (!IsNcName(assertion_id))
    return Reject("the Assertion ID " + Quoted(assertion_id) + " is not a valid xs:ID");
  if (response_signature_ != nullptr) {
    Status s =
        VerifyEnvelopedSignature(response_, response_signature_, want_.idp_certificates, policy, "Response");
    if (!s.ok()) return s;
  }
  Status s =
      VerifyEnvelopedSignature(assertion_, assertion_signature_, want_.idp_certificates, policy, "Assertion");
  if (!s.ok()) return s;
  out_.response_id = response_id;
  out_.assertion_id = assertion_id;
  return Status::Ok();
}

Result<std::optional<int64_t>> Validator::Instant(const xmlNode* node, const char* name,
                                                  std::string_view where) const {
  std::optional<std::string> text = Attribute(node, name);
  if (!text) return std::optional<int64_t>();
  std::optional<int64_t> t = ParseSamlInstant(*text);
  if (!t) {
    return Reject("the " + std::string(where) + " " + name + " " + Quoted(*text) +
                  " is not an xs:dateTime in UTC (SAML requires the form 2024-01-31T12:00:00Z)");
  }
  return t;
}

Status Validator::NotInFuture(const xmlNode* node, std::string_view where) const {
  auto issued = Instant(node, "IssueInstant", where);
  if (!issued.ok()) return issued.status();
  if (!issued->has_value()) return Reject("the " + std::string(where) + " has no IssueInstant");
  int64_t t = **issued;
  if (t > now_ms_ + skew_ms_) {
    return Reject("the " + std::string(where) + " was issued " + HumanDuration(t - now_ms_) +
                      " in the future (" + FormatRfc3339Utc(t) + ", clock skew allowed " +
                      std::to_string(want_.skew_seconds) + " s)",
                  kClockHint);
  }
  return Status::Ok();
}

Status Validator::CheckResponseSemantics() {
  std::string version = Attribute(response_, "Version").value_or("");
  if (version != "2.0")
    return Reject("the Response has Version " + Quoted(version) + "; only SAML 2.0 is supported");
  Status s = NotInFuture(response_, "Response");
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
  std::string version = Attribute(assertion_, "Version").value_or("");
  if (version != "2.0")
    return Reject("the Assertion has Version " + Quoted(version) + "; only SAML 2.0 is supported");
  Status s = NotInFuture(assertion_, "Assertion");
  if (!s.ok()) return s;

  std::string format = Attribute(assertion_issuer_, "Format").value_or(kEntityFormat);
  if (format != kEntityFormat)
    return Reject("the Assertion Issuer has Format " + Quoted(format) + ", not entity");
  out_.issuer = ElementText(assertion_issuer_);
  if (want_.idp_entity_id && out_.issuer != *want_.idp_entity_id) {
    return Reject("the Assertion Issuer is " + Quoted(out_.issuer) + ", expected the IdP " +
                      Quoted(*want_.idp_entity_id),
                  "the assertion comes from another IdP, or the configured IdP entity ID is wrong");
  }

  // SAML profiles 4.1.4.2, and the login server's saml2-bearer grant refuses an assertion without one.
  if (std::none_of(statements_.begin(), statements_.end(),
                   [](xmlNode* st) { return IsElement(st, kNsAssertion, "AuthnStatement"); })) {
    return Reject("the Assertion has no AuthnStatement, which the login server requires");
  }
  for (xmlNode* st : statements_) {
    if (!IsElement(st, kNsAssertion, "AuthnStatement")) continue;
    for (const char* name : {"AuthnInstant", "SessionNotOnOrAfter"}) {
      auto t = Instant(st, name, "AuthnStatement");
      if (!t.ok()) return t.status();
    }
  }
  return Status::Ok();
}

Status Validator::CheckSubject() {
  if (subject_ == nullptr) return Reject("the Assertion has no Subject");
  std::vector<xmlNode*> kids = ChildElements(subject_);
  xmlNode* name_id = nullptr;
  std::vector<xmlNode*> confirmations;
  for (xmlNode* k : kids) {
    if (IsElement(k, kNsAssertion, "NameID")) {
      if (name_id != nullptr) return Reject("the Subject has more than one NameID");
      name_id = k;
    } else if (IsElement(k, kNsAssertion, "EncryptedID")) {
      return Reject("the Subject's NameID is encrypted (EncryptedID), which is not supported",
                    "turn off NameID encryption for this SP at the IdP");
    } else if (IsElement(k, kNsAssertion, "SubjectConfirmation")) {
      confirmations.push_back(k);
    } else if (!IsElement(k, kNsAssertion, "BaseID")) {
      return Reject("unexpected " + ElementName(k) + " in the Subject");
    }
  }
  if (name_id == nullptr) return Reject("the Subject has no NameID");
  if (HasElementChildren(name_id)) return Reject("the NameID contains elements");
  out_.name_id = ElementText(name_id);
  out_.name_id_format = Attribute(name_id, "Format").value_or("");
  if (out_.name_id.find_first_not_of(" \t\r\n") == std::string::npos) return Reject("the NameID is empty");

  std::vector<xmlNode*> bearers;
  for (xmlNode* c : confirmations) {
    if (Attribute(c, "Method").value_or("") == kBearer) bearers.push_back(c);
  }
  if (bearers.empty()) {
    return Reject("the Subject has no bearer SubjectConfirmation (Method " + std::string(kBearer) + ")");
  }
  // SAML profiles 4.1.4.2: at least one bearer confirmation must satisfy every rule.
  Status first_failure;
  for (xmlNode* b : bearers) {
    int64_t not_on_or_after = 0;
    Status s = CheckBearer(b, &not_on_or_after);
    if (s.ok()) {
      out_.not_on_or_after_ms = not_on_or_after;
      return s;
    }
    if (first_failure.ok()) first_failure = s;
  }
  return first_failure;
}

Status Validator::CheckBearer(xmlNode* confirmation, int64_t* not_on_or_after) const {
  std::vector<xmlNode*> data = ChildElements(confirmation, kNsAssertion, "SubjectConfirmationData");
  if (data.size() != 1) return Reject("the bearer SubjectConfirmation has no SubjectConfirmationData");
  xmlNode* scd = data[0];

  std::optional<std::string> recipient = Attribute(scd, "Recipient");
  if (!recipient) return Reject("the bearer SubjectConfirmationData has no Recipient");
  if (*recipient != want_.recipient) {
    std::string acs = want_.acs_url;
    if (acs.empty()) acs = Attribute(response_, "Destination").value_or("");
    bool is_acs = (!acs.empty() && *recipient == acs) ||
                  std::find(want_.destinations.begin(), want_.destinations.end(), *recipient) !=
                      want_.destinations.end();
    if (is_acs) {
      return Reject(
          "the SubjectConfirmationData Recipient is the ACS URL " + Quoted(*recipient) +
              ", but the login server's saml2-bearer grant needs " + Quoted(want_.recipient),
          "configure the IdP to send Recipient " + Quoted(want_.recipient) +
              " while it keeps posting to the ACS URL, e.g. Okta: \"Recipient URL\", see docs/saml.md");
    }
    return Reject("the SubjectConfirmationData Recipient is " + Quoted(*recipient) + ", expected " +
                  Quoted(want_.recipient));
  }

  auto not_before = Instant(scd, "NotBefore", "SubjectConfirmationData");
  if (!not_before.ok()) return not_before.status();
  if (not_before->has_value()) {
    return Reject(
        "the bearer SubjectConfirmationData has a NotBefore, which SAML forbids (profiles 4.1.4.2)");
  }
  auto expiry = Instant(scd, "NotOnOrAfter", "SubjectConfirmationData");
  if (!expiry.ok()) return expiry.status();
  if (!expiry->has_value()) return Reject("the bearer SubjectConfirmationData has no NotOnOrAfter");
  int64_t noa = **expiry;
  if (now_ms_ >= noa + skew_ms_) {
    return Reject("the bearer confirmation expired " + HumanDuration(now_ms_ - noa) + " ago (NotOnOrAfter " +
                      FormatRfc3339Utc(noa) + ", clock skew allowed " + std::to_string(want_.skew_seconds) +
                      " s)",
                  "sign in again; if this keeps happening, " + std::string(kClockHint));
  }

  if (want_.in_response_to) {
    std::optional<std::string> irt = Attribute(scd, "InResponseTo");
    if (!irt) return Reject("the bearer SubjectConfirmationData has no InResponseTo");
    if (*irt != *want_.in_response_to) {
      return Reject("the bearer SubjectConfirmationData answers the request " + Quoted(*irt) +
                    ", not ours (" + Quoted(*want_.in_response_to) + ")");
    }
  }
  *not_on_or_after = noa;
  return Status::Ok();
}

Status Validator::CheckConditions() {
  if (conditions_ == nullptr) {
    return Reject("the Assertion has no Conditions (no audience, no validity window)",
                  "configure the IdP to send an AudienceRestriction with " + Quoted(want_.audience));
  }
  auto not_before = Instant(conditions_, "NotBefore", "Conditions");
  if (!not_before.ok()) return not_before.status();
  auto not_after = Instant(conditions_, "NotOnOrAfter", "Conditions");
  if (!not_after.ok()) return not_after.status();
  if (not_before->has_value() && **not_before > now_ms_ + skew_ms_) {
    return Reject("the assertion is not valid yet: Conditions NotBefore is " +
                      FormatRfc3339Utc(**not_before) + ", " + HumanDuration(**not_before - now_ms_) +
                      " from now (clock skew allowed " + std::to_string(want_.skew_seconds) + " s)",
                  kClockHint);
  }
  if (not_after->has_value()) {
    int64_t noa = **not_after;
    if (now_ms_ >= noa + skew_ms_) {
      return Reject("the assertion expired " + HumanDuration(now_ms_ - noa) +
                        " ago (Conditions NotOnOrAfter " + FormatRfc3339Utc(noa) + ", clock skew allowed " +
                        std::to_string(want_.skew_seconds) + " s)",
                    "sign in again; if this keeps happening, " + std::string(kClockHint));
    }
    out_.not_on_or_after_ms = std::min(out_.not_on_or_after_ms, noa);
  }

  size_t restrictions = 0;
  for (xmlNode* c : ChildElements(conditions_)) {
    if (IsElement(c, kNsAssertion, "OneTimeUse") || IsElement(c, kNsAssertion, "ProxyRestriction")) continue;
    if (!IsElement(c, kNsAssertion, "AudienceRestriction")) {
      return Reject("the Conditions hold " + ElementName(c) + ", a condition this SP does not understand");
    }
    ++restrictions;
    std::vector<std::string> audiences;
    for (xmlNode* a : ChildElements(c)) {
      if (!IsElement(a, kNsAssertion, "Audience"))
        return Reject("unexpected " + ElementName(a) + " in an AudienceRestriction");
      audiences.push_back(ElementText(a));
    }
    if (std::find(audiences.begin(), audiences.end(), want_.audience) != audiences.end()) continue;
    std::string hint = "configure the IdP's Audience (SP entity ID) as " + Quoted(want_.audience);
    if (audiences.size() == 1) {
      return Reject("Audience is " + Quoted(audiences[0]) + ", expected " + Quoted(want_.audience), hint);
    }
    std::string listed;
    for (const std::string& a : audiences) listed += (listed.empty() ? "" : ", ") + Quoted(a);
    return Reject("an AudienceRestriction lists " + (listed.empty() ? std::string("no Audience") : listed) +
                      ", expected " + Quoted(want_.audience),
                  hint);
  }
  if (restrictions == 0) {
    return Reject("the Conditions have no AudienceRestriction: the assertion names no audience",
                  "configure the IdP's Audience (SP entity ID) as " + Quoted(want_.audience));
  }
  return Status::Ok();
}

Status Validator::ReadAttributes() {
  for (xmlNode* st : statements_) {
    if (!IsElement(st, kNsAssertion, "AttributeStatement")) continue;
    for (xmlNode* attr : ChildElements(st, kNsAssertion, "Attribute")) {
      std::optional<std::string> name = Attribute(attr, "Name");
      if (!name) return Reject("an Attribute has no Name");
      std::vector<std::string>& values = out_.attributes[*name];
      for (xmlNode* v : ChildElements(attr, kNsAssertion, "AttributeValue")) values.push_back(ElementText(v));
    }
  }
  return Status::Ok();
}

// Rule 7, and a proof of it on every call: the exported bytes parse and verify on their own.
Status Validator::Export() {
  auto xml = ExportAssertion(assertion_);
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
      !IsElement(kids[1], kNsDsig, "Signature") || Attribute(root, "ID").value_or("") != out_.assertion_id) {
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
  now_ms_ = want_.clock->Now() * 1000;
  skew_ms_ = want_.skew_seconds * 1000;

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
  return std::move(out_);
}

}  // namespace

Result<ValidatedAssertion> ValidateResponse(std::string_view response_xml, const ResponseExpectations& want) {
  Validator validator(want);
  return validator.Run(response_xml);
}

}  // namespace ssocli::saml
