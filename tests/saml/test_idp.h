// A test IdP independent of the code under test: keys made by the openssl CLI, responses written from a
// spec and signed by the xmlsec1 CLI. Tests change one field of a good response to get each violation.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "saml/response_validator.h"
#include "saml/signature_signer.h"

namespace ssocli::saml::testing {

struct TestKey {
  std::string key_path;   // PEM private key
  std::string cert_path;  // PEM self-signed certificate
  std::string cert_pem;
  std::vector<std::string> certs_der;
};

// RSA-2048 (or ECDSA P-256) key and a self-signed certificate, made with the openssl CLI under `dir`.
TestKey MakeTestKey(const std::string& dir, const std::string& name, bool ec = false);

// The key as saml/signature_signer.h signs with it. Throws when it does not load.
SigningKey SigningKeyOf(const TestKey& key);

inline constexpr char kRsaSha256[] = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
inline constexpr char kRsaSha512[] = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512";
inline constexpr char kRsaSha1[] = "http://www.w3.org/2000/09/xmldsig#rsa-sha1";
inline constexpr char kEcdsaSha256[] = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256";
inline constexpr char kSha256[] = "http://www.w3.org/2001/04/xmlenc#sha256";
inline constexpr char kSha512[] = "http://www.w3.org/2001/04/xmlenc#sha512";
inline constexpr char kSha1[] = "http://www.w3.org/2000/09/xmldsig#sha1";

inline constexpr char kIdp[] = "https://idp.test/saml/metadata";
inline constexpr char kSp[] = "sp.test";
inline constexpr char kAcs[] = "http://127.0.0.1:8765/saml/acs";
inline constexpr char kAlias[] = "https://login.test/oauth/token/alias/sp.test";
inline constexpr char kRequestId[] = "_req-42";
inline constexpr char kNow[] = "2024-01-01T12:01:00Z";

// Every field of a typical response, valid at kNow for the expectations of DefaultExpectations().
// An empty optional-looking string ("") means the attribute or element is left out.
struct ResponseSpec {
  std::string response_id = "_resp-1";
  std::string assertion_id = "_assert-1";
  std::string version = "2.0";
  std::string assertion_version = "2.0";
  std::string response_issuer = kIdp;
  std::string assertion_issuer = kIdp;
  std::string destination = kAcs;
  std::string in_response_to = kRequestId;
  std::string issue_instant = "2024-01-01T12:00:00Z";
  std::string status = "urn:oasis:names:tc:SAML:2.0:status:Success";
  std::string name_id = "alice@example.test";
  std::string method = "urn:oasis:names:tc:SAML:2.0:cm:bearer";
  std::string recipient = kAlias;
  std::string scd_in_response_to = kRequestId;
  std::string scd_not_before;  // bearer: must stay empty
  std::string scd_not_on_or_after = "2024-01-01T12:05:00Z";
  bool conditions = true;
  std::string not_before = "2024-01-01T11:59:00Z";
  std::string not_on_or_after = "2024-01-01T12:06:00Z";
  std::vector<std::vector<std::string>> audience_restrictions = {{kSp}};
  bool authn_statement = true;
  // Attribute values typed with xsi:type="xs:string", the xs prefix declared on the Response only:
  // the exported assertion must carry it (saml.md rule 7).
  std::map<std::string, std::vector<std::string>> attributes = {{"groups", {"users", "admins"}}};
  bool sign_assertion = true;
  bool sign_response = false;
  std::string signature_method = kRsaSha256;
  std::string digest_method = kSha256;
  std::optional<std::string> assertion_reference_uri;  // default "#" + assertion_id
};

// The unsigned document, with signature templates where the spec asks for signatures.
std::string ResponseTemplate(const ResponseSpec& spec);

// The document signed with `key` by the xmlsec1 CLI (the Assertion first, then the Response). Aborts
// the test (throws) when xmlsec1 fails.
std::string SignedResponse(const ResponseSpec& spec, const TestKey& key, const std::string& dir);

// What ssocli expects of the default spec, trusting `key`.
ResponseExpectations DefaultExpectations(const TestKey& key, const Clock* clock);
int64_t DefaultNowSeconds();

// Replaces the first occurrence of `from` (which must be there) by `to`.
std::string ReplaceOnce(std::string text, const std::string& from, const std::string& to);

}  // namespace ssocli::saml::testing
