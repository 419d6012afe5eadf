#include "saml/response_builder.h"

#include <libxml/tree.h>

#include <memory>

#include "core/markup.h"
#include "saml/assertion_export.h"
#include "saml/saml_time.h"
#include "saml/saml_xml.h"

namespace ssocli::saml {
namespace {

constexpr char kBearer[] = "urn:oasis:names:tc:SAML:2.0:cm:bearer";
constexpr char kSuccess[] = "urn:oasis:names:tc:SAML:2.0:status:Success";
constexpr char kPasswordProtected[] = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport";

Status Usage(std::string message) {
  return Status::Error(ErrorKind::kUsage, "SAML response: " + std::move(message));
}

// Text XML 1.0 can carry (no C0 controls other than tab, CR, LF).
bool XmlSafe(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') return false;
  }
  return true;
}

std::string Attr(const char* name, const std::string& value) {
  return value.empty() ? "" : std::string(" ") + name + "=\"" + EscapeMarkup(value) + "\"";
}

std::string Instant(int64_t seconds) {
  return FormatRfc3339Utc(seconds * 1000);
}

struct XmlFree {
  void operator()(xmlChar* p) const { xmlFree(p); }
};

Status CheckSpec(const IdpResponseSpec& s) {
  if (s.idp_entity_id.empty()) return Usage("the IdP entity ID is empty");
  if (s.name_id.empty()) return Usage("the NameID is empty");
  for (const std::string* id : {&s.response_id, &s.assertion_id}) {
    if (!id->empty() && !IsNcName(*id)) return Usage("the ID " + Quoted(*id) + " is not an NCName");
  }
  if (!s.response_id.empty() && s.response_id == s.assertion_id) return Usage("the two IDs are the same");
  std::vector<const std::string*> texts = {&s.idp_entity_id,  &s.name_id,     &s.name_id_format,
                                           &s.in_response_to, &s.destination, &s.recipient};
  for (const std::string& a : s.audiences) texts.push_back(&a);
  for (const auto& [name, values] : s.attributes) {
    texts.push_back(&name);
    for (const std::string& v : values) texts.push_back(&v);
  }
  for (const std::string* t : texts) {
    if (!XmlSafe(*t)) return Usage("control characters in " + Quoted(*t));
  }
  return Status::Ok();
}

std::string ResponseText(const IdpResponseSpec& s, const std::string& response_id,
                         const std::string& assertion_id, int64_t now) {
  const int64_t issued = s.issue_instant.value_or(now);
  const std::string not_on_or_after = Instant(now + s.lifetime_seconds);
  std::string x =
      "<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\""
      " xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\"";
  x += Attr("ID", response_id) + " Version=\"2.0\"" + Attr("IssueInstant", Instant(issued)) +
       Attr("Destination", s.destination) + Attr("InResponseTo", s.in_response_to) + ">";
  x += "<saml:Issuer>" + EscapeMarkup(s.idp_entity_id) + "</saml:Issuer>";
  x += "<samlp:Status><samlp:StatusCode Value=\"" + std::string(kSuccess) + "\"/></samlp:Status>";
  // The Assertion declares what it uses itself, so that it reads the same when cut out of the Response.
  x += "<saml:Assertion xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\""
       " xmlns:xs=\"http://www.w3.org/2001/XMLSchema\""
       " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"";
  x += Attr("ID", assertion_id) + " Version=\"2.0\"" + Attr("IssueInstant", Instant(issued)) + ">";
  x += "<saml:Issuer>" + EscapeMarkup(s.idp_entity_id) + "</saml:Issuer>";
  x += "<saml:Subject><saml:NameID" + Attr("Format", s.name_id_format) + ">" + EscapeMarkup(s.name_id) +
       "</saml:NameID>";
  x += "<saml:SubjectConfirmation Method=\"" + std::string(kBearer) + "\"><saml:SubjectConfirmationData" +
       Attr("InResponseTo", s.in_response_to) +
       (s.bearer_not_before ? Attr("NotBefore", Instant(issued)) : std::string()) +
       Attr("NotOnOrAfter", not_on_or_after) + Attr("Recipient", s.recipient) +
       "/></saml:SubjectConfirmation></saml:Subject>";
  x += "<saml:Conditions" + Attr("NotBefore", Instant(issued)) + Attr("NotOnOrAfter", not_on_or_after) + ">";
  if (!s.audiences.empty()) {
    x += "<saml:AudienceRestriction>";
    for (const std::string& a : s.audiences) x += "<saml:Audience>" + EscapeMarkup(a) + "</saml:Audience>";
    x += "</saml:AudienceRestriction>";
  }
  x += "</saml:Conditions>";
  if (s.authn_statement) {
    x += "<saml:AuthnStatement" + Attr("AuthnInstant", Instant(issued)) +
         Attr("SessionIndex", NewRequestId()) + "><saml:AuthnContext><saml:AuthnContextClassRef>" +
         kPasswordProtected + "</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>";
  }
  if (!s.attributes.empty()) {
    x += "<saml:AttributeStatement>";
    for (const auto& [name, values] : s.attributes) {
      x += "<saml:Attribute" + Attr("Name", name) +
           " NameFormat=\"urn:oasis:names:tc:SAML:2.0:attrname-format:basic\">";
      for (const std::string& v : values) {
        x += "<saml:AttributeValue xsi:type=\"xs:string\">" + EscapeMarkup(v) + "</saml:AttributeValue>";
      }
      x += "</saml:Attribute>";
    }
    x += "</saml:AttributeStatement>";
  }
  x += "</saml:Assertion></samlp:Response>";
  return x;
}

}  // namespace

