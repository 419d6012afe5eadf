// Safe XML for SAML: one hardened way to parse untrusted bytes, RAII owners for libxml2 objects, and the
// small DOM helpers every SAML reader needs (namespaced element tests, attribute and text reads).
//
// Parsing policy (docs/saml.md, shared spec saml.md rule 2): libxml2 with XML_PARSE_NONET only; a
// document type declaration stops the parser the moment it is seen (no DTD, no entity is ever
// declared, let alone expanded), every external entity load fails, input is bounded in size. Billion
// laughs and quadratic blow-ups are therefore refused before any expansion, in microseconds.
#pragma once

#include <libxml/tree.h>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace ssocli::saml {

// Namespaces and the only URIs we ever compare element names against.
inline constexpr char kNsProtocol[] = "urn:oasis:names:tc:SAML:2.0:protocol";
inline constexpr char kNsAssertion[] = "urn:oasis:names:tc:SAML:2.0:assertion";
inline constexpr char kNsDsig[] = "http://www.w3.org/2000/09/xmldsig#";
inline constexpr char kNsMetadata[] = "urn:oasis:names:tc:SAML:2.0:metadata";

// The largest SAML document we parse (a Response, metadata, an exported Assertion).
inline constexpr size_t kMaxXmlBytes = 1024 * 1024;
// Bounds that keep libxml2's worst cases linear (see PreScan in saml_xml.cpp). Real SAML documents stay
// far below them: a dozen attributes, a handful of namespaces, a depth of ten.
inline constexpr size_t kMaxAttributesPerElement = 128;  // namespace declarations included
inline constexpr size_t kMaxNamespacesInScope = 128;
inline constexpr size_t kMaxDepth = 64;  // libxml2 allows 256; xmlsec c14n cost grows with depth

// Initialises libxml2 and xmlsec (with OpenSSL) once per process, installs the external-entity loader
// that always fails and silences the libraries' stderr chatter. Safe to call from any thread, any
// number of times; every function of this library calls it. Returns an error when xmlsec cannot start.
Status InitXmlSecurity();

// The xmlsec error reasons (XMLSEC_ERRORS_R_*) reported on this thread since the last call, oldest
// first; xmlsec itself prints nothing.
std::vector<int> TakeXmlSecErrors();

struct XmlDocFree {
  void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};
using XmlDocPtr = std::unique_ptr<xmlDoc, XmlDocFree>;

// Parses `bytes` as an XML document under the policy above. Errors (kSamlRejected) name the problem
// ("document type declarations are refused", "not well-formed XML: ... at line 3") and `what`
// ("SAML response", "IdP metadata") so the user knows which input is at fault.
Result<XmlDocPtr> ParseUntrustedXml(std::string_view bytes, std::string_view what,
                                    size_t max_bytes = kMaxXmlBytes);

// True when `node` is an element named `local` in namespace `ns`.
bool IsElement(const xmlNode* node, const char* ns, const char* local);
// The element children of `node`, in document order.
std::vector<xmlNode*> ChildElements(const xmlNode* node);
// The element children named {ns}local.
std::vector<xmlNode*> ChildElements(const xmlNode* node, const char* ns, const char* local);

// An unqualified attribute's value (SAML attributes carry no namespace); nullopt when absent.
std::optional<std::string> Attribute(const xmlNode* node, const char* name);

// The concatenation of ALL text and CDATA children of `node`, in order. Never the first text node only:
// `admin@x<!---->.evil` reads as "admin@x.evil" (CVE-2017-11427 class). Grandchildren are not read.
std::string ElementText(const xmlNode* node);
// True when `node` has element children (then ElementText would not be the whole value).
bool HasElementChildren(const xmlNode* node);

// True when `id` is an NCName, the lexical space of xs:ID (what SAML IDs and "#ID" references use).
bool IsNcName(std::string_view id);

// "<prefix:local>" for messages, plus the namespace when it is not a SAML or XMLDSig one.
std::string ElementName(const xmlNode* node);

// Quotes a value taken from an untrusted document for an error message: at most 120 characters,
// control characters and quotes escaped, so a message stays one harmless line.
std::string Quoted(std::string_view value);
// The same without the quotes, for longer free text (parser messages): at most `max_chars` characters.
std::string Printable(std::string_view value, size_t max_chars = 120);

}  // namespace ssocli::saml
