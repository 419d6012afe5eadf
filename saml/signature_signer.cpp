#include "saml/signature_signer.h"

#include <libxml/valid.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <xmlsec/crypto.h>
#include <xmlsec/templates.h>
#include <xmlsec/xmldsig.h>
#include <xmlsec/xmlsec.h>

#include <ctime>
#include <memory>

#include "core/openssl_handles.h"
#include "saml/saml_xml.h"
#include "saml/xmlsec_handles.h"

namespace ssocli::saml {
namespace {

BioPtr MemoryBio(std::string_view data) {
  return BioPtr(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
}

std::string BioText(BIO* bio) {
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  return n > 0 ? std::string(data, static_cast<size_t>(n)) : std::string();
}

Result<std::string> KeyPem(EVP_PKEY* key) {
  BioPtr out(BIO_new(BIO_s_mem()));
  if (!out || PEM_write_bio_PrivateKey(out.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return Status::Error(ErrorKind::kInternal, "cannot write the IdP key as PEM");
  }
  return BioText(out.get());
}

Result<std::string> CertPem(X509* cert) {
  BioPtr out(BIO_new(BIO_s_mem()));
  if (!out || PEM_write_bio_X509(out.get(), cert) != 1) {
    return Status::Error(ErrorKind::kInternal, "cannot write the IdP certificate as PEM");
  }
  return BioText(out.get());
}

Result<std::string> CertDer(X509* cert) {
  int n = i2d_X509(cert, nullptr);
  if (n <= 0) return Status::Error(ErrorKind::kInternal, "cannot encode the IdP certificate");
  std::string der(static_cast<size_t>(n), '\0');
  auto* p = reinterpret_cast<unsigned char*>(der.data());
  i2d_X509(cert, &p);
  return der;
}

}  // namespace

Result<SigningKey> SigningKey::FromPem(std::string_view key_pem, std::string_view cert_pem) {
  BioPtr key_bio = MemoryBio(key_pem);
  EvpPkeyPtr key(key_bio ? PEM_read_bio_PrivateKey(key_bio.get(), nullptr, NoPassphrase, nullptr) : nullptr);
  if (!key) {
    return Status::Error(ErrorKind::kUsage, "the IdP key is not an unencrypted PEM private key (RSA or EC)");
  }
  int type = EVP_PKEY_get_base_id(key.get());
  if (type != EVP_PKEY_RSA && type != EVP_PKEY_EC) {
    return Status::Error(ErrorKind::kUsage, "the IdP key is neither RSA nor EC");
  }
  if (type == EVP_PKEY_RSA && EVP_PKEY_get_bits(key.get()) < 2048) {
    return Status::Error(ErrorKind::kUsage, "the IdP's RSA key has fewer than 2048 bits");
  }
  BioPtr cert_bio = MemoryBio(cert_pem);
  X509Ptr cert(cert_bio ? PEM_read_bio_X509(cert_bio.get(), nullptr, NoPassphrase, nullptr) : nullptr);
  if (!cert) return Status::Error(ErrorKind::kUsage, "the IdP certificate is not a PEM X.509 certificate");
  if (X509_check_private_key(cert.get(), key.get()) != 1) {
    return Status::Error(ErrorKind::kUsage, "the IdP certificate does not belong to the IdP key");
  }
  SigningKey out;
  out.ec_ = type == EVP_PKEY_EC;
  auto pem = KeyPem(key.get());
  if (!pem.ok()) return pem.status();
  auto cpem = CertPem(cert.get());
  if (!cpem.ok()) return cpem.status();
  auto der = CertDer(cert.get());
  if (!der.ok()) return der.status();
  out.key_pem_ = std::move(pem.value());
  out.cert_pem_ = std::move(cpem.value());
  out.cert_der_ = std::move(der.value());
  return out;
}

Result<SigningKey> SigningKey::Generate(const std::string& common_name, int64_t now_seconds) {
  const auto fail = [](const char* what) {
    return Status::Error(ErrorKind::kInternal, std::string("cannot make the IdP key: ") + what);
  };
  EvpPkeyPtr key(EVP_RSA_gen(2048));
  if (!key) return fail("RSA key generation failed");
  X509Ptr cert(X509_new());
  if (!cert || X509_set_version(cert.get(), 2) != 1) return fail("X509_new");

  unsigned char serial_bytes[16];
  if (RAND_bytes(serial_bytes, sizeof serial_bytes) != 1) return fail("no randomness");
  serial_bytes[0] &= 0x7f;  // a positive serial number
  BnPtr serial(BN_bin2bn(serial_bytes, sizeof serial_bytes, nullptr));
  if (!serial || BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get())) == nullptr) {
    return fail("serial number");
  }
  std::time_t now = static_cast<std::time_t>(now_seconds);
  if (X509_time_adj_ex(X509_getm_notBefore(cert.get()), -1, 0, &now) == nullptr ||
      X509_time_adj_ex(X509_getm_notAfter(cert.get()), 3650, 0, &now) == nullptr) {
    return fail("validity");
  }
  X509NamePtr name(X509_NAME_new());
  if (!name ||
      X509_NAME_add_entry_by_txt(name.get(), "CN", MBSTRING_UTF8,
                                 reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1,
                                 0) != 1 ||
      X509_set_subject_name(cert.get(), name.get()) != 1 ||
      X509_set_issuer_name(cert.get(), name.get()) != 1 || X509_set_pubkey(cert.get(), key.get()) != 1) {
    return fail("subject");
  }
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) <= 0) return fail("self-signature");

  SigningKey out;
  auto pem = KeyPem(key.get());
  if (!pem.ok()) return pem.status();
  auto cpem = CertPem(cert.get());
  if (!cpem.ok()) return cpem.status();
  auto der = CertDer(cert.get());
  if (!der.ok()) return der.status();
  out.key_pem_ = std::move(pem.value());
  out.cert_pem_ = std::move(cpem.value());
  out.cert_der_ = std::move(der.value());
  return out;
}

