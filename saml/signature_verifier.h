// Verifies one enveloped XML signature of a SAML element (Response or Assertion) with pinned keys.
//
// The key is only ever one of the configured IdP certificates, never anything from KeyInfo; the
// signature must have exactly one same-document Reference whose URI is exactly "#" + the element's ID;
// transforms are limited to enveloped-signature and exclusive c14n (with or without comments); digests
// SHA-256/384/512 and signatures RSA or ECDSA with SHA-256/384/512 (SHA-1 only when allowed); HMAC never.
// Each of those is checked by us on the tree before xmlsec runs and enforced again inside xmlsec
// (whitelists, same-document URIs only, pinned signKey), and xmlsec's result is read the safe way
// (status Succeeded, one reference, its status and URI). See saml.md "libxmlsec 1.2.37 traps".
#pragma once

#include <libxml/tree.h>

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace ssocli::saml {

struct SignaturePolicy {
  bool allow_sha1 = false;  // rsa-sha1 / ecdsa-sha1 signatures and sha1 digests
};

// REQUIRES: `signature` is a ds:Signature child of `element`; the document passed the structural
// checks of the caller (unique IDs, no DTD). `element` must carry an ID attribute (an NCName).
// `label` names the element in messages ("Assertion", "Response").
// Registers `element`'s ID (and only it) with the document, then verifies. Returns OK when one of
// `certificates` (DER) verifies the signature; otherwise kSamlRejected saying what is wrong
// ("the Assertion was modified after it was signed", "the Assertion's signature does not verify with
// the IdP certificate", "... uses SHA-1, which is refused", ...).
Status VerifyEnvelopedSignature(xmlNode* element, xmlNode* signature,
                                const std::vector<std::string>& certificates, const SignaturePolicy& policy,
                                std::string_view label);

}  // namespace ssocli::saml
