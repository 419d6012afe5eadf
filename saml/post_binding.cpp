#include "saml/post_binding.h"

#include "core/base64.h"
#include "saml/saml_xml.h"

namespace ssocli::saml {
namespace {

Status Reject(std::string message, std::string hint = {}) {
  return Status::Error(ErrorKind::kSamlRejected, std::move(message), std::move(hint));
}

bool IsBlank(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

}  // namespace

Result<std::string> DecodePostBindingValue(std::string_view value) {
  if (value.size() > kMaxFormValueBytes) {
    return Reject("the SAMLResponse value is larger than " + std::to_string(kMaxFormValueBytes) + " bytes");
  }
  std::string compact;
  compact.reserve(value.size());
  for (char c : value) {
    if (!IsBlank(c)) compact += c;
  }
  if (compact.empty()) return Reject("the SAMLResponse is empty");
  auto decoded = Base64Decode(compact);
  if (!decoded) {
    return Reject("the SAMLResponse is not base64",
                  "give the value of the SAMLResponse form field, URL-decoded, or the XML document itself");
  }
  if (decoded->empty()) return Reject("the SAMLResponse is empty");
  if (decoded->size() > kMaxXmlBytes) {
    return Reject("the SAML response of " + std::to_string(decoded->size()) +
                  " bytes is larger than the limit of " + std::to_string(kMaxXmlBytes) + " bytes");
  }
  return std::move(*decoded);
}

Result<std::string> DecodeResponseInput(std::string_view input) {
  std::string_view rest = input;
  if (rest.substr(0, 3) == "\xEF\xBB\xBF") rest.remove_prefix(3);
  while (!rest.empty() && IsBlank(rest.front())) rest.remove_prefix(1);
  if (rest.empty()) return Reject("the SAML response is empty");
  if (rest.front() == '<') {
    if (rest.size() > kMaxXmlBytes) {
      return Reject("the SAML response of " + std::to_string(rest.size()) +
                    " bytes is larger than the limit of " + std::to_string(kMaxXmlBytes) + " bytes");
    }
    return std::string(rest);
  }
  return DecodePostBindingValue(input);
}

}  // namespace ssocli::saml
