// The checks a signed <saml:Assertion> must pass wherever it comes from: inside a Response the IdP posted
// to the browser flow (response_validator) or alone, as the login server's saml2-bearer grant receives it
// (bearer_assertion). One implementation, so both read an assertion the same STRICT way (docs/saml.md).
// Internal to saml/: callers use ValidateResponse or ValidateBearerAssertion.
#pragma once

#include <libxml/tree.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace ssocli::saml::internal {

// A rejection: kSamlRejected with what is wrong and, when set, what to change.
Status Reject(std::string message, std::string hint = {});

// What an assertion is checked against, at one instant.
struct AssertionRules {
  std::vector<std::string> idp_certificates;  // DER; at least one
  std::optional<std::string> idp_entity_id;   // the Issuer; nullopt: not compared
  std::string audience;                       // required in every AudienceRestriction
  std::string recipient;                      // of the bearer SubjectConfirmationData
  // Recipient values that are the ACS URL: only to explain the common misconfiguration.
  std::vector<std::string> acs_urls;
  std::optional<std::string> in_response_to;  // required on the bearer SubjectConfirmationData when set
  int64_t now_ms = 0;
  int64_t skew_seconds = 60;
  bool allow_sha1 = false;
};

// What a checked assertion says.
struct AssertionFacts {
  std::string name_id;
  std::string name_id_format;
  std::string issuer;
  std::string assertion_id;
  int64_t not_on_or_after_ms = 0;  // earliest of Conditions and the bearer SubjectConfirmationData
  std::map<std::string, std::vector<std::string>> attributes;
};

// Rule 3 over a whole tree whose root is a samlp:Response or a saml:Assertion: every ID/Id/id value
// unique, no EncryptedAssertion, Assertions only as the root itself or as direct children of a Response
// root, ds:Signature only on the root or on such an Assertion. `document` names the tree in messages
// ("response", "assertion"). Returns the Assertions, in document order.
Result<std::vector<xmlNode*>> CheckTreeStructure(xmlNode* root, std::string_view document);

// A dateTime attribute: nullopt when absent; a rejection when present and not "...Z" (SAML core 1.3.3).
Result<std::optional<int64_t>> ReadInstant(const xmlNode* node, const char* name, std::string_view where);

// The IssueInstant of `node` is present and not beyond now + skew.
Status CheckIssuedNotInFuture(const xmlNode* node, std::string_view where, const AssertionRules& rules);

// Checks one Assertion step by step; each step assumes the earlier ones passed. The order is the
// caller's: structure first, signatures next, and only then what the signed data says, so that no
// message ever quotes semantics from an unverified assertion.
class AssertionChecker {
 public:
  // `assertion` and `rules` must outlive the checker.
  AssertionChecker(xmlNode* assertion, const AssertionRules& rules) : assertion_(assertion), rules_(rules) {}

  // Schema order: Issuer Signature? Subject? Conditions? Advice? statements*; the Signature required.
  Status CheckLayout();
  // The ID is an xs:ID (NCName).
  Status CheckId();
  // The enveloped signature, with the pinned certificates only.
  Status VerifySignature();
  // Version 2.0, IssueInstant, the Issuer (entity format, the trusted IdP), an AuthnStatement.
  Status CheckStatements();
  // NameID and a bearer SubjectConfirmation satisfying every rule (Recipient, NotOnOrAfter, no NotBefore,
  // InResponseTo when expected).
  Status CheckSubject();
  // Conditions validity window and AudienceRestrictions.
  Status CheckConditions();
  Status ReadAttributes();

  xmlNode* signature() const { return signature_; }
  const AssertionFacts& facts() const { return facts_; }
  AssertionFacts& facts() { return facts_; }

 private:
  Status CheckBearer(xmlNode* confirmation, int64_t* not_on_or_after) const;

  xmlNode* assertion_;
  const AssertionRules& rules_;
  xmlNode* issuer_ = nullptr;
  xmlNode* signature_ = nullptr;
  xmlNode* subject_ = nullptr;
  xmlNode* conditions_ = nullptr;
  std::vector<xmlNode*> statements_;
  AssertionFacts facts_;
};

}  // namespace ssocli::saml::internal
