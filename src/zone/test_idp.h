// The zone's built-in external IdP (/idp/), what Okta or ADFS is to a real zone: SAML 2.0 SSO with the
// HTTP-Redirect binding, a login form checked against the zone's users, and signed Responses that the
// browser auto-posts to the SP's ACS URL (which may be get_token's loopback listener). Also its
// metadata, and the minting behind /__test/saml-response. A test double: it posts to any http(s) ACS
// URL an AuthnRequest names, once the user's password is right.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>

#include "core/clock.h"
#include "core/status.h"
#include "saml/authn_request.h"
#include "saml/response_builder.h"
#include "saml/signature_signer.h"
#include "zone/form_params.h"
#include "zone/http_reply.h"
#include "zone/user_directory.h"
#include "zone/zone_config.h"

namespace ssocli {

// Lifetime of the Responses the IdP issues (their Conditions and bearer confirmation).
inline constexpr int64_t kIdpResponseLifetime = 300;

struct TestIdpSettings {
  std::string base_url;      // the zone's, e.g. http://127.0.0.1:40123
  std::string entity_id;     // the IdP's Issuer
  std::string zone_acs_url;  // the zone's own ACS: a Response for it carries the ACS URL as Recipient
  IdpRecipient recipient = IdpRecipient::kTokenAlias;  // for every other ACS
};

// One Response to mint. Optional fields default to what the IdP does for a real sign-in.
struct MintRequest {
  std::string acs_url;                              // where the browser posts it (required, http or https)
  std::string in_response_to;                       // the AuthnRequest ID; empty: unsolicited
  std::string audience;                             // the SP entity ID (required)
  std::string user;                                 // the NameID (required)
  std::string email;                                // an "email" attribute; empty: none
  std::optional<std::string> recipient;             // default RecipientFor(acs_url, audience); "": none
  std::optional<std::string> destination;           // default acs_url; "": none
  std::optional<std::string> issuer;                // default the IdP's entity ID
  int64_t lifetime_seconds = kIdpResponseLifetime;  // negative: already expired
  saml::SignedParts sign = saml::SignedParts::kAssertion;
  bool attacker_key = false;  // sign with a key the zone does not trust
};

class TestIdp {
 public:
  // `key`: from --idp-key/--idp-cert; nullopt: a key and self-signed certificate are generated on
  // first use. `users` and `clock` must outlive the IdP.
  TestIdp(TestIdpSettings settings, std::optional<saml::SigningKey> key, const UserDirectory* users,
          const Clock* clock);

  HttpReply Metadata();                            // GET /idp/metadata
  HttpReply SsoPage(const RequestParams& params);  // GET /idp/sso?SAMLRequest=..&RelayState=..
  HttpReply Login(const RequestParams& params);    // POST /idp/login

  // The SAMLResponse form value (base64 of the signed document). kUsage for a bad request.
  Result<std::string> MintResponse(const MintRequest& request);

  // The Recipient the IdP sends for an SP: its ACS URL for the zone itself (a web sign-in), otherwise
  // the token alias URL <base URL>/oauth/token/alias/<SP entity ID> that the saml2-bearer grant needs,
  // unless --idp-recipient acs asks for the common misconfiguration.
  std::string RecipientFor(const std::string& acs_url, const std::string& sp_entity_id) const;

  // The signing key, generated on the first call when none was configured. Thread-safe.
  Result<const saml::SigningKey*> Key();
  const std::string& entity_id() const { return settings_.entity_id; }
  std::string sso_url() const { return settings_.base_url + "/idp/sso"; }

 private:
  Result<const saml::SigningKey*> AttackerKey();
  HttpReply LoginPage(int status, const std::string& saml_request, const std::string& relay_state,
                      const saml::ReceivedAuthnRequest& request, const std::string& username,
                      const std::string& error) const;

  const TestIdpSettings settings_;
  const UserDirectory* users_;
  const Clock* clock_;
  std::mutex mu_;
  std::optional<saml::SigningKey> key_;       // guarded by mu_; never reset once set
  std::optional<saml::SigningKey> attacker_;  // guarded by mu_; never reset once set
};

}  // namespace ssocli
