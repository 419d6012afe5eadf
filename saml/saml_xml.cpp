#include "saml/saml_xml.h"

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>
#include <xmlsec/crypto.h>
#include <xmlsec/errors.h>
#include <xmlsec/xmlsec.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <vector>

namespace ssocli::saml {
namespace {

// Every external entity, DTD or XInclude load goes through here and fails: no file, no network.
xmlParserInputPtr RefuseExternalEntity(const char* /*url*/, const char* /*id*/, xmlParserCtxtPtr ctxt) {
  if (ctxt != nullptr) xmlStopParser(ctxt);
  return nullptr;
}

thread_local std::vector<int> t_xmlsec_reasons;

// xmlsec reports every failure through here; keep the reason codes (bounded), print nothing.
void RecordXmlSecError(const char* /*file*/, int /*line*/, const char* /*func*/, const char* /*object*/,
                       const char* /*subject*/, int reason, const char* /*msg*/) {
  if (t_xmlsec_reasons.size() < 64) t_xmlsec_reasons.push_back(reason);
}

void SilentGenericError(void* /*ctx*/, const char* /*msg*/, ...) {}

Status g_init_status;  // written once under std::call_once, read-only afterwards

void InitOnce() {
  xmlInitParser();
  xmlSetExternalEntityLoader(RefuseExternalEntity);
  xmlSecErrorsSetCallback(RecordXmlSecError);
  if (xmlSecInit() < 0) {
    g_init_status = Status::Error(ErrorKind::kInternal, "cannot initialise xmlsec");
    return;
  }
  if (xmlSecCheckVersion() != 1) {
    g_init_status =
        Status::Error(ErrorKind::kInternal, "the loaded xmlsec library is not the one built against");
    return;
  }
  if (xmlSecCryptoAppInit(nullptr) < 0 || xmlSecCryptoInit() < 0) {
    g_init_status = Status::Error(ErrorKind::kInternal, "cannot initialise xmlsec's OpenSSL back end");
    return;
  }
  // Once more: xmlsec's initialisation puts its default (printing) callback back.
  xmlSecErrorsSetCallback(RecordXmlSecError);
}

// Per-parse state reached from the SAX callbacks through ctxt->_private.
struct ParseGuard {
  bool saw_dtd = false;
  bool saw_entity = false;
};

ParseGuard* GuardOf(void* ctx) {
  auto* ctxt = static_cast<xmlParserCtxtPtr>(ctx);
  return static_cast<ParseGuard*>(ctxt->_private);
}

// `<!DOCTYPE`: stop before the internal subset is even read. Nothing is declared, nothing expanded.
void OnInternalSubset(void* ctx, const xmlChar*, const xmlChar*, const xmlChar*) {
  GuardOf(ctx)->saw_dtd = true;
  xmlStopParser(static_cast<xmlParserCtxtPtr>(ctx));
}
void OnExternalSubset(void* ctx, const xmlChar*, const xmlChar*, const xmlChar*) {
  GuardOf(ctx)->saw_dtd = true;
  xmlStopParser(static_cast<xmlParserCtxtPtr>(ctx));
}
void OnEntityDecl(void* ctx, const xmlChar*, int, const xmlChar*, const xmlChar*, xmlChar*) {
  GuardOf(ctx)->saw_dtd = true;
  xmlStopParser(static_cast<xmlParserCtxtPtr>(ctx));
}
xmlEntityPtr OnGetEntity(void* ctx, const xmlChar* name) {
  // Predefined entities (&amp; &lt; ...) never reach here with SAX2; anything else is a reference to
  // an entity that cannot exist without a DTD.
  xmlEntityPtr predefined = xmlGetPredefinedEntity(name);
  if (predefined != nullptr) return predefined;
  GuardOf(ctx)->saw_entity = true;
  xmlStopParser(static_cast<xmlParserCtxtPtr>(ctx));
  return nullptr;
}
void OnReference(void* ctx, const xmlChar*) {
  GuardOf(ctx)->saw_entity = true;
  xmlStopParser(static_cast<xmlParserCtxtPtr>(ctx));
}

struct ParserCtxtFree {
  void operator()(xmlParserCtxt* ctxt) const { xmlFreeParserCtxt(ctxt); }
};

Status Reject(std::string_view what, std::string message) {
  return Status::Error(ErrorKind::kSamlRejected, std::string(what) + ": " + message);
}

// Whole-tree check after parsing: no DTD node, no entity reference, whatever the parser did.
bool HasForbiddenNodes(const xmlNode* node) {
  for (const xmlNode* n = node; n != nullptr; n = n->next) {
    switch (n->type) {
      case XML_DTD_NODE:
      case XML_ENTITY_REF_NODE:
      case XML_ENTITY_NODE:
      case XML_ENTITY_DECL:
      case XML_XINCLUDE_START:
      case XML_XINCLUDE_END:
        return true;
      default:
        break;
    }
    if (n->type == XML_ELEMENT_NODE && HasForbiddenNodes(n->children)) return true;
  }
  return false;
}

// libxml2 2.9 checks attribute and namespace uniqueness with nested loops and looks prefixes up by a
// linear scan of the in-scope declarations: 1 MiB of attributes on one element costs it 20 s. This
// lexical pass over the bytes bounds those counts first (and refuses DOCTYPE, NUL bytes and depth
// beyond libxml2's own limit early). It agrees with libxml2 on every well-formed prefix of the input,
// which is all libxml2 parses before it stops at an error.
Status PreScan(std::string_view b, std::string_view what) {
  const size_t n = b.size();
  std::vector<uint32_t> scope;  // namespace declarations of each open element
  size_t in_scope = 0;
  size_t i = 0;
  auto starts = [&](size_t at, std::string_view s) { return b.substr(at, s.size()) == s; };
  auto skip_to = [&](size_t from, std::string_view end) {
    size_t at = b.find(end, from);
    return at == std::string_view::npos ? n : at + end.size();
  };
  if (b.find('\0') != std::string_view::npos) return Reject(what, "NUL byte in the document");
  auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (i < n) {
    size_t lt = b.find('<', i);
    if (lt == std::string_view::npos) break;
    i = lt;
    if (starts(i, "<!--")) {
      i = skip_to(i + 4, "-->");
      continue;
    } else if (starts(i, "<![CDATA[")) {
      i = skip_to(i + 9, "]]>");
      continue;
    } else if (starts(i, "<?")) {
      i = skip_to(i + 2, "?>");
      continue;
    } else if (starts(i, "<!")) {
      return Reject(what, "document type declarations (DOCTYPE) are refused");
    } else if (starts(i, "</")) {
      if (!scope.empty()) {
        in_scope -= scope.back();
        scope.pop_back();
      }
      i = skip_to(i + 2, ">");
      continue;
    }
    {
      size_t attributes = 0;
      uint32_t declarations = 0;
      bool closed = false, empty = false;
      size_t j = i + 1;
      size_t token = j;  // start of the name being read (after a blank, a quote or '=')
      while (j < n) {
        char c = b[j];
        if (c == '"' || c == '\'') {
          size_t q = b.find(c, j + 1);
          if (q == std::string_view::npos) return Status::Ok();  // unterminated: libxml2 reports it
          j = q + 1;
          token = j;
          continue;
        }
        if (blank(c)) {
          // "name = value": the name ends at the first blank, the '=' may come later.
          size_t k = j;
          while (k < n && blank(b[k])) ++k;
          if (k < n && b[k] == '=') {
            std::string_view name = b.substr(token, j - token);
            ++attributes;
            if (name == "xmlns" || name.substr(0, 6) == "xmlns:") ++declarations;
            j = k + 1;
            token = j;
            continue;
          }
          j = k;
          token = j;
          continue;
        }
        if (c == '=') {
          std::string_view name = b.substr(token, j - token);
          ++attributes;
          if (name == "xmlns" || name.substr(0, 6) == "xmlns:") ++declarations;
          ++j;
          token = j;
          continue;
        }
        if (c == '>') {
          closed = true;
          empty = b[j - 1] == '/';
          break;
        }
        if (c == '<') return Status::Ok();  // malformed: libxml2 reports it
        ++j;
      }
      if (attributes > kMaxAttributesPerElement) {
        return Reject(what,
                      "an element has more than " + std::to_string(kMaxAttributesPerElement) + " attributes");
      }
      if (in_scope + declarations > kMaxNamespacesInScope) {
        return Reject(
            what, "more than " + std::to_string(kMaxNamespacesInScope) + " namespace declarations in scope");
      }
      if (!closed) return Status::Ok();
      if (!empty) {
        if (scope.size() >= kMaxDepth) {
          return Reject(what, "elements nested more than " + std::to_string(kMaxDepth) + " deep");
        }
        scope.push_back(declarations);
        in_scope += declarations;
      }
      i = j + 1;
    }
  }
  return Status::Ok();
}

}  // namespace

Status InitXmlSecurity() {
  static std::once_flag once;
  std::call_once(once, InitOnce);
  // libxml2 keeps its error handlers per thread: silence them for the threads that use this library.
  thread_local bool thread_ready = false;
  if (!thread_ready) {
    xmlSetGenericErrorFunc(nullptr, SilentGenericError);
    thread_ready = true;
  }
  return g_init_status;
}

Result<XmlDocPtr> ParseUntrustedXml(std::string_view bytes, std::string_view what, size_t max_bytes) {
  Status init = InitXmlSecurity();
  if (!init.ok()) return init;
  if (bytes.empty()) return Reject(what, "empty document");
  if (bytes.size() > max_bytes) {
    return Reject(what, "document of " + std::to_string(bytes.size()) +
                            " bytes is larger than the limit of " + std::to_string(max_bytes) + " bytes");
  }

  {
    std::string_view start = bytes;
    if (start.substr(0, 3) == "\xEF\xBB\xBF") start.remove_prefix(3);
    size_t first = start.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos || start[first] != '<') {
      return Reject(what, "not XML (it does not start with '<')");
    }
  }
  Status scanned = PreScan(bytes, what);
  if (!scanned.ok()) return scanned;

