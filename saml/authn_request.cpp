#include "saml/authn_request.h"

#include <openssl/rand.h>
#include <zlib.h>

#include <memory>
#include <optional>

#include "core/base64.h"
#include "core/markup.h"
#include "core/url.h"
#include "saml/saml_time.h"
#include "saml/saml_xml.h"

namespace ssocli::saml {
namespace {

Status Usage(std::string message) {
  return Status::Error(ErrorKind::kUsage, std::move(message));
}

// True when every byte sequence is text XML 1.0 can carry (no C0 controls other than tab/CR/LF).
bool XmlSafe(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') return false;
  }
  return true;
}

bool IsHttpUrl(std::string_view url) {
  return (url.rfind("https://", 0) == 0 || url.rfind("http://", 0) == 0) &&
         url.find('#') == std::string_view::npos && url.find_first_of(" \t\r\n") == std::string_view::npos;
}

constexpr char kPostBinding[] = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";

struct DeflateEnd {
  void operator()(z_stream* z) const { deflateEnd(z); }
};
struct InflateEnd {
  void operator()(z_stream* z) const { inflateEnd(z); }
};

}  // namespace

std::string NewRequestId() {
  unsigned char bytes[20];
  if (RAND_bytes(bytes, sizeof bytes) != 1) std::abort();  // no randomness: nothing safe to do
  static const char kHex[] = "0123456789abcdef";
  std::string id = "_";
  for (unsigned char b : bytes) {
    id += kHex[b >> 4];
    id += kHex[b & 15];
  }
  return id;
}

Result<AuthnRequest> BuildAuthnRequest(const AuthnRequestParams& params, const std::string& id,
                                       int64_t now_seconds) {
  if (!IsNcName(id)) return Usage("AuthnRequest ID " + Quoted(id) + " is not an NCName");
  if (params.sp_entity_id.empty()) return Usage("AuthnRequest: the SP entity ID is empty");
  if (!IsHttpUrl(params.acs_url))
    return Usage("AuthnRequest: the ACS URL " + Quoted(params.acs_url) + " is not an http(s) URL");
  if (!IsHttpUrl(params.idp_sso_url)) {
    return Usage("AuthnRequest: the IdP SSO URL " + Quoted(params.idp_sso_url) + " is not an http(s) URL");
  }
  if (!XmlSafe(params.sp_entity_id) || !XmlSafe(params.name_id_format)) {
    return Usage("AuthnRequest: control characters in the SP entity ID or NameID format");
  }

  AuthnRequest request;
  request.id = id;
  std::string xml =
      "<samlp:AuthnRequest xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\""
      " xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\"";
  xml += " ID=\"" + EscapeMarkup(id) + "\" Version=\"2.0\"";
  xml += " IssueInstant=\"" + FormatRfc3339Utc(now_seconds * 1000) + "\"";
  xml += " Destination=\"" + EscapeMarkup(params.idp_sso_url) + "\"";
  xml += " AssertionConsumerServiceURL=\"" + EscapeMarkup(params.acs_url) + "\"";
  xml += " ProtocolBinding=\"" + std::string(kPostBinding) + "\"";
  if (params.force_authn) xml += " ForceAuthn=\"true\"";
  xml += "><saml:Issuer>" + EscapeMarkup(params.sp_entity_id) + "</saml:Issuer>";
  if (!params.name_id_format.empty()) {
    xml +=
        "<samlp:NameIDPolicy Format=\"" + EscapeMarkup(params.name_id_format) + "\" AllowCreate=\"true\"/>";
  }
  xml += "</samlp:AuthnRequest>";
  request.xml = std::move(xml);

  auto deflated = RawDeflate(request.xml);
  if (!deflated.ok()) return deflated.status();
  request.redirect_url = params.idp_sso_url;
  request.redirect_url += params.idp_sso_url.find('?') == std::string::npos ? '?' : '&';
  request.redirect_url += "SAMLRequest=" + PercentEncode(Base64Encode(*deflated));
  if (!params.relay_state.empty()) request.redirect_url += "&RelayState=" + PercentEncode(params.relay_state);
  return request;
}

