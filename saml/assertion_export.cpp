#include "saml/assertion_export.h"

#include <libxml/xmlsave.h>

#include <memory>

#include "core/base64.h"
#include "saml/saml_xml.h"

namespace ssocli::saml {
namespace {

struct BufferFree {
  void operator()(xmlBuffer* b) const { xmlBufferFree(b); }
};
struct NsListFree {
  void operator()(xmlNs** list) const { xmlFree(list); }
};

}  // namespace

Result<std::string> ExportAssertion(const xmlNode* assertion) {
  Status init = InitXmlSecurity();
  if (!init.ok()) return init;
  if (assertion == nullptr || assertion->type != XML_ELEMENT_NODE) {
    return Status::Error(ErrorKind::kInternal, "ExportAssertion: not an element");
  }
  XmlDocPtr out(xmlNewDoc(BAD_CAST "1.0"));
  if (!out) return Status::Error(ErrorKind::kInternal, "out of memory (export)");
  xmlNode* copy = xmlDocCopyNode(const_cast<xmlNode*>(assertion), out.get(), 1);
  if (copy == nullptr) return Status::Error(ErrorKind::kInternal, "out of memory (export)");
  xmlDocSetRootElement(out.get(), copy);

  // Carry over every in-scope declaration. xmlNewNs refuses a prefix already declared on `copy`, which
  // is right: the copy's own declarations are the innermost ones.
  std::unique_ptr<xmlNs*, NsListFree> in_scope(xmlGetNsList(assertion->doc, assertion));
  if (in_scope) {
    for (xmlNs** ns = in_scope.get(); *ns != nullptr; ++ns) {
      bool declared = false;
      for (xmlNs* d = copy->nsDef; d != nullptr; d = d->next) {
        bool same_prefix =
            (d->prefix == nullptr && (*ns)->prefix == nullptr) ||
            (d->prefix != nullptr && (*ns)->prefix != nullptr && xmlStrEqual(d->prefix, (*ns)->prefix));
        if (same_prefix) declared = true;
      }
      if (!declared) xmlNewNs(copy, (*ns)->href, (*ns)->prefix);
    }
  }

  std::unique_ptr<xmlBuffer, BufferFree> buffer(xmlBufferCreate());
  if (!buffer) return Status::Error(ErrorKind::kInternal, "out of memory (export)");
  if (xmlNodeDump(buffer.get(), out.get(), copy, 0, 0) < 0) {
    return Status::Error(ErrorKind::kInternal, "cannot serialise the assertion");
  }
  return std::string(reinterpret_cast<const char*>(xmlBufferContent(buffer.get())),
                     static_cast<size_t>(xmlBufferLength(buffer.get())));
}

std::string BearerAssertionParameter(std::string_view assertion_xml) {
  return Base64UrlEncode(assertion_xml);
}

}  // namespace ssocli::saml
