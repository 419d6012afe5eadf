#include "test_idp.h"

#include <stdexcept>

#include "core/markup.h"
#include "saml/idp_metadata.h"
#include "saml/saml_time.h"
#include "saml_test_util.h"
#include "support/process.h"

namespace ssocli::saml::testing {
namespace {

std::string Attr(const char* name, const std::string& value) {
  return value.empty() ? "" : std::string(" ") + name + "=\"" + EscapeMarkup(value) + "\"";
}

std::string SignatureTemplate(const ResponseSpec& spec, const std::string& uri) {
  return "<ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"><ds:SignedInfo>"
         "<ds:CanonicalizationMethod Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/>"
         "<ds:SignatureMethod Algorithm=\"" +
         spec.signature_method +
         "\"/>"
         "<ds:Reference URI=\"" +
         uri +
         "\"><ds:Transforms>"
         "<ds:Transform Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"/>"
         "<ds:Transform Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/></ds:Transforms>"
         "<ds:DigestMethod Algorithm=\"" +
         spec.digest_method +
         "\"/><ds:DigestValue></ds:DigestValue>"
         "</ds:Reference></ds:SignedInfo><ds:SignatureValue></ds:SignatureValue>"
         "<ds:KeyInfo><ds:X509Data></ds:X509Data></ds:KeyInfo></ds:Signature>";
}

std::string RunXmlsec1Sign(const std::string& xml, const TestKey& key, const std::string& dir) {
  const std::string in = dir + "/to-sign.xml";
  const std::string out = dir + "/signed.xml";
  WriteFile(in, xml);
  ssocli::testing::ProcessSpec p;
  p.argv = {"xmlsec1",
            "--sign",
            "--privkey-pem",
            key.key_path + "," + key.cert_path,
            "--id-attr:ID",
            "urn:oasis:names:tc:SAML:2.0:assertion:Assertion",
            "--id-attr:ID",
            "urn:oasis:names:tc:SAML:2.0:protocol:Response",
            "--output",
            out,
            in};
  p.env = ssocli::testing::BaseEnv();
  auto r = ssocli::testing::RunProcess(p);
  if (r.exit_code != 0) throw std::runtime_error("xmlsec1 --sign failed: " + r.err);
  return ReadFile(out);
}

}  // namespace

TestKey MakeTestKey(const std::string& dir, const std::string& name, bool ec) {
  TestKey key;
  key.key_path = dir + "/" + name + ".key.pem";
  key.cert_path = dir + "/" + name + ".crt.pem";
  ssocli::testing::ProcessSpec p;
  p.argv = {"openssl", "req", "-x509", "-newkey", ec ? "ec" : "rsa:2048"};
  if (ec) p.argv.insert(p.argv.end(), {"-pkeyopt", "ec_paramgen_curve:P-256"});
  p.argv.insert(p.argv.end(), {"-nodes", "-keyout", key.key_path, "-out", key.cert_path, "-days", "3650",
                               "-subj", "/CN=" + name});
  p.env = ssocli::testing::BaseEnv();
  auto r = ssocli::testing::RunProcess(p);
  if (r.exit_code != 0) throw std::runtime_error("openssl req failed: " + r.err);
  key.cert_pem = ReadFile(key.cert_path);
  auto der = ParsePemCertificates(key.cert_pem);
  if (!der.ok()) throw std::runtime_error("bad generated certificate");
  key.certs_der = der.value();
  return key;
}

std::string ResponseTemplate(const ResponseSpec& s) {
  std::string x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  x += "<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\""
       " xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\""
       " xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" "
       "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"";
  x += Attr("ID", s.response_id) + Attr("Version", s.version) + Attr("IssueInstant", s.issue_instant) +
       Attr("Destination", s.destination) + Attr("InResponseTo", s.in_response_to) + ">";
  if (!s.response_issuer.empty()) x += "<saml:Issuer>" + EscapeMarkup(s.response_issuer) + "</saml:Issuer>";
  x += "<samlp:Status><samlp:StatusCode Value=\"" + s.status + "\"/></samlp:Status>";
  x += "<saml:Assertion" + Attr("ID", s.assertion_id) + Attr("Version", s.assertion_version) +
       Attr("IssueInstant", s.issue_instant) + ">";
  x += "<saml:Issuer>" + EscapeMarkup(s.assertion_issuer) + "</saml:Issuer>";
  if (s.sign_assertion) {
    x += SignatureTemplate(s, s.assertion_reference_uri.value_or("#" + s.assertion_id));
  }
  x += "<saml:Subject><saml:NameID Format=\"urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress\">" +
       EscapeMarkup(s.name_id) + "</saml:NameID>";
  x += "<saml:SubjectConfirmation" + Attr("Method", s.method) + "><saml:SubjectConfirmationData" +
       Attr("InResponseTo", s.scd_in_response_to) + Attr("NotBefore", s.scd_not_before) +
       Attr("NotOnOrAfter", s.scd_not_on_or_after) + Attr("Recipient", s.recipient) +
       "/></saml:SubjectConfirmation></saml:Subject>";
  if (s.conditions) {
    x += "<saml:Conditions" + Attr("NotBefore", s.not_before) + Attr("NotOnOrAfter", s.not_on_or_after) + ">";
    for (const auto& restriction : s.audience_restrictions) {
      x += "<saml:AudienceRestriction>";
      for (const auto& a : restriction) x += "<saml:Audience>" + EscapeMarkup(a) + "</saml:Audience>";
      x += "</saml:AudienceRestriction>";
    }
    x += "</saml:Conditions>";
  }
  if (s.authn_statement) {
    x += "<saml:AuthnStatement AuthnInstant=\"" + s.issue_instant +
         "\" SessionIndex=\"_session-1\">"
         "<saml:AuthnContext><saml:AuthnContextClassRef>"
         "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"
         "</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>";
  }
  if (!s.attributes.empty()) {
    x += "<saml:AttributeStatement>";
    for (const auto& [name, values] : s.attributes) {
      x += "<saml:Attribute Name=\"" + EscapeMarkup(name) + "\">";
      for (const auto& v : values) {
        x += "<saml:AttributeValue xsi:type=\"xs:string\">" + EscapeMarkup(v) + "</saml:AttributeValue>";
      }
      x += "</saml:Attribute>";
    }
    x += "</saml:AttributeStatement>";
  }
  x += "</saml:Assertion></samlp:Response>\n";
  return x;
}

std::string SignedResponse(const ResponseSpec& spec, const TestKey& key, const std::string& dir) {
  std::string xml = ResponseTemplate(spec);
  if (spec.sign_assertion) xml = RunXmlsec1Sign(xml, key, dir);
  if (spec.sign_response) {
    // xmlsec1 signs the first Signature in document order: the Response's, once it is there.
    std::string issuer_end = "</saml:Issuer>";
    size_t at = xml.find(issuer_end);
    if (at == std::string::npos) throw std::runtime_error("a signed Response needs an Issuer");
    xml.insert(at + issuer_end.size(), SignatureTemplate(spec, "#" + spec.response_id));
    xml = RunXmlsec1Sign(xml, key, dir);
  }
  return xml;
}

ResponseExpectations DefaultExpectations(const TestKey& key, const Clock* clock) {
  ResponseExpectations want;
  want.idp_certificates = key.certs_der;
  want.idp_entity_id = kIdp;
  want.audience = kSp;
  want.recipient = kAlias;
  want.destinations = {kAcs};
  want.in_response_to = kRequestId;
  want.acs_url = kAcs;
  want.clock = clock;
  return want;
}

int64_t DefaultNowSeconds() {
  return *ParseRfc3339(kNow) / 1000;
}

std::string ReplaceOnce(std::string text, const std::string& from, const std::string& to) {
  size_t at = text.find(from);
  if (at == std::string::npos) throw std::runtime_error("ReplaceOnce: not found: " + from);
  return text.replace(at, from.size(), to);
}

SigningKey SigningKeyOf(const TestKey& key) {
  auto loaded = SigningKey::FromPem(ReadFile(key.key_path), key.cert_pem);
  if (!loaded.ok()) throw std::runtime_error(loaded.status().message());
  return std::move(loaded).value();
}

}  // namespace ssocli::saml::testing
