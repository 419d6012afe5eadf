// RAII owners for the libxmlsec objects of the signer and the verifier.
#pragma once

#include <xmlsec/keys.h>
#include <xmlsec/xmldsig.h>

#include <memory>

namespace ssocli::saml {

struct XmlSecFree {
  void operator()(xmlSecDSigCtx* ctx) const { xmlSecDSigCtxDestroy(ctx); }
  void operator()(xmlSecKey* key) const { xmlSecKeyDestroy(key); }
};
using DSigCtxPtr = std::unique_ptr<xmlSecDSigCtx, XmlSecFree>;
using XmlSecKeyPtr = std::unique_ptr<xmlSecKey, XmlSecFree>;

}  // namespace ssocli::saml
