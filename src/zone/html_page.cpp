#include "zone/html_page.h"

#include "core/markup.h"

namespace ssocli {
namespace {

constexpr char kHtmlUtf8[] = "text/html;charset=UTF-8";

constexpr char kStyle[] =
    "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;background:#f4f5f7;color:#1d2430;"
    "margin:0;padding:3rem 1rem}"
    "main{max-width:26rem;margin:0 auto;background:#fff;border-radius:8px;padding:2rem;"
    "box-shadow:0 1px 4px rgba(0,0,0,.12)}"
    "h1{font-size:1.3rem;margin:0 0 1rem}"
    "p{line-height:1.45}"
    "label{display:block;margin:.9rem 0 .3rem;font-weight:600}"
    "input{box-sizing:border-box;width:100%;padding:.55rem;border:1px solid #b8bfca;border-radius:4px;"
    "font-size:1rem}"
    "button{margin-top:1.3rem;width:100%;padding:.65rem;border:0;border-radius:4px;background:#1a5fb4;"
    "color:#fff;font-size:1rem;cursor:pointer}"
    "code#passcode{display:block;font-size:1.25rem;padding:.8rem;background:#eef1f5;border-radius:4px;"
    "word-break:break-all;user-select:all}"
    ".error{color:#b00020;font-weight:600}"
    ".note{color:#5a6472;font-size:.9rem}";

}  // namespace

HttpReply HtmlPage(int status, std::string_view title, const std::string& body_html,
                   std::string_view body_attributes) {
  std::string html =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<title>" +
      EscapeMarkup(title) + "</title><style>" + kStyle + "</style></head>\n<body";
  if (!body_attributes.empty()) html += " " + std::string(body_attributes);
  html += "><main>\n" + body_html + "\n</main></body></html>\n";
  HttpReply reply{status, kHtmlUtf8, std::move(html), {}};
  reply.WithHeader("Cache-Control", "no-store")
      .WithHeader("Pragma", "no-cache")
      .WithHeader("X-Frame-Options", "DENY")
      .WithHeader("Referrer-Policy", "no-referrer")
      // Inline style and the auto-post's inline onload only; nothing is loaded from anywhere.
      .WithHeader("Content-Security-Policy",
                  "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
                  "frame-ancestors 'none'");
  return reply;
}

HttpReply MessagePage(int status, std::string_view title, std::string_view message,
                      std::string_view link_text, std::string_view link_path) {
  std::string body = "<h1>" + EscapeMarkup(title) + "</h1>\n<p>" + EscapeMarkup(message) + "</p>";
  if (!link_text.empty()) {
    body += "\n<p><a href=\"" + EscapeMarkup(link_path) + "\">" + EscapeMarkup(link_text) + "</a></p>";
  }
  return HtmlPage(status, title, body);
}

HttpReply Redirect(const std::string& location) {
  HttpReply reply{302, "", "", {}};
  reply.WithHeader("Location", location).WithHeader("Cache-Control", "no-store");
  return reply;
}

}  // namespace ssocli
