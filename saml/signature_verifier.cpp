#include "saml/signature_verifier.h"

#include <libxml/valid.h>
#include <xmlsec/crypto.h>
#include <xmlsec/errors.h>
#include <xmlsec/keys.h>
#include <xmlsec/transforms.h>
#include <xmlsec/xmldsig.h>
#include <xmlsec/xmlsec.h>

#include <algorithm>
#include <array>
#include <memory>

#include "saml/saml_xml.h"
#include "saml/xmlsec_handles.h"

namespace ssocli::saml {
namespace {

constexpr char kNsExcC14n[] = "http://www.w3.org/2001/10/xml-exc-c14n#";

constexpr char kExcC14n[] = "http://www.w3.org/2001/10/xml-exc-c14n#";
constexpr char kExcC14nComments[] = "http://www.w3.org/2001/10/xml-exc-c14n#WithComments";
constexpr char kEnveloped[] = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";

struct Algorithm {
  const char* uri;
  bool sha1;
};
constexpr std::array<Algorithm, 4> kDigests = {{
    {"http://www.w3.org/2001/04/xmlenc#sha256", false},
    {"http://www.w3.org/2001/04/xmldsig-more#sha384", false},
    {"http://www.w3.org/2001/04/xmlenc#sha512", false},
    {"http://www.w3.org/2000/09/xmldsig#sha1", true},
}};
constexpr std::array<Algorithm, 8> kSignatureMethods = {{
    {"http://www.w3.org/2001/04/xmldsig-more#rsa-sha256", false},
    {"http://www.w3.org/2001/04/xmldsig-more#rsa-sha384", false},
    {"http://www.w3.org/2001/04/xmldsig-more#rsa-sha512", false},
    {"http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256", false},
    {"http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384", false},
    {"http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512", false},
    {"http://www.w3.org/2000/09/xmldsig#rsa-sha1", true},
    {"http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha1", true},
}};

const char kSha1Hint[] =
    "configure the IdP to sign with RSA-SHA256 and a SHA-256 digest, or allow SHA-1 explicitly";

// "rsa-sha256" from "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256".
std::string ShortName(const std::string& uri) {
  size_t hash = uri.rfind('#');
  return Quoted(hash == std::string::npos ? uri : uri.substr(hash + 1));
}

template <size_t N>
const Algorithm* Find(const std::array<Algorithm, N>& table, const std::string& uri) {
  for (const Algorithm& a : table) {
    if (uri == a.uri) return &a;
  }
  return nullptr;
}

Status Reject(std::string message, std::string hint = {}) {
  return Status::Error(ErrorKind::kSamlRejected, std::move(message), std::move(hint));
}

// Only <ec:InclusiveNamespaces> may sit inside an exclusive-c14n method.
bool OnlyInclusiveNamespaces(const xmlNode* method) {
  for (const xmlNode* c : ChildElements(method)) {
    if (!IsElement(c, kNsExcC14n, "InclusiveNamespaces")) return false;
  }
  return true;
}

// Our own reading of SignedInfo, before xmlsec: what SAML allows, with a precise reason otherwise.
Status CheckSignatureShape(xmlNode* signature, const std::string& expected_uri, const SignaturePolicy& policy,
                           std::string_view label) {
  const std::string who = "the " + std::string(label) + "'s signature";
  std::vector<xmlNode*> parts = ChildElements(signature);
  if (parts.empty() || !IsElement(parts[0], kNsDsig, "SignedInfo")) return Reject(who + " has no SignedInfo");
  if (parts.size() < 2 || !IsElement(parts[1], kNsDsig, "SignatureValue")) {
    return Reject(who + " has no SignatureValue");
  }
  for (size_t i = 2; i < parts.size(); ++i) {
    if (!(i == 2 && IsElement(parts[i], kNsDsig, "KeyInfo"))) {
      return Reject(who + " contains " + ElementName(parts[i]) +
                    "; only SignedInfo, SignatureValue and KeyInfo are allowed");
    }
  }
  if (ElementText(parts[1]).find_first_not_of(" \t\r\n") == std::string::npos) {
    return Reject(who + " has an empty SignatureValue");
  }

  std::vector<xmlNode*> info = ChildElements(parts[0]);
  if (info.size() < 3 || !IsElement(info[0], kNsDsig, "CanonicalizationMethod") ||
      !IsElement(info[1], kNsDsig, "SignatureMethod")) {
    return Reject(who + " has a malformed SignedInfo");
  }
  size_t references = 0;
  for (size_t i = 2; i < info.size(); ++i) {
    if (!IsElement(info[i], kNsDsig, "Reference")) {
      return Reject(who + "'s SignedInfo contains " + ElementName(info[i]));
    }
    ++references;
  }
  if (references != 1) {
    return Reject(who + " has " + std::to_string(references) + " References; SAML allows exactly one");
  }

  std::string c14n = Attribute(info[0], "Algorithm").value_or("");
  if ((c14n != kExcC14n && c14n != kExcC14nComments) || !OnlyInclusiveNamespaces(info[0])) {
    return Reject(who + " uses the canonicalization " + ShortName(c14n) + "; only exclusive c14n is allowed");
  }
  std::string method = Attribute(info[1], "Algorithm").value_or("");
  if (method.find("hmac") != std::string::npos) return Reject(who + " is an HMAC, which is never accepted");
  const Algorithm* sig = Find(kSignatureMethods, method);
  if (sig == nullptr || HasElementChildren(info[1])) {
    return Reject(who + " uses the algorithm " + ShortName(method) +
                  "; allowed are RSA or ECDSA with SHA-256, SHA-384 or SHA-512");
  }
  if (sig->sha1 && !policy.allow_sha1) {
    return Reject(who + " uses SHA-1 (" + ShortName(method) + "), which is refused", kSha1Hint);
  }

  xmlNode* reference = info[2];
  std::optional<std::string> uri = Attribute(reference, "URI");
  if (!uri) return Reject(who + "'s Reference has no URI; it must be " + Quoted(expected_uri));
  if (*uri != expected_uri) {
    return Reject(who + " references " + Quoted(*uri) + ", not the " + std::string(label) + " itself (" +
                  Quoted(expected_uri) + ")");
  }
  std::vector<xmlNode*> ref_parts = ChildElements(reference);
  size_t next = 0;
  if (next < ref_parts.size() && IsElement(ref_parts[next], kNsDsig, "Transforms")) {
    std::vector<xmlNode*> transforms = ChildElements(ref_parts[next]);
    for (xmlNode* t : transforms) {
      std::string algorithm = Attribute(t, "Algorithm").value_or("");
      bool ok = IsElement(t, kNsDsig, "Transform") &&
                ((algorithm == kEnveloped && !HasElementChildren(t)) ||
                 ((algorithm == kExcC14n || algorithm == kExcC14nComments) && OnlyInclusiveNamespaces(t)));
      if (!ok) {
        return Reject(who + " uses the transform " + ShortName(algorithm) +
                      "; only enveloped-signature and exclusive c14n are allowed");
      }
    }
    if (transforms.empty() || transforms.size() > 2) {
      return Reject(who + " has " + std::to_string(transforms.size()) +
                    " transforms; at most enveloped-signature and one exclusive c14n are allowed");
    }
    ++next;
  }
  if (next >= ref_parts.size() || !IsElement(ref_parts[next], kNsDsig, "DigestMethod")) {
    return Reject(who + "'s Reference has no DigestMethod");
  }
  std::string digest = Attribute(ref_parts[next], "Algorithm").value_or("");
  const Algorithm* dig = Find(kDigests, digest);
  if (dig == nullptr || HasElementChildren(ref_parts[next])) {
    return Reject(who + " uses the digest " + ShortName(digest) +
                  "; allowed are SHA-256, SHA-384 and SHA-512");
  }
  if (dig->sha1 && !policy.allow_sha1) {
    return Reject(who + " uses a SHA-1 digest, which is refused", kSha1Hint);
  }
  ++next;
  if (next >= ref_parts.size() || !IsElement(ref_parts[next], kNsDsig, "DigestValue") ||
      next + 1 != ref_parts.size()) {
    return Reject(who + "'s Reference is malformed (DigestValue)");
  }
  return Status::Ok();
}

// The xmlsec context for one attempt with one pinned key: every option set explicitly, so 1.2.x and
// 1.3.x behave the same.
Result<DSigCtxPtr> NewContext(xmlSecKey* key,
                                                               const SignaturePolicy& policy) {
  DSigCtxPtr ctx(xmlSecDSigCtxCreate(nullptr));  // no keys manager
  if (!ctx) return Status::Error(ErrorKind::kInternal, "out of memory (xmlsec context)");
  ctx->flags = XMLSEC_DSIG_FLAGS_IGNORE_MANIFESTS;
  ctx->flags2 = 0;
  ctx->enabledReferenceUris = xmlSecTransformUriTypeSameDocument;  // not "", not file:, not http:
  ctx->keyInfoReadCtx.keysMngr = nullptr;
  ctx->signKey = key;  // owned by ctx from here; KeyInfo is never read when signKey is set

  const xmlSecTransformId reference_transforms[] = {
      xmlSecTransformEnvelopedId, xmlSecTransformExclC14NId, xmlSecTransformExclC14NWithCommentsId,
      xmlSecTransformSha256Id,    xmlSecTransformSha384Id,   xmlSecTransformSha512Id,
  };
  const xmlSecTransformId signature_transforms[] = {
      xmlSecTransformExclC14NId,    xmlSecTransformExclC14NWithCommentsId,
      xmlSecTransformRsaSha256Id,   xmlSecTransformRsaSha384Id,
      xmlSecTransformRsaSha512Id,   xmlSecTransformEcdsaSha256Id,
      xmlSecTransformEcdsaSha384Id, xmlSecTransformEcdsaSha512Id,
  };
  bool ok = true;
  for (xmlSecTransformId t : reference_transforms)
    ok = ok && xmlSecDSigCtxEnableReferenceTransform(ctx.get(), t) >= 0;
  for (xmlSecTransformId t : signature_transforms)
    ok = ok && xmlSecDSigCtxEnableSignatureTransform(ctx.get(), t) >= 0;
  if (policy.allow_sha1) {
    ok = ok && xmlSecDSigCtxEnableReferenceTransform(ctx.get(), xmlSecTransformSha1Id) >= 0;
    ok = ok && xmlSecDSigCtxEnableSignatureTransform(ctx.get(), xmlSecTransformRsaSha1Id) >= 0;
    ok = ok && xmlSecDSigCtxEnableSignatureTransform(ctx.get(), xmlSecTransformEcdsaSha1Id) >= 0;
  }
  if (!ok) return Status::Error(ErrorKind::kInternal, "cannot configure xmlsec's transform whitelist");
  return ctx;
}

// Registers exactly the ID we verify, so "#ID" resolves to `element` and nothing else.
Status RegisterId(xmlNode* element, const std::string& id, std::string_view label) {
  xmlAttr* attr = xmlHasNsProp(element, BAD_CAST "ID", nullptr);
  if (attr == nullptr) return Reject("the " + std::string(label) + " has no ID");
  xmlAttr* registered = xmlGetID(element->doc, BAD_CAST id.c_str());
  if (registered == attr) return Status::Ok();
  if (registered != nullptr) return Reject("the ID " + Quoted(id) + " is used twice");
  if (xmlAddID(nullptr, element->doc, BAD_CAST id.c_str(), attr) == nullptr) {
    return Status::Error(ErrorKind::kInternal, "cannot register the ID " + Quoted(id));
  }
  return Status::Ok();
}

enum class Attempt { kValid, kBadDigest, kBadSignature, kError };

}  // namespace

Status VerifyEnvelopedSignature(xmlNode* element, xmlNode* signature,
                                const std::vector<std::string>& certificates, const SignaturePolicy& policy,
                                std::string_view label) {
  Status init = InitXmlSecurity();
  if (!init.ok()) return init;
  if (certificates.empty()) return Status::Error(ErrorKind::kUsage, "no IdP certificate configured");
  if (signature == nullptr || signature->parent != element || !IsElement(signature, kNsDsig, "Signature")) {
    return Status::Error(ErrorKind::kInternal,
                         "VerifyEnvelopedSignature: signature is not a child of the element");
  }
  std::string id = Attribute(element, "ID").value_or("");
  if (id.empty())
    return Reject("the " + std::string(label) + " has no ID, so its signature cannot refer to it");
  const std::string expected_uri = "#" + id;

  Status shape = CheckSignatureShape(signature, expected_uri, policy, label);
  if (!shape.ok()) return shape;
  Status registered = RegisterId(element, id, label);
  if (!registered.ok()) return registered;

  size_t unusable = 0;
  size_t refused = 0;     // xmlsec stopped before comparing: a construct outside its whitelists
  size_t mismatched = 0;  // the key type does not fit the signature algorithm
  for (const std::string& der : certificates) {
    TakeXmlSecErrors();
    XmlSecKeyPtr key(xmlSecCryptoAppKeyLoadMemory(
        reinterpret_cast<const xmlSecByte*>(der.data()), static_cast<xmlSecSize>(der.size()),
        xmlSecKeyDataFormatCertDer, nullptr, nullptr, nullptr));
    if (!key) {
      ++unusable;
      continue;
    }
    auto ctx = NewContext(key.release(), policy);
    if (!ctx.ok()) return ctx.status();
    int rc = xmlSecDSigCtxVerify(ctx->get(), signature);
    std::vector<int> errors = TakeXmlSecErrors();

    Attempt outcome = Attempt::kError;
    xmlSecPtrList* refs = &(*ctx)->signedInfoReferences;
    xmlSecSize nrefs = xmlSecPtrListGetSize(refs);
    auto* ref = nrefs == 1 ? static_cast<xmlSecDSigReferenceCtx*>(xmlSecPtrListGetItem(refs, 0)) : nullptr;
    if (rc >= 0 && ref != nullptr) {
      bool uri_ok = ref->uri != nullptr && expected_uri == reinterpret_cast<const char*>(ref->uri);
      if (!uri_ok) {
        outcome = Attempt::kError;
      } else if (ref->status != xmlSecDSigStatusSucceeded) {
        outcome = Attempt::kBadDigest;
      } else if ((*ctx)->status == xmlSecDSigStatusSucceeded) {
        outcome = Attempt::kValid;
      } else {
        outcome = Attempt::kBadSignature;
      }
    }
    bool key_mismatch =
        std::find(errors.begin(), errors.end(), XMLSEC_ERRORS_R_KEY_NOT_FOUND) != errors.end();
    if (outcome == Attempt::kError && key_mismatch) {
      ++mismatched;
      continue;
    }

    switch (outcome) {
      case Attempt::kValid:
        return Status::Ok();
      case Attempt::kBadDigest:
        // The digest does not depend on the key: no other certificate can help.
        return Reject("the " + std::string(label) + " was modified after it was signed (digest mismatch)",
                      "the response was altered in transit or by someone other than the IdP");
      case Attempt::kError:
        ++refused;
        break;
      case Attempt::kBadSignature:
        break;
    }
  }
  if (unusable == certificates.size()) {
    return Reject("none of the configured IdP certificates holds a usable public key");
  }
  std::string which = certificates.size() == 1
                          ? "the IdP certificate"
                          : "any of the " + std::to_string(certificates.size()) + " IdP certificates";
  if (mismatched + unusable == certificates.size()) {
    return Reject("the " + std::string(label) + "'s signature algorithm does not fit the key of " + which,
                  "check that the configured certificate is the IdP's current signing certificate");
  }
  if (refused + unusable == certificates.size()) {
    return Reject("the " + std::string(label) + "'s signature uses a construct the verifier refuses");
  }
  return Reject(
      "the " + std::string(label) + "'s signature does not verify with " + which,
      "it was signed by another key: update the IdP certificate or metadata if the IdP rolled its key");
}

}  // namespace ssocli::saml
