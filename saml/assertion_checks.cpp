#include "saml/assertion_checks.h"

#include <algorithm>
#include <set>
#include <utility>

#include "saml/saml_time.h"
#include "saml/saml_xml.h"
#include "saml/signature_verifier.h"

namespace ssocli::saml::internal {
namespace {

constexpr char kBearer[] = "urn:oasis:names:tc:SAML:2.0:cm:bearer";
constexpr char kEntityFormat[] = "urn:oasis:names:tc:SAML:2.0:nameid-format:entity";
constexpr char kClockHint[] = "check that the clocks of this machine and of the IdP are right";

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

}  // namespace

Status Reject(std::string message, std::string hint) {
  return Status::Error(ErrorKind::kSamlRejected, std::move(message), std::move(hint));
}

Result<std::vector<xmlNode*>> CheckTreeStructure(xmlNode* root, std::string_view document) {
  const bool response_root = IsElement(root, kNsProtocol, "Response");
  // Where an Assertion may be: the root itself (a standalone assertion) or a direct child of a Response.
  auto allowed_assertion = [&](const xmlNode* e) {
    return IsElement(e, kNsAssertion, "Assertion") && (response_root ? e->parent == root : e == root);
  };
  std::vector<xmlNode*> assertions;
  std::set<std::string> ids;
  for (xmlNode* e : AllElements(root)) {
    for (const xmlAttr* a = e->properties; a != nullptr; a = a->next) {
      if (!IsIdAttributeName(a->name)) continue;
      std::string value = AttrValue(a);
      if (!ids.insert(value).second) {
        return Reject("the ID " + Quoted(value) + " appears more than once in the " + std::string(document) +
                      " (signature wrapping?)");
      }
    }
    if (IsElement(e, kNsAssertion, "EncryptedAssertion")) {
      return Reject("the response holds an EncryptedAssertion; encrypted assertions are not supported",
                    "turn off assertion encryption for this SP at the IdP");
    }
    if (IsElement(e, kNsAssertion, "Assertion")) {
      if (!allowed_assertion(e)) {
        return Reject(
            "an Assertion is nested inside " + ElementName(e->parent) +
            (response_root
                 ? "; only one Assertion, directly inside the Response, is accepted (signature wrapping?)"
                 : "; only the one Assertion at the top is accepted (signature wrapping?)"));
      }
      assertions.push_back(e);
    }
    if (IsElement(e, kNsDsig, "Signature")) {
      bool on_root = response_root && e->parent == root;
      if (!on_root && !allowed_assertion(e->parent)) {
        return Reject("a ds:Signature inside " + ElementName(e->parent) +
                      (response_root ? "; signatures are accepted only on the Response and on the Assertion"
                                     : "; a signature is accepted only on the Assertion itself"));
      }
    }
  }
  return assertions;
}

Result<std::optional<int64_t>> ReadInstant(const xmlNode* node, const char* name, std::string_view where) {
  std::optional<std::string> text = Attribute(node, name);
  if (!text) return std::optional<int64_t>();
  std::optional<int64_t> t = ParseSamlInstant(*text);
  if (!t) {
    return Reject("the " + std::string(where) + " " + name + " " + Quoted(*text) +
                  " is not an xs:dateTime in UTC (SAML requires the form 2024-01-31T12:00:00Z)");
  }
  return t;
}

Status CheckIssuedNotInFuture(const xmlNode* node, std::string_view where, const AssertionRules& rules) {
  auto issued = ReadInstant(node, "IssueInstant", where);
  if (!issued.ok()) return issued.status();
  if (!issued->has_value()) return Reject("the " + std::string(where) + " has no IssueInstant");
  int64_t t = **issued;
  if (t > rules.now_ms + rules.skew_seconds * 1000) {
    return Reject("the " + std::string(where) + " was issued " + HumanDuration(t - rules.now_ms) +
                      " in the future (" + FormatRfc3339Utc(t) + ", clock skew allowed " +
                      std::to_string(rules.skew_seconds) + " s)",
                  kClockHint);
  }
  return Status::Ok();
}

// saml:Assertion = Issuer Signature? Subject? Conditions? Advice? (statements)*
Status AssertionChecker::CheckLayout() {
  std::vector<xmlNode*> kids = ChildElements(assertion_);
  size_t i = 0;
  if (i < kids.size() && IsElement(kids[i], kNsAssertion, "Issuer")) issuer_ = kids[i++];
  if (issuer_ == nullptr) return Reject("the Assertion has no Issuer");
  if (i < kids.size() && IsElement(kids[i], kNsDsig, "Signature")) signature_ = kids[i++];
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
          signature_ != nullptr
              ? "the Assertion carries more than one signature"
              : "the Assertion's signature is not right after its Issuer, where the schema puts it");
    }
    return Reject("unexpected " + ElementName(k) + " in the Assertion (SAML 2.0 schema order)");
  }
  if (signature_ == nullptr) {
    return Reject(
        "the Assertion is not signed",
        "configure the IdP to sign the assertion itself: it is forwarded alone to the login server, "
        "so a signed response is not enough");
  }
  return Status::Ok();
}

