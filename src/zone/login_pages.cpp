#include "zone/login_pages.h"

#include "core/markup.h"

namespace ssocli {
namespace {

using nlohmann::ordered_json;

constexpr char kHtmlUtf8[] = "text/html;charset=UTF-8";

}  // namespace

HttpReply LoginReply(const LoginPageInfo& info, bool json) {
  std::string passcode_prompt = "Temporary Authentication Code ( Get one at " + info.base_url + "/passcode )";
  if (json) {
    ordered_json body;
    body["app"] = {{"version", "4.30.0"}};
    ordered_json links;
    links["uaa"] = info.base_url;
    links["passwd"] = "/forgot_password";
    links["login"] = info.base_url;
    links["register"] = "/create_account";
    body["links"] = links;
    body["zone_name"] = info.zone_name;
    ordered_json prompts;
    prompts["username"] = {"text", "Email"};
    prompts["password"] = {"password", "Password"};
    if (info.saml_zone) prompts["passcode"] = {"password", passcode_prompt};
    body["prompts"] = prompts;
    body["timestamp"] = info.timestamp;
    return JsonReply(200, body);
  }
  std::string html = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" +
                     EscapeMarkup(info.zone_name) + " - ssocli zone</title></head>\n<body>\n<h1>" +
                     EscapeMarkup(info.zone_name) +
                     "</h1>\n<p>This is a local login server run by <code>ssocli zone serve</code> for demos "
                     "and tests.</p>\n"
                     "<p>Get a token with <code>SSO_LOGIN_URL=" +
                     EscapeMarkup(info.base_url) + " get_token</code>.</p>\n";
  if (info.saml_zone) {
    html += "<p>" + EscapeMarkup(passcode_prompt) + "</p>\n";
  }
  html += "</body></html>\n";
  return HttpReply{200, kHtmlUtf8, html, {}};
}

HttpReply VersionReply() {
  return JsonReply(200, ordered_json{{"cliVersion", "2.3.0"}});
}

HttpReply TokenKeysReply(const JwtSigner& signer) {
  ordered_json body;
  body["keys"] = ordered_json::array({signer.Jwk()});
  return JsonReply(200, body);
}

HttpReply TokenKeyReply(const JwtSigner& signer) {
  return JsonReply(200, signer.Jwk());
}

HttpReply PasscodeReply(const LoginPageInfo& info, bool json) {
  if (json) {
    ordered_json body;
    body["error"] = "unauthorized";
    body["error_description"] = "Full authentication is required to access this resource";
    return JsonReply(401, body);
  }
  HttpReply reply{302, kHtmlUtf8, "", {}};
  reply.WithHeader("Location", info.base_url + "/login");
  return reply;
}

}  // namespace ssocli
