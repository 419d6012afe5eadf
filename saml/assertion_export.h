// The signed Assertion as it travels on: a standalone document for the saml2-bearer grant (RFC 7522).
#pragma once

#include <libxml/tree.h>

#include <string>
#include <string_view>

#include "core/status.h"

namespace ssocli::saml {

// Serialises `assertion` alone (UTF-8, no XML declaration), declaring on it every namespace it has in
// scope in its original document: the prefixes its names use and also those only used inside values
// (xsi:type="xs:string"), so that it still parses, means the same and verifies standalone
// (exclusive c14n ignores the extra declarations). Fails (kInternal) only when out of memory.
Result<std::string> ExportAssertion(const xmlNode* assertion);

// The `assertion` form parameter of the saml2-bearer grant: base64url without padding.
std::string BearerAssertionParameter(std::string_view assertion_xml);

}  // namespace ssocli::saml
