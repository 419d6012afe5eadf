#include "zone/test_idp.h"

#include "core/base64.h"
#include "core/markup.h"
#include "saml/idp_metadata.h"
#include "zone/html_page.h"

namespace ssocli {
namespace {

constexpr char kTitle[] = "Sign in - ssocli test IdP";

bool IsHttpUrl(const std::string& url) {
  return (url.rfind("https://", 0) == 0 || url.rfind("http://", 0) == 0) &&
         url.find_first_of(" \t\r\n\"<>#") == std::string::npos;
}

HttpReply BadRequestPage(const std::string& why) {
  return MessagePage(400, "Not a valid sign-in request", why);
}

HttpReply ServerErrorPage(const Status& status) {
  return MessagePage(500, "The test IdP failed", status.message());
}

// The page that carries the Response to the SP, as every IdP does it for the HTTP-POST binding: a form
// the browser submits at once, with a button for browsers without JavaScript.
HttpReply AutoPostPage(const std::string& acs_url, const std::string& saml_response,
                       const std::string& relay_state) {
  std::string body = "<h1>Signing you in</h1>\n<form method=\"post\" action=\"" + EscapeMarkup(acs_url) +
                     "\">\n<input type=\"hidden\" name=\"SAMLResponse\" value=\"" +
                     EscapeMarkup(saml_response) + "\">\n";
  if (!relay_state.empty()) {
    body += "<input type=\"hidden\" name=\"RelayState\" value=\"" + EscapeMarkup(relay_state) + "\">\n";
  }
  body +=
      "<noscript><p>JavaScript is off: press the button to continue.</p>"
      "<button type=\"submit\">Continue</button></noscript>\n</form>";
  return HtmlPage(200, "Signing you in", body, "onload=\"document.forms[0].submit()\"");
}

}  // namespace

TestIdp::TestIdp(TestIdpSettings settings, std::optional<saml::SigningKey> key, const UserDirectory* users,
                 const Clock* clock)
    : settings_(std::move(settings)), users_(users), clock_(clock), key_(std::move(key)) {}

Result<const saml::SigningKey*> TestIdp::Key() {
  std::lock_guard<std::mutex> lock(mu_);
  if (!key_) {
    auto made = saml::SigningKey::Generate("ssocli zone test IdP", clock_->Now());
    if (!made.ok()) return made.status();
    key_ = std::move(made.value());
  }
  return &*key_;
}

Result<const saml::SigningKey*> TestIdp::AttackerKey() {
  std::lock_guard<std::mutex> lock(mu_);
  if (!attacker_) {
    auto made = saml::SigningKey::Generate("an IdP the zone does not trust", clock_->Now());
    if (!made.ok()) return made.status();
    attacker_ = std::move(made.value());
  }
  return &*attacker_;
}

std::string TestIdp::RecipientFor(const std::string& acs_url, const std::string& sp_entity_id) const {
  if (acs_url == settings_.zone_acs_url || settings_.recipient == IdpRecipient::kAcs) return acs_url;
  return settings_.base_url + "/oauth/token/alias/" + sp_entity_id;
}

HttpReply TestIdp::Metadata() {
  auto key = Key();
  if (!key.ok()) return ServerErrorPage(key.status());
  saml::IdpConfig config;
  config.entity_id = settings_.entity_id;
  config.sso_redirect_url = sso_url();
  config.signing_certificates = {(*key)->cert_der()};
  auto xml = saml::BuildIdpMetadata(config);
  if (!xml.ok()) return ServerErrorPage(xml.status());
  HttpReply reply{200, "application/samlmetadata+xml;charset=UTF-8", std::move(xml.value()), {}};
  reply.WithHeader("Cache-Control", "no-store");
  return reply;
}

HttpReply TestIdp::LoginPage(int status, const std::string& saml_request, const std::string& relay_state,
                             const saml::ReceivedAuthnRequest& request, const std::string& username,
                             const std::string& error) const {
  std::string body = "<h1>Sign in</h1>\n<p class=\"note\">ssocli test IdP, signing you in to <strong>" +
                     EscapeMarkup(request.issuer) + "</strong></p>\n";
  if (!error.empty()) body += "<p class=\"error\" role=\"alert\">" + EscapeMarkup(error) + "</p>\n";
  body +=
      "<form method=\"post\" action=\"/idp/login\">\n"
      "<input type=\"hidden\" name=\"SAMLRequest\" value=\"" +
      EscapeMarkup(saml_request) +
      "\">\n"
      "<input type=\"hidden\" name=\"RelayState\" value=\"" +
      EscapeMarkup(relay_state) +
      "\">\n"
      "<label for=\"username\">Email</label>\n"
      "<input id=\"username\" name=\"username\" type=\"text\" autocomplete=\"username\" value=\"" +
      EscapeMarkup(username) +
      "\" autofocus>\n"
      "<label for=\"password\">Password</label>\n"
      "<input id=\"password\" type=\"password\" name=\"password\" autocomplete=\"current-password\">\n"
      "<button type=\"submit\" id=\"sign-in\">Sign in</button>\n"
      "</form>";
  return HtmlPage(status, kTitle, body);
}

HttpReply TestIdp::SsoPage(const RequestParams& params) {
  const std::string* saml_request = params.Find("SAMLRequest");
  if (saml_request == nullptr) return BadRequestPage("The request has no SAMLRequest parameter.");
  auto request = saml::ParseRedirectAuthnRequest(*saml_request);
  if (!request.ok()) return BadRequestPage(request.status().message());
  return LoginPage(200, *saml_request, params.Get("RelayState"), *request, "", "");
}

HttpReply TestIdp::Login(const RequestParams& params) {
  const std::string* saml_request = params.Find("SAMLRequest");
  if (saml_request == nullptr) return BadRequestPage("The sign-in form lost its SAMLRequest: start again.");
  auto request = saml::ParseRedirectAuthnRequest(*saml_request);
  if (!request.ok()) return BadRequestPage(request.status().message());
  const std::string relay_state = params.Get("RelayState");
  const std::string username = params.Get("username");
  const std::string password = params.Get("password");

  const ZoneUser* user = users_->FindUser(username);
  if (user != nullptr && user->locked && user->password && SecretEquals(*user->password, password)) {
    return LoginPage(401, *saml_request, relay_state, *request, username, "This account is locked.");
  }
  if (user == nullptr || user->locked || !user->password || password.empty() ||
      !SecretEquals(*user->password, password)) {
    return LoginPage(401, *saml_request, relay_state, *request, username, "Wrong email or password.");
  }

  MintRequest mint;
  mint.acs_url = request->acs_url;
  mint.in_response_to = request->id;
  mint.audience = request->issuer;
  mint.user = user->username;  // lowercased
  mint.email = user->email;
  auto response = MintResponse(mint);
  if (!response.ok()) return ServerErrorPage(response.status());
  return AutoPostPage(request->acs_url, *response, relay_state);
}

Result<std::string> TestIdp::MintResponse(const MintRequest& request) {
  if (!IsHttpUrl(request.acs_url)) {
    return Status::Error(ErrorKind::kUsage, "the ACS URL must be an http(s) URL");
  }
  if (request.audience.empty() || request.user.empty()) {
    return Status::Error(ErrorKind::kUsage, "the audience and the user are required");
  }
  auto key = request.attacker_key ? AttackerKey() : Key();
  if (!key.ok()) return key.status();
  saml::IdpResponseSpec spec;
  spec.idp_entity_id = request.issuer.value_or(settings_.entity_id);
  spec.name_id = request.user;
  spec.in_response_to = request.in_response_to;
  spec.destination = request.destination.value_or(request.acs_url);
  spec.audiences = {request.audience};
  spec.recipient = request.recipient.value_or(RecipientFor(request.acs_url, request.audience));
  spec.lifetime_seconds = request.lifetime_seconds;
  if (!request.email.empty()) spec.attributes["email"] = {request.email};
  spec.sign = request.sign;
  auto built = saml::BuildResponse(spec, **key, *clock_);
  if (!built.ok()) return built.status();
  return Base64Encode(built->xml);
}

}  // namespace ssocli