Status SignEnvelopedElement(xmlNode* element, xmlNode* issuer, const SigningKey& key) {
  Status init = InitXmlSecurity();
  if (!init.ok()) return init;
  const auto fail = [](const std::string& what) {
    TakeXmlSecErrors();
    return Status::Error(ErrorKind::kInternal, "cannot sign the SAML " + what);
  };
  if (element == nullptr || issuer == nullptr || issuer->parent != element) return fail("element: no Issuer");
  xmlAttr* id_attr = xmlHasNsProp(element, BAD_CAST "ID", nullptr);
  std::string id = Attribute(element, "ID").value_or("");
  if (id_attr == nullptr || !IsNcName(id)) return fail("element: no ID");

  xmlDoc* doc = element->doc;
  xmlNode* signature = xmlSecTmplSignatureCreateNsPref(
      doc, xmlSecTransformExclC14NId, key.is_ec() ? xmlSecTransformEcdsaSha256Id : xmlSecTransformRsaSha256Id,
      nullptr, BAD_CAST "ds");
  if (signature == nullptr) return fail("element: template");
  if (xmlAddNextSibling(issuer, signature) == nullptr) {
    xmlFreeNode(signature);
    return fail("element: template");
  }
  const std::string uri = "#" + id;
  xmlNode* reference = xmlSecTmplSignatureAddReference(signature, xmlSecTransformSha256Id, nullptr,
                                                       BAD_CAST uri.c_str(), nullptr);
  if (reference == nullptr ||
      xmlSecTmplReferenceAddTransform(reference, xmlSecTransformEnvelopedId) == nullptr ||
      xmlSecTmplReferenceAddTransform(reference, xmlSecTransformExclC14NId) == nullptr) {
    return fail("element: reference");
  }
  xmlNode* key_info = xmlSecTmplSignatureEnsureKeyInfo(signature, nullptr);
  if (key_info == nullptr || xmlSecTmplKeyInfoAddX509Data(key_info) == nullptr)
    return fail("element: KeyInfo");

  // "#ID" must resolve to this element: register its ID (and only it) unless already registered.
  xmlAttr* registered = xmlGetID(doc, BAD_CAST id.c_str());
  if (registered == nullptr && xmlAddID(nullptr, doc, BAD_CAST id.c_str(), id_attr) == nullptr) {
    return fail("element: ID");
  }
  if (registered != nullptr && registered != id_attr) return fail("element: its ID is not unique");

  XmlSecKeyPtr sign_key(xmlSecCryptoAppKeyLoadMemory(
      reinterpret_cast<const xmlSecByte*>(key.key_pem().data()),
      static_cast<xmlSecSize>(key.key_pem().size()), xmlSecKeyDataFormatPem, nullptr, nullptr, nullptr));
  if (!sign_key) return fail("element: xmlsec cannot load the key");
  if (xmlSecCryptoAppKeyCertLoadMemory(
          sign_key.get(), reinterpret_cast<const xmlSecByte*>(key.cert_der().data()),
          static_cast<xmlSecSize>(key.cert_der().size()), xmlSecKeyDataFormatCertDer) < 0) {
    return fail("element: xmlsec cannot load the certificate");
  }
  DSigCtxPtr ctx(xmlSecDSigCtxCreate(nullptr));
  if (!ctx) return fail("element: out of memory");
  ctx->enabledReferenceUris = xmlSecTransformUriTypeSameDocument;
  ctx->signKey = sign_key.release();  // owned by ctx
  if (xmlSecDSigCtxSign(ctx.get(), signature) < 0 || ctx->status != xmlSecDSigStatusSucceeded) {
    return fail(reinterpret_cast<const char*>(element->name));
  }
  TakeXmlSecErrors();
  return Status::Ok();
}

}  // namespace ssocli::saml
