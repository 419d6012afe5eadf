#include "saml/idp_metadata.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <algorithm>
#include <memory>
#include <sstream>

#include "core/base64.h"
#include "core/markup.h"
#include "core/openssl_handles.h"
#include "saml/saml_xml.h"

namespace ssocli::saml {
namespace {

constexpr char kRedirectBinding[] = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";

Status Bad(std::string message, std::string hint = {}) {
  return Status::Error(ErrorKind::kSamlRejected, "IdP metadata: " + message, std::move(hint));
}

// True when `der` is exactly one X.509 certificate.
bool IsCertificate(const std::string& der) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  return cert != nullptr && p == reinterpret_cast<const unsigned char*>(der.data()) + der.size();
}

bool SupportsSaml2(const xmlNode* descriptor) {
  std::istringstream protocols(Attribute(descriptor, "protocolSupportEnumeration").value_or(""));
  std::string p;
  while (protocols >> p) {
    if (p == kNsProtocol) return true;
  }
  return false;
}

// EntityDescriptors with a SAML 2.0 IDPSSODescriptor, at any depth of EntitiesDescriptor nesting.
void CollectIdps(xmlNode* node, std::vector<xmlNode*>* out, int depth) {
  if (depth > 8) return;
  if (IsElement(node, kNsMetadata, "EntityDescriptor")) {
    for (xmlNode* d : ChildElements(node, kNsMetadata, "IDPSSODescriptor")) {
      if (SupportsSaml2(d)) {
        out->push_back(node);
        return;
      }
    }
    return;
  }
  if (IsElement(node, kNsMetadata, "EntitiesDescriptor")) {
    for (xmlNode* c : ChildElements(node)) CollectIdps(c, out, depth + 1);
  }
}

}  // namespace

