// Edits of a signed response that the policy must catch, written against local names so they work on
// any IdP's output (samlp:/saml:/ds: prefixes, ns0:/ns1:/ns2: from pysaml2, default namespaces).
#pragma once

#include <stdexcept>
#include <string>
#include <utility>

namespace ssocli::saml::testing {

// [start, end) of the first element whose local name is `local`, and its qualified name.
struct Span {
  size_t start = 0;
  size_t end = 0;
  std::string qname;
};

inline Span FindElement(const std::string& xml, const std::string& local, size_t from = 0) {
  size_t at = xml.find('<', from);
  std::string qname;
  for (; at != std::string::npos; at = xml.find('<', at + 1)) {
    size_t name_end = xml.find_first_of(" \t\r\n/>", at + 1);
    if (name_end == std::string::npos) {
      at = std::string::npos;
      break;
    }
    qname = xml.substr(at + 1, name_end - at - 1);
    size_t colon = qname.find(':');
    if ((colon == std::string::npos ? qname : qname.substr(colon + 1)) == local) break;
  }
  if (at == std::string::npos) throw std::runtime_error("no element " + local);
  Span s;
  s.start = at;
  s.qname = qname;
  size_t gt = xml.find('>', s.start);
  if (xml[gt - 1] == '/') {
    s.end = gt + 1;
    return s;
  }
  std::string close = "</" + s.qname + ">";
  size_t close_at = xml.find(close, s.start);
  if (close_at == std::string::npos) throw std::runtime_error("unclosed " + s.qname);
  s.end = close_at + close.size();
  return s;
}

inline std::string Prefix(const Span& s) {
  size_t colon = s.qname.find(':');
  return colon == std::string::npos ? "" : s.qname.substr(0, colon + 1);
}

// The text of the first element `local` replaced by `text` (the NameID, an Audience, ...).
inline std::string ReplaceText(std::string xml, const std::string& local, const std::string& text) {
  Span s = FindElement(xml, local);
  size_t content = xml.find('>', s.start) + 1;
  size_t close = xml.rfind("</", s.end - 1);
  return xml.replace(content, close - content, text);
}

inline std::string RemoveElement(std::string xml, const std::string& local) {
  Span s = FindElement(xml, local);
  return xml.erase(s.start, s.end - s.start);
}

// The Assertion's own signature (the first Signature inside the Assertion).
inline Span AssertionSignature(const std::string& xml) {
  Span a = FindElement(xml, "Assertion");
  Span s = FindElement(xml, "Signature", a.start);
  if (s.start > a.end) throw std::runtime_error("the Assertion is not signed");
  return s;
}

inline std::string FlipSignatureBit(std::string xml) {
  Span s = AssertionSignature(xml);
  Span v = FindElement(xml, "SignatureValue", s.start);
  size_t at = xml.find('>', v.start) + 6;
  xml[at] = xml[at] == 'A' ? 'B' : 'A';
  return xml;
}

inline std::string StripAssertionSignature(std::string xml) {
  Span s = AssertionSignature(xml);
  return xml.erase(s.start, s.end - s.start);
}

inline std::string AddDoctype(std::string xml) {
  size_t root = xml.find("?>");
  size_t at = root == std::string::npos ? 0 : root + 2;
  return xml.insert(at, "<!DOCTYPE Response [<!ENTITY x \"y\">]>");
}

// A second, unsigned Assertion after the signed one (what a naive "first/last assertion" reader eats).
inline std::string AppendEvilAssertion(std::string xml) {
  Span a = FindElement(xml, "Assertion");
  std::string evil = xml.substr(a.start, a.end - a.start);
  evil = StripAssertionSignature(evil);
  evil = ReplaceText(evil, "NameID", "admin@example.test");
  size_t id = evil.find(" ID=\"");
  evil.insert(id + 5, "evil-");
  return xml.insert(a.end, evil);
}

// XSW: an unsigned evil Assertion takes the signed one's place and hides it inside itself.
inline std::string WrapSignedAssertion(std::string xml) {
  Span a = FindElement(xml, "Assertion");
  std::string original = xml.substr(a.start, a.end - a.start);
  std::string evil = StripAssertionSignature(original);
  evil = ReplaceText(evil, "NameID", "admin@example.test");
  size_t id = evil.find(" ID=\"");
  evil.insert(id + 5, "evil-");
  std::string close = "</" + a.qname + ">";
  evil.insert(evil.rfind(close), original);
  return xml.replace(a.start, a.end - a.start, evil);
}

// The same ID twice: an unsigned copy of the Assertion (same ID) inside the Response's Extensions.
inline std::string DuplicateAssertionId(std::string xml) {
  Span a = FindElement(xml, "Assertion");
  std::string copy = StripAssertionSignature(xml.substr(a.start, a.end - a.start));
  copy = ReplaceText(copy, "NameID", "admin@example.test");
  Span status = FindElement(xml, "Status");
  std::string p = Prefix(status);
  return xml.insert(status.start, "<" + p + "Extensions>" + copy + "</" + p + "Extensions>");
}

inline std::string AddEncryptedAssertion(std::string xml) {
  Span a = FindElement(xml, "Assertion");
  std::string p = Prefix(a);
  return xml.insert(a.end, "<" + p + "EncryptedAssertion/>");
}

// A comment inside the signed NameID after "@": exclusive c14n drops it, so the signature holds.
inline std::string CommentInNameId(std::string xml) {
  Span n = FindElement(xml, "NameID");
  size_t at = xml.find('@', n.start);
  return xml.insert(at, "<!---->");
}

}  // namespace ssocli::saml::testing