  std::unique_ptr<xmlParserCtxt, ParserCtxtFree> ctxt(xmlNewParserCtxt());
  if (!ctxt || ctxt->sax == nullptr) return Status::Error(ErrorKind::kInternal, "out of memory (XML parser)");
  ParseGuard guard;
  ctxt->_private = &guard;
  ctxt->sax->internalSubset = OnInternalSubset;
  ctxt->sax->externalSubset = OnExternalSubset;
  ctxt->sax->entityDecl = OnEntityDecl;
  ctxt->sax->getEntity = OnGetEntity;
  ctxt->sax->getParameterEntity = OnGetEntity;
  ctxt->sax->reference = OnReference;

  // NONET only; NOERROR/NOWARNING merely keep libxml2 from printing (errors are read from ctxt).
  // Never NOENT, DTDLOAD, DTDATTR, DTDVALID, XINCLUDE, HUGE, RECOVER or NOBLANKS.
  const int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;
  // Always read as UTF-8, whatever the document declares: PreScan's byte view must be libxml2's, and
  // a document the IdP encoded otherwise then simply fails its signature check.
  XmlDocPtr doc(
      xmlCtxtReadMemory(ctxt.get(), bytes.data(), static_cast<int>(bytes.size()), nullptr, "UTF-8", options));
  if (guard.saw_dtd) return Reject(what, "document type declarations (DOCTYPE) are refused");
  if (guard.saw_entity) return Reject(what, "entity references are refused");
  if (!doc || !ctxt->wellFormed) {
    std::string detail = "not well-formed XML";
    const xmlError* err = xmlCtxtGetLastError(ctxt.get());
    if (err != nullptr && err->message != nullptr) {
      std::string msg = err->message;
      while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
      detail += ": " + msg + " at line " + std::to_string(err->line);
    }
    return Reject(what, Printable(detail, 200));
  }
  if (doc->intSubset != nullptr || doc->extSubset != nullptr || HasForbiddenNodes(doc->children)) {
    return Reject(what, "document type declarations (DOCTYPE) and entities are refused");
  }
  if (xmlDocGetRootElement(doc.get()) == nullptr) return Reject(what, "no root element");
  return doc;
}