Result<IdpConfig> ParseIdpMetadata(std::string_view xml) {
  auto doc = ParseUntrustedXml(xml, "IdP metadata");
  if (!doc.ok()) return doc.status();
  xmlNode* root = xmlDocGetRootElement(doc->get());
  if (!IsElement(root, kNsMetadata, "EntityDescriptor") &&
      !IsElement(root, kNsMetadata, "EntitiesDescriptor")) {
    return Bad("the document is a " + ElementName(root) + ", not SAML 2.0 metadata (md:EntityDescriptor)",
               "export the IdP's SAML 2.0 metadata XML, or give its signing certificate as PEM instead");
  }
  std::vector<xmlNode*> idps;
  CollectIdps(root, &idps, 0);
  if (idps.empty()) return Bad("no IdP in it (no IDPSSODescriptor supporting SAML 2.0)");
  if (idps.size() > 1) {
    return Bad("it describes " + std::to_string(idps.size()) + " IdPs; give a file with only the one to use");
  }
  xmlNode* entity = idps.front();

  IdpConfig config;
  config.entity_id = Attribute(entity, "entityID").value_or("");
  if (config.entity_id.empty()) return Bad("the EntityDescriptor has no entityID");

  for (xmlNode* sso : ChildElements(entity, kNsMetadata, "IDPSSODescriptor")) {
    if (!SupportsSaml2(sso)) continue;
    for (xmlNode* service : ChildElements(sso, kNsMetadata, "SingleSignOnService")) {
      if (Attribute(service, "Binding").value_or("") != kRedirectBinding) continue;
      std::string location = Attribute(service, "Location").value_or("");
      if (location.rfind("https://", 0) != 0 && location.rfind("http://", 0) != 0) {
        return Bad("the HTTP-Redirect SingleSignOnService Location " + Quoted(location) +
                   " is not an http(s) URL");
      }
      if (config.sso_redirect_url.empty()) config.sso_redirect_url = location;
    }
    for (xmlNode* kd : ChildElements(sso, kNsMetadata, "KeyDescriptor")) {
      std::string use = Attribute(kd, "use").value_or("signing");
      if (use != "signing") continue;
      for (xmlNode* ki : ChildElements(kd, kNsDsig, "KeyInfo")) {
        for (xmlNode* data : ChildElements(ki, kNsDsig, "X509Data")) {
          for (xmlNode* c : ChildElements(data, kNsDsig, "X509Certificate")) {
            std::string text = ElementText(c);
            text.erase(
                std::remove_if(text.begin(), text.end(),
                               [](char ch) { return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n'; }),
                text.end());
            auto der = Base64Decode(text);
            if (!der || !IsCertificate(*der)) {
              return Bad("a signing X509Certificate of " + Quoted(config.entity_id) + " does not parse");
            }
            if (std::find(config.signing_certificates.begin(), config.signing_certificates.end(), *der) ==
                config.signing_certificates.end()) {
              config.signing_certificates.push_back(*der);
            }
          }
        }
      }
    }
  }
  if (config.signing_certificates.size() > kMaxIdpCertificates) {
    return Bad("more than " + std::to_string(kMaxIdpCertificates) + " signing certificates");
  }
  if (config.signing_certificates.empty()) {
    return Bad("no signing certificate for " + Quoted(config.entity_id) +
                   " (KeyDescriptor use=\"signing\" with ds:X509Certificate)",
               "export the metadata again with the signing certificate, or give it with --idp-cert");
  }
  return config;
}

Result<std::vector<std::string>> ParsePemCertificates(std::string_view pem) {
  if (pem.size() > kMaxXmlBytes) {
    return Status::Error(ErrorKind::kSamlRejected, "IdP certificate file is larger than 1 MiB");
  }
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return Status::Error(ErrorKind::kInternal, "out of memory (BIO)");
  std::vector<std::string> certs;
  while (true) {
    X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (!cert) break;
    int len = i2d_X509(cert.get(), nullptr);
    if (len <= 0) break;
    std::string der(static_cast<size_t>(len), '\0');
    unsigned char* p = reinterpret_cast<unsigned char*>(der.data());
    i2d_X509(cert.get(), &p);
    if (std::find(certs.begin(), certs.end(), der) == certs.end()) certs.push_back(std::move(der));
  }
  ERR_clear_error();
  if (certs.size() > kMaxIdpCertificates) {
    return Status::Error(ErrorKind::kSamlRejected, "IdP certificate: more than " +
                                                       std::to_string(kMaxIdpCertificates) + " certificates");
  }
  if (certs.empty()) {
    return Status::Error(ErrorKind::kSamlRejected,
                         "IdP certificate: no PEM certificate (-----BEGIN CERTIFICATE-----) found",
                         "download the IdP's signing certificate in PEM (Base64) format");
  }
  return certs;
}

Result<std::string> BuildIdpMetadata(const IdpConfig& idp) {
  const auto usage = [](std::string message) {
    return Status::Error(ErrorKind::kUsage, "IdP metadata: " + std::move(message));
  };
  for (const std::string* text : {&idp.entity_id, &idp.sso_redirect_url}) {
    for (unsigned char c : *text) {
      if (c < 0x20 || c == 0x7f) return usage("control characters in " + Quoted(*text));
    }
  }
  if (idp.entity_id.empty()) return usage("no entity ID");
  if (idp.sso_redirect_url.rfind("https://", 0) != 0 && idp.sso_redirect_url.rfind("http://", 0) != 0) {
    return usage("the SSO URL " + Quoted(idp.sso_redirect_url) + " is not an http(s) URL");
  }
  if (idp.signing_certificates.empty()) return usage("no signing certificate");
  std::string x =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\""
      " xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\" entityID=\"" +
      EscapeMarkup(idp.entity_id) +
      "\">\n"
      "  <md:IDPSSODescriptor WantAuthnRequestsSigned=\"false\""
      " protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:2.0:protocol\">\n";
  for (const std::string& der : idp.signing_certificates) {
    x += "    <md:KeyDescriptor use=\"signing\"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>" +
         Base64Encode(der) + "</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>\n";
  }
  x += "    <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>\n"
       "    <md:SingleSignOnService Binding=\"" +
       std::string(kRedirectBinding) + "\" Location=\"" + EscapeMarkup(idp.sso_redirect_url) +
       "\"/>\n"
       "  </md:IDPSSODescriptor>\n"
       "</md:EntityDescriptor>\n";
  return x;
}

Result<IdpConfig> IdpConfigFromPem(std::string_view pem) {
  auto certs = ParsePemCertificates(pem);
  if (!certs.ok()) return certs.status();
  IdpConfig config;
  config.signing_certificates = std::move(certs.value());
  return config;
}

}  // namespace ssocli::saml
