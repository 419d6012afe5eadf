// The zone's and its test IdP's browser pages: one small, self-contained HTML shell (inline CSS, no
// external resources) that is never cached, never framed and leaks no URL in a Referer.
#pragma once

#include <string>
#include <string_view>

#include "zone/http_reply.h"

namespace ssocli {

// A complete page. `title` is text (escaped here); `body_html` is markup the caller built with
// EscapeMarkup around every value. `body_attributes` go on <body> (e.g. an onload handler).
HttpReply HtmlPage(int status, std::string_view title, const std::string& body_html,
                   std::string_view body_attributes = {});

// A page that only says `message` (text) under `title`, with an optional link (text, local path).
HttpReply MessagePage(int status, std::string_view title, std::string_view message,
                      std::string_view link_text = {}, std::string_view link_path = {});

// A 302 to `location`, uncached.
HttpReply Redirect(const std::string& location);

}  // namespace ssocli