Result<BuiltResponse> BuildResponse(const IdpResponseSpec& spec, const SigningKey& key, const Clock& clock) {
  Status valid = CheckSpec(spec);
  if (!valid.ok()) return valid;
  BuiltResponse out;
  out.response_id = spec.response_id.empty() ? NewRequestId() : spec.response_id;
  out.assertion_id = spec.assertion_id.empty() ? NewRequestId() : spec.assertion_id;

  auto doc = ParseUntrustedXml(ResponseText(spec, out.response_id, out.assertion_id, clock.Now()),
                               "the SAML response being built");
  if (!doc.ok()) return Usage(doc.status().message());  // e.g. a value that is not UTF-8
  xmlNode* response = xmlDocGetRootElement(doc->get());
  std::vector<xmlNode*> issuers = ChildElements(response, kNsAssertion, "Issuer");
  std::vector<xmlNode*> assertions = ChildElements(response, kNsAssertion, "Assertion");
  if (issuers.size() != 1 || assertions.size() != 1) {
    return Status::Error(ErrorKind::kInternal, "the SAML response being built lost its shape");
  }
  xmlNode* assertion = assertions[0];
  std::vector<xmlNode*> assertion_issuers = ChildElements(assertion, kNsAssertion, "Issuer");
  if (assertion_issuers.size() != 1) {
    return Status::Error(ErrorKind::kInternal, "the SAML response being built lost its shape");
  }

  // The Assertion first: the Response's signature then covers the signed Assertion.
  if (spec.sign != SignedParts::kNone) {
    Status s = SignEnvelopedElement(assertion, assertion_issuers[0], key);
    if (!s.ok()) return s;
  }
  if (spec.sign == SignedParts::kAssertionAndResponse) {
    Status s = SignEnvelopedElement(response, issuers[0], key);
    if (!s.ok()) return s;
  }

  auto exported = ExportAssertion(assertion);
  if (!exported.ok()) return exported.status();
  out.assertion_xml = std::move(exported.value());

  xmlChar* bytes = nullptr;
  int size = 0;
  xmlDocDumpMemoryEnc(doc->get(), &bytes, &size, "UTF-8");
  std::unique_ptr<xmlChar, XmlFree> owned(bytes);
  if (bytes == nullptr || size <= 0)
    return Status::Error(ErrorKind::kInternal, "cannot serialise the response");
  out.xml.assign(reinterpret_cast<const char*>(bytes), static_cast<size_t>(size));
  return out;
}

}  // namespace ssocli::saml