Status AssertionChecker::CheckId() {
  std::string id = Attribute(assertion_, "ID").value_or("");
  if (!IsNcName(id)) return Reject("the Assertion ID " + Quoted(id) + " is not a valid xs:ID");
  facts_.assertion_id = id;
  return Status::Ok();
}

Status AssertionChecker::VerifySignature() {
  SignaturePolicy policy;
  policy.allow_sha1 = rules_.allow_sha1;
  return VerifyEnvelopedSignature(assertion_, signature_, rules_.idp_certificates, policy, "Assertion");
}

Status AssertionChecker::CheckStatements() {
  std::string version = Attribute(assertion_, "Version").value_or("");
  if (version != "2.0")
    return Reject("the Assertion has Version " + Quoted(version) + "; only SAML 2.0 is supported");
  Status s = CheckIssuedNotInFuture(assertion_, "Assertion", rules_);
  if (!s.ok()) return s;

  std::string format = Attribute(issuer_, "Format").value_or(kEntityFormat);
  if (format != kEntityFormat)
    return Reject("the Assertion Issuer has Format " + Quoted(format) + ", not entity");
  facts_.issuer = ElementText(issuer_);
  if (rules_.idp_entity_id && facts_.issuer != *rules_.idp_entity_id) {
    return Reject("the Assertion Issuer is " + Quoted(facts_.issuer) + ", expected the IdP " +
                      Quoted(*rules_.idp_entity_id),
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
      auto t = ReadInstant(st, name, "AuthnStatement");
      if (!t.ok()) return t.status();
    }
  }
  return Status::Ok();
}

Status AssertionChecker::CheckSubject() {
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
  facts_.name_id = ElementText(name_id);
  facts_.name_id_format = Attribute(name_id, "Format").value_or("");
  if (facts_.name_id.find_first_not_of(" \t\r\n") == std::string::npos) return Reject("the NameID is empty");

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
      facts_.not_on_or_after_ms = not_on_or_after;
      return s;
    }
    if (first_failure.ok()) first_failure = s;
  }
  return first_failure;
}

Status AssertionChecker::CheckBearer(xmlNode* confirmation, int64_t* not_on_or_after) const {
  std::vector<xmlNode*> data = ChildElements(confirmation, kNsAssertion, "SubjectConfirmationData");
  if (data.size() != 1) return Reject("the bearer SubjectConfirmation has no SubjectConfirmationData");
  xmlNode* scd = data[0];

  std::optional<std::string> recipient = Attribute(scd, "Recipient");
  if (!recipient) return Reject("the bearer SubjectConfirmationData has no Recipient");
  if (*recipient != rules_.recipient) {
    bool is_acs =
        std::find(rules_.acs_urls.begin(), rules_.acs_urls.end(), *recipient) != rules_.acs_urls.end();
    if (is_acs) {
      return Reject(
          "the SubjectConfirmationData Recipient is the ACS URL " + Quoted(*recipient) +
              ", but the login server's saml2-bearer grant needs " + Quoted(rules_.recipient),
          "configure the IdP to send Recipient " + Quoted(rules_.recipient) +
              " while it keeps posting to the ACS URL, e.g. Okta: \"Recipient URL\", see docs/saml.md");
    }
    return Reject("the SubjectConfirmationData Recipient is " + Quoted(*recipient) + ", expected " +
                  Quoted(rules_.recipient));
  }

  auto not_before = ReadInstant(scd, "NotBefore", "SubjectConfirmationData");
  if (!not_before.ok()) return not_before.status();
  if (not_before->has_value()) {
    return Reject(
        "the bearer SubjectConfirmationData has a NotBefore, which SAML forbids (profiles 4.1.4.2)");
  }
  auto expiry = ReadInstant(scd, "NotOnOrAfter", "SubjectConfirmationData");
  if (!expiry.ok()) return expiry.status();
  if (!expiry->has_value()) return Reject("the bearer SubjectConfirmationData has no NotOnOrAfter");
  int64_t noa = **expiry;
  const int64_t now_ms = rules_.now_ms;
  if (now_ms >= noa + rules_.skew_seconds * 1000) {
    return Reject("the bearer confirmation expired " + HumanDuration(now_ms - noa) + " ago (NotOnOrAfter " +
                      FormatRfc3339Utc(noa) + ", clock skew allowed " + std::to_string(rules_.skew_seconds) +
                      " s)",
                  "sign in again; if this keeps happening, " + std::string(kClockHint));
  }

  if (rules_.in_response_to) {
    std::optional<std::string> irt = Attribute(scd, "InResponseTo");
    if (!irt) return Reject("the bearer SubjectConfirmationData has no InResponseTo");
    if (*irt != *rules_.in_response_to) {
      return Reject("the bearer SubjectConfirmationData answers the request " + Quoted(*irt) +
                    ", not ours (" + Quoted(*rules_.in_response_to) + ")");
    }
  }
  *not_on_or_after = noa;
  return Status::Ok();
}