std::vector<int> TakeXmlSecErrors() {
  std::vector<int> out;
  out.swap(t_xmlsec_reasons);
  return out;
}

bool IsNcName(std::string_view id) {
  if (id.empty()) return false;
  auto start_ok = [](unsigned char c) {
    return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c >= 0x80;
  };
  auto rest_ok = [&](unsigned char c) {
    return start_ok(c) || c == '-' || c == '.' || (c >= '0' && c <= '9');
  };
  if (!start_ok(static_cast<unsigned char>(id[0]))) return false;
  for (unsigned char c : id.substr(1)) {
    if (!rest_ok(c)) return false;
  }
  return true;
}

bool IsElement(const xmlNode* node, const char* ns, const char* local) {
  if (node == nullptr || node->type != XML_ELEMENT_NODE || node->name == nullptr) return false;
  if (std::strcmp(reinterpret_cast<const char*>(node->name), local) != 0) return false;
  if (node->ns == nullptr || node->ns->href == nullptr) return ns == nullptr;
  return ns != nullptr && std::strcmp(reinterpret_cast<const char*>(node->ns->href), ns) == 0;
}

std::vector<xmlNode*> ChildElements(const xmlNode* node) {
  std::vector<xmlNode*> out;
  if (node == nullptr) return out;
  for (xmlNode* c = node->children; c != nullptr; c = c->next) {
    if (c->type == XML_ELEMENT_NODE) out.push_back(c);
  }
  return out;
}

