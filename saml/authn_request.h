// SP-initiated sign-in: the AuthnRequest the browser flow sends with the HTTP-Redirect binding
// (SAML bindings 3.4: raw DEFLATE, base64, URL-encoded SAMLRequest, plus RelayState; unsigned).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace ssocli::saml {

inline constexpr char kNameIdFormatUnspecified[] = "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified";
inline constexpr char kNameIdFormatEmail[] = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress";

struct AuthnRequestParams {
  std::string sp_entity_id;  // Issuer; what the IdP knows this SP as (= the expected Audience)
  std::string acs_url;       // AssertionConsumerServiceURL, e.g. http://127.0.0.1:PORT/saml/acs
  std::string idp_sso_url;   // the IdP's HTTP-Redirect SingleSignOnService (Destination)
  std::string name_id_format = kNameIdFormatUnspecified;  // NameIDPolicy/@Format; empty: no NameIDPolicy
  std::string relay_state;  // returned by the IdP with the response (the flow's state); may be empty
  bool force_authn = false;
};

struct AuthnRequest {
  std::string id;            // the outstanding request ID: the Response's InResponseTo must equal it
  std::string xml;           // the AuthnRequest document
  std::string redirect_url;  // idp_sso_url + SAMLRequest (+ RelayState): where to send the browser
};

// A fresh request ID: "_" followed by 40 hex digits from OpenSSL's CSPRNG (160 bits).
std::string NewRequestId();

// Builds the request with `id` (an NCName; use NewRequestId()) issued at `now_seconds` (the injected
// clock). kUsage when a parameter is empty where required, is not an http(s) URL, or holds characters
// XML cannot carry.
Result<AuthnRequest> BuildAuthnRequest(const AuthnRequestParams& params, const std::string& id,
                                       int64_t now_seconds);

// The IdP side: what an IdP reads from a request it received with the HTTP-Redirect binding.
struct ReceivedAuthnRequest {
  std::string id;           // the Response's InResponseTo
  std::string issuer;       // the SP entity ID (= the Audience to send)
  std::string acs_url;      // AssertionConsumerServiceURL: where to post the Response
  std::string destination;  // the IdP URL the SP addressed; may be empty
  int64_t issue_instant_ms = 0;
  bool force_authn = false;
  std::string xml;  // the inflated document
};

// The largest inflated AuthnRequest accepted (real ones are well under 2 KiB).
inline constexpr size_t kMaxAuthnRequestBytes = 64 * 1024;

// Decodes a SAMLRequest value of the HTTP-Redirect binding (already URL-decoded): base64 (a space is
// read as the '+' a lax URL encoder left unescaped), raw DEFLATE bounded to kMaxAuthnRequestBytes,
// and a samlp:AuthnRequest parsed under the same hardened policy as responses. Requires an NCName ID,
// Version 2.0, a UTC IssueInstant, a non-empty Issuer, an http(s) AssertionConsumerServiceURL (this
// IdP keeps no registry of SPs) and, when present, ProtocolBinding HTTP-POST. kSamlRejected saying what
// is wrong otherwise. A signature on the request (SigAlg/Signature parameters) is not checked.
Result<ReceivedAuthnRequest> ParseRedirectAuthnRequest(std::string_view saml_request);

// Raw DEFLATE (RFC 1951, no zlib header) as the Redirect binding wants, and its inverse bounded to
// `max_output` bytes (inflate bombs fail with kSamlRejected).
Result<std::string> RawDeflate(std::string_view data);
Result<std::string> RawInflate(std::string_view data, size_t max_output);

}  // namespace ssocli::saml