Status AssertionChecker::CheckConditions() {
  if (conditions_ == nullptr) {
    return Reject("the Assertion has no Conditions (no audience, no validity window)",
                  "configure the IdP to send an AudienceRestriction with " + Quoted(rules_.audience));
  }
  auto not_before = ReadInstant(conditions_, "NotBefore", "Conditions");
  if (!not_before.ok()) return not_before.status();
  auto not_after = ReadInstant(conditions_, "NotOnOrAfter", "Conditions");
  if (!not_after.ok()) return not_after.status();
  const int64_t now_ms = rules_.now_ms;
  const int64_t skew_ms = rules_.skew_seconds * 1000;
  if (not_before->has_value() && **not_before > now_ms + skew_ms) {
    return Reject("the assertion is not valid yet: Conditions NotBefore is " +
                      FormatRfc3339Utc(**not_before) + ", " + HumanDuration(**not_before - now_ms) +
                      " from now (clock skew allowed " + std::to_string(rules_.skew_seconds) + " s)",
                  kClockHint);
  }
  if (not_after->has_value()) {
    int64_t noa = **not_after;
    if (now_ms >= noa + skew_ms) {
      return Reject("the assertion expired " + HumanDuration(now_ms - noa) +
                        " ago (Conditions NotOnOrAfter " + FormatRfc3339Utc(noa) + ", clock skew allowed " +
                        std::to_string(rules_.skew_seconds) + " s)",
                    "sign in again; if this keeps happening, " + std::string(kClockHint));
    }
    facts_.not_on_or_after_ms = std::min(facts_.not_on_or_after_ms, noa);
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
    if (std::find(audiences.begin(), audiences.end(), rules_.audience) != audiences.end()) continue;
    std::string hint = "configure the IdP's Audience (SP entity ID) as " + Quoted(rules_.audience);
    if (audiences.size() == 1) {
      return Reject("Audience is " + Quoted(audiences[0]) + ", expected " + Quoted(rules_.audience), hint);
    }
    std::string listed;
    for (const std::string& a : audiences) listed += (listed.empty() ? "" : ", ") + Quoted(a);
    return Reject("an AudienceRestriction lists " + (listed.empty() ? std::string("no Audience") : listed) +
                      ", expected " + Quoted(rules_.audience),
                  hint);
  }
  if (restrictions == 0) {
    return Reject("the Conditions have no AudienceRestriction: the assertion names no audience",
                  "configure the IdP's Audience (SP entity ID) as " + Quoted(rules_.audience));
  }
  return Status::Ok();
}

Status AssertionChecker::ReadAttributes() {
  for (xmlNode* st : statements_) {
    if (!IsElement(st, kNsAssertion, "AttributeStatement")) continue;
    for (xmlNode* attr : ChildElements(st, kNsAssertion, "Attribute")) {
      std::optional<std::string> name = Attribute(attr, "Name");
      if (!name) return Reject("an Attribute has no Name");
      std::vector<std::string>& values = facts_.attributes[*name];
      for (xmlNode* v : ChildElements(attr, kNsAssertion, "AttributeValue")) values.push_back(ElementText(v));
    }
  }
  return Status::Ok();
}

}  // namespace ssocli::saml::internal