Result<ReceivedAuthnRequest> ParseRedirectAuthnRequest(std::string_view saml_request) {
  const auto bad = [](std::string message) {
    return Status::Error(ErrorKind::kSamlRejected, "AuthnRequest: " + std::move(message));
  };
  if (saml_request.size() > 4 * kMaxAuthnRequestBytes) return bad("the SAMLRequest value is too long");
  std::string text;
  for (char c : saml_request) {
    if (c == '\r' || c == '\n' || c == '\t') continue;
    text += c == ' ' ? '+' : c;
  }
  if (text.empty()) return bad("the SAMLRequest value is empty");
  std::optional<std::string> deflated = Base64Decode(text);
  if (!deflated) return bad("the SAMLRequest value is not base64");
  auto xml = RawInflate(*deflated, kMaxAuthnRequestBytes);
  if (!xml.ok()) return bad(xml.status().message() + " (the HTTP-Redirect binding deflates the request)");
  auto doc = ParseUntrustedXml(*xml, "AuthnRequest", kMaxAuthnRequestBytes);
  if (!doc.ok()) return doc.status();
  xmlNode* root = xmlDocGetRootElement(doc->get());
  if (!IsElement(root, kNsProtocol, "AuthnRequest")) {
    return bad("the document is a " + ElementName(root) + ", not a samlp:AuthnRequest");
  }
  ReceivedAuthnRequest out;
  out.id = Attribute(root, "ID").value_or("");
  if (!IsNcName(out.id)) return bad("the ID " + Quoted(out.id) + " is not a valid xs:ID");
  std::string version = Attribute(root, "Version").value_or("");
  if (version != "2.0") return bad("Version " + Quoted(version) + "; only SAML 2.0 is supported");
  std::optional<int64_t> issued = ParseSamlInstant(Attribute(root, "IssueInstant").value_or(""));
  if (!issued) return bad("no IssueInstant in UTC");
  out.issue_instant_ms = *issued;
  std::vector<xmlNode*> issuers = ChildElements(root, kNsAssertion, "Issuer");
  if (issuers.size() != 1 || HasElementChildren(issuers[0]))
    return bad("no single Issuer (the SP entity ID)");
  out.issuer = ElementText(issuers[0]);
  if (out.issuer.empty()) return bad("the Issuer (the SP entity ID) is empty");
  out.acs_url = Attribute(root, "AssertionConsumerServiceURL").value_or("");
  if (!IsHttpUrl(out.acs_url)) {
    return bad("the AssertionConsumerServiceURL " + Quoted(out.acs_url) + " is not an http(s) URL");
  }
  std::string binding = Attribute(root, "ProtocolBinding").value_or(kPostBinding);
  if (binding != kPostBinding)
    return bad("ProtocolBinding " + Quoted(binding) + "; only HTTP-POST is supported");
  out.destination = Attribute(root, "Destination").value_or("");
  std::string force = Attribute(root, "ForceAuthn").value_or("false");
  out.force_authn = force == "true" || force == "1";
  out.xml = std::move(xml.value());
  return out;
}

Result<std::string> RawDeflate(std::string_view data) {
  z_stream z{};
  if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    return Status::Error(ErrorKind::kInternal, "zlib: deflateInit2 failed");
  }
  std::unique_ptr<z_stream, DeflateEnd> guard(&z);
  std::string out(deflateBound(&z, static_cast<uLong>(data.size())), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  if (deflate(&z, Z_FINISH) != Z_STREAM_END)
    return Status::Error(ErrorKind::kInternal, "zlib: deflate failed");
  out.resize(z.total_out);
  return out;
}

Result<std::string> RawInflate(std::string_view data, size_t max_output) {
  z_stream z{};
  if (inflateInit2(&z, -15) != Z_OK) return Status::Error(ErrorKind::kInternal, "zlib: inflateInit2 failed");
  std::unique_ptr<z_stream, InflateEnd> guard(&z);
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  std::string out;
  char chunk[16384];
  while (true) {
    z.next_out = reinterpret_cast<Bytef*>(chunk);
    z.avail_out = sizeof chunk;
    int rc = inflate(&z, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      return Status::Error(ErrorKind::kSamlRejected, "not raw DEFLATE data");
    }
    out.append(chunk, sizeof chunk - z.avail_out);
    if (out.size() > max_output) {
      return Status::Error(ErrorKind::kSamlRejected,
                           "inflated data exceeds " + std::to_string(max_output) + " bytes");
    }
    if (rc == Z_STREAM_END) return out;
    if (z.avail_in == 0 && z.avail_out != 0)
      return Status::Error(ErrorKind::kSamlRejected, "truncated DEFLATE data");
  }
}

}  // namespace ssocli::saml
