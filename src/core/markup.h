// Escaping text for XML and HTML (element content and quoted attribute values alike).
#pragma once

#include <string>
#include <string_view>

namespace ssocli {

// & < > " ' become entities; tab, CR and LF become character references so that they survive
// attribute-value normalisation. Other bytes (UTF-8 included) are kept.
std::string EscapeMarkup(std::string_view text);

}  // namespace ssocli