std::vector<xmlNode*> ChildElements(const xmlNode* node, const char* ns, const char* local) {
  std::vector<xmlNode*> out;
  if (node == nullptr) return out;
  for (xmlNode* c = node->children; c != nullptr; c = c->next) {
    if (IsElement(c, ns, local)) out.push_back(c);
  }
  return out;
}

std::optional<std::string> Attribute(const xmlNode* node, const char* name) {
  if (node == nullptr || node->type != XML_ELEMENT_NODE) return std::nullopt;
  for (const xmlAttr* a = node->properties; a != nullptr; a = a->next) {
    if (a->ns != nullptr) continue;
    if (std::strcmp(reinterpret_cast<const char*>(a->name), name) != 0) continue;
    std::string value;
    for (const xmlNode* t = a->children; t != nullptr; t = t->next) {
      if ((t->type == XML_TEXT_NODE || t->type == XML_CDATA_SECTION_NODE) && t->content != nullptr) {
        value += reinterpret_cast<const char*>(t->content);
      }
    }
    return value;
  }
  return std::nullopt;
}

std::string ElementText(const xmlNode* node) {
  std::string out;
  if (node == nullptr) return out;
  for (const xmlNode* c = node->children; c != nullptr; c = c->next) {
    if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content != nullptr) {
      out += reinterpret_cast<const char*>(c->content);
    }
  }
  return out;
}

bool HasElementChildren(const xmlNode* node) {
  if (node == nullptr) return false;
  for (const xmlNode* c = node->children; c != nullptr; c = c->next) {
    if (c->type == XML_ELEMENT_NODE) return true;
  }
  return false;
}

std::string ElementName(const xmlNode* node) {
  if (node == nullptr || node->name == nullptr) return "?";
  std::string name = reinterpret_cast<const char*>(node->name);
  if (node->ns != nullptr && node->ns->prefix != nullptr) {
    name = std::string(reinterpret_cast<const char*>(node->ns->prefix)) + ":" + name;
  }
  std::string out = "<" + Printable(name) + ">";
  const char* href =
      node->ns != nullptr && node->ns->href != nullptr ? reinterpret_cast<const char*>(node->ns->href) : "";
  bool known = false;
  for (const char* ns : {kNsProtocol, kNsAssertion, kNsDsig, kNsMetadata})
    known = known || std::strcmp(href, ns) == 0;
  if (!known) out += *href != '\0' ? " (namespace " + Quoted(href) + ")" : " (no namespace)";
  return out;
}

std::string Quoted(std::string_view value) {
  return "\"" + Printable(value) + "\"";
}

std::string Printable(std::string_view value, size_t max_chars) {
  const size_t kMax = max_chars;
  std::string out;
  size_t shown = 0;
  for (size_t i = 0; i < value.size(); ++i) {
    if (shown >= kMax) {
      out += "...";
      break;
    }
    unsigned char c = static_cast<unsigned char>(value[i]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
    ++shown;
  }
  return out;
}

}  // namespace ssocli::saml
