#include "sso/sso_pages.h"

#include "core/markup.h"

namespace ssocli::sso {
namespace {

// One stylesheet for every page; light and dark, readable on a phone.
constexpr char kStyle[] = R"(
:root{color-scheme:light dark;--bg:#f4f5f7;--card:#fff;--fg:#1d2330;--muted:#5b6475;--line:#d9dde5;
--ok:#1a7f37;--err:#c62828;--accent:#1f5fbf}
@media (prefers-color-scheme:dark){:root{--bg:#15181e;--card:#1e222a;--fg:#e6e9ef;--muted:#a0a8b8;
--line:#353b47;--ok:#4cc26b;--err:#ff6b6b;--accent:#6ea8ff}}
*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;background:var(--bg);
color:var(--fg);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{width:min(34rem,calc(100% - 2rem));background:var(--card);border:1px solid var(--line);border-radius:12px;
padding:2rem 2rem 1.5rem;box-shadow:0 4px 24px rgba(0,0,0,.08);border-top:6px solid var(--accent)}
main.ok{border-top-color:var(--ok)}main.err{border-top-color:var(--err)}
h1{font-size:1.4rem;margin:0 0 .75rem}
.ok h1{color:var(--ok)}.err h1{color:var(--err)}
p,ol{margin:.6rem 0}li{margin:.35rem 0}
a{color:var(--accent);word-break:break-all}
.what{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9rem;background:var(--bg);
border:1px solid var(--line);border-radius:8px;padding:.6rem .8rem;white-space:pre-wrap;word-break:break-word}
.notice{color:var(--err);font-weight:600}
form{display:flex;flex-wrap:wrap;gap:.5rem;margin:1rem 0 .5rem}
label{width:100%;font-weight:600}
input[name=passcode]{flex:1 1 12rem;font:inherit;font-family:ui-monospace,Menlo,Consolas,monospace;
padding:.55rem .7rem;border:1px solid var(--line);border-radius:8px;background:var(--bg);color:var(--fg)}
button{font:inherit;font-weight:600;padding:.55rem 1.2rem;border:0;border-radius:8px;background:var(--accent);
color:#fff;cursor:pointer}
.muted{color:var(--muted);font-size:.9rem}
footer{margin-top:1.25rem;padding-top:.75rem;border-top:1px solid var(--line);color:var(--muted);font-size:.8rem}
)";

std::string Page(std::string_view kind, std::string_view title, std::string_view program,
                 const std::string& body) {
  std::string html;
  html.reserve(4096 + body.size());
  html +=
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<meta name=\"referrer\" content=\"no-referrer\"><title>";
  html += EscapeMarkup(title) + " \xE2\x80\x94 " + EscapeMarkup(program);
  html += "</title><style>";
  html += kStyle;
  html += "</style></head><body><main class=\"";
  html += kind;
  html += "\"><h1>" + EscapeMarkup(title) + "</h1>\n";
  html += body;
  html += "<footer>" + EscapeMarkup(program) + " (ssocli) browser sign-in</footer></main></body></html>\n";
  return html;
}

}  // namespace

std::string PasscodeStartPage(std::string_view program, std::string_view passcode_url, std::string_view state,
                              std::string_view notice) {
  std::string body;
  if (!notice.empty()) body += "<p class=\"notice\" role=\"alert\">" + EscapeMarkup(notice) + "</p>\n";
  body += "<ol><li>Get a one-time passcode from <a href=\"" + EscapeMarkup(passcode_url) +
          "\" target=\"_blank\" rel=\"noopener noreferrer\">" + EscapeMarkup(passcode_url) +
          "</a> (it opens in a new tab; sign in there if asked).</li>"
          "<li>Paste the passcode here and press <b>Sign in</b>.</li></ol>\n";
  body +=
      "<form method=\"post\" action=\"/passcode\" autocomplete=\"off\">"
      "<label for=\"passcode\">Passcode</label>"
      "<input type=\"hidden\" name=\"state\" value=\"" +
      EscapeMarkup(state) +
      "\">"
      "<input id=\"passcode\" name=\"passcode\" type=\"text\" required autofocus spellcheck=\"false\" "
      "autocapitalize=\"off\" autocomplete=\"one-time-code\" pattern=\"[0-9A-Za-z_\\-]+\" "
      "title=\"letters, digits, _ and - only\">"
      "<button type=\"submit\" id=\"submit-passcode\">Sign in</button></form>\n";
  body += "<p class=\"muted\">You can also type the passcode in the terminal where " + EscapeMarkup(program) +
          " is waiting. A passcode works once and expires after a few minutes.</p>\n";
  return Page("start", "Sign in with a passcode", program, body);
}

std::string SuccessPage(std::string_view program) {
  std::string body = "<p>" + EscapeMarkup(program) +
                     " has your token. You can close this tab and go back to the terminal.</p>\n";
  return Page("ok", "Signed in", program, body);
}

std::string ErrorPage(std::string_view program, std::string_view title, std::string_view what,
                      std::string_view next_step) {
  std::string body;
  if (!what.empty()) body += "<p class=\"what\">" + EscapeMarkup(what) + "</p>\n";
  if (!next_step.empty()) body += "<p><b>What to do next:</b> " + EscapeMarkup(next_step) + "</p>\n";
  return Page("err", title, program, body);
}

}  // namespace ssocli::sso
