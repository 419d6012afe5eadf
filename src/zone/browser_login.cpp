#include "zone/browser_login.h"

#include "core/markup.h"
#include "core/url.h"
#include "saml/authn_request.h"
#include "saml/post_binding.h"
#include "saml/response_validator.h"
#include "zone/html_page.h"
#include "zone/random_id.h"
#include "zone/totp.h"

namespace ssocli {
namespace {

constexpr char kDefaultReturnPath[] = "/login";
constexpr int64_t kSignInCookieSeconds = 600;

// The return path of a request: `redirect`, when it is a path on this server.
std::string ReturnPathOf(const RequestParams& params) {
  std::string path = params.Get("redirect");
  return IsLocalPath(path) ? path : std::string();
}

HttpReply SignInFailed(int status, const std::string& why) {
  return MessagePage(status, "Sign-in failed", why, "Sign in again", "/login");
}

}  // namespace

BrowserLogin::BrowserLogin(BrowserLoginSettings settings, const UserDirectory* users, TokenStore* store,
                           SessionStore* sessions, TestIdp* idp, const Clock* clock)
    : settings_(std::move(settings)),
      users_(users),
      store_(store),
      sessions_(sessions),
      idp_(idp),
      clock_(clock) {}

std::optional<UserIdentity> BrowserLogin::SessionUser(const BrowserRequest& request) {
  std::optional<std::string> id = CookieValue(request.cookies, kSessionCookie);
  if (!id || id->empty()) return std::nullopt;
  return sessions_->Find(*id, clock_->Now());
}

HttpReply BrowserLogin::StartSession(UserIdentity user, const std::string& return_path) {
  std::string id = sessions_->Create(std::move(user), clock_->Now());
  HttpReply reply = Redirect(settings_.base_url + return_path);
  reply.WithHeader("Set-Cookie", SetCookieValue(kSessionCookie, id, "/", settings_.secure_cookies));
  return reply;
}

HttpReply BrowserLogin::FormPage(int status, const std::string& redirect, const std::string& username,
                                 const std::string& error) const {
  std::string body = "<h1>Sign in to " + EscapeMarkup(settings_.zone_name) + "</h1>\n";
  if (!error.empty()) body += "<p class=\"error\" role=\"alert\">" + EscapeMarkup(error) + "</p>\n";
  body += "<form method=\"post\" action=\"/login.do\">\n";
  if (!redirect.empty()) {
    body += "<input type=\"hidden\" name=\"redirect\" value=\"" + EscapeMarkup(redirect) + "\">\n";
  }
  body +=
      "<label for=\"username\">Email</label>\n"
      "<input id=\"username\" name=\"username\" type=\"text\" autocomplete=\"username\" value=\"" +
      EscapeMarkup(username) +
      "\" autofocus>\n"
      "<label for=\"password\">Password</label>\n"
      "<input id=\"password\" type=\"password\" name=\"password\" autocomplete=\"current-password\">\n"
      "<label for=\"mfa_code\">MFA code <span class=\"note\">(only if your account has one)</span></label>\n"
      "<input id=\"mfa_code\" name=\"mfa_code\" type=\"text\" inputmode=\"numeric\" "
      "autocomplete=\"one-time-code\">\n"
      "<button type=\"submit\" id=\"sign-in\">Sign in</button>\n"
      "</form>\n"
      "<p class=\"note\">A local login server run by <code>ssocli zone serve</code> for demos and tests.</p>";
  return HtmlPage(status, "Sign in - " + settings_.zone_name, body);
}

HttpReply BrowserLogin::LoginPage(const BrowserRequest& request) {
  const std::string redirect = ReturnPathOf(request.params);
  if (std::optional<UserIdentity> user = SessionUser(request)) {
    if (!redirect.empty()) return Redirect(settings_.base_url + redirect);
    std::string body = "<h1>" + EscapeMarkup(settings_.zone_name) +
                       "</h1>\n<p>You are signed in as <strong>" + EscapeMarkup(user->user_name) +
                       "</strong>.</p>\n"
                       "<p><a href=\"/passcode\">Get a temporary authentication code</a></p>\n"
                       "<p><a href=\"/logout.do\">Sign out</a></p>";
    return HtmlPage(200, settings_.zone_name, body);
  }
  if (!settings_.saml_zone) return FormPage(200, redirect, "", "");

  // The zone as a SAML SP: off to its IdP, and this browser remembers which request it carries.
  const int64_t now = clock_->Now();
  const std::string return_path = redirect.empty() ? kDefaultReturnPath : redirect;
  saml::AuthnRequestParams params;
  params.sp_entity_id = settings_.sp_entity_id;
  params.acs_url = acs_url();
  params.idp_sso_url = idp_->sso_url();
  params.name_id_format = saml::kNameIdFormatEmail;
  params.relay_state = return_path;
  auto authn = saml::BuildAuthnRequest(params, saml::NewRequestId(), now);
  if (!authn.ok()) return MessagePage(500, "Sign-in failed", authn.status().message());
  std::string pending = sessions_->BeginSignIn(authn->id, return_path, now);
  HttpReply reply = Redirect(authn->redirect_url);
  reply.WithHeader("Set-Cookie", SetCookieValue(kSignInCookie, pending, acs_path(), settings_.secure_cookies,
                                                kSignInCookieSeconds));
  return reply;
}

HttpReply BrowserLogin::LoginForm(const BrowserRequest& request) {
  const RequestParams& p = request.params;
  const std::string redirect = ReturnPathOf(p);
  const std::string username = p.Get("username");
  const std::string password = p.Get("password");
  const ZoneUser* user = users_->FindUser(username);
  bool password_ok =
      user != nullptr && user->password && !password.empty() && SecretEquals(*user->password, password);
  if (!password_ok) return FormPage(401, redirect, username, "Wrong email or password.");
  if (user->locked) return FormPage(401, redirect, username, "This account is locked.");
  if (user->has_mfa()) {
    std::string code = p.Get("mfa_code");
    if (code.empty()) return FormPage(401, redirect, username, "This account needs its MFA code.");
    bool ok = (!user->mfa_code.empty() && SecretEquals(user->mfa_code, code)) ||
              (!user->totp_secret.empty() && VerifyTotp(user->totp_secret, code, clock_->Now()));
    if (!ok) return FormPage(401, redirect, username, "Wrong MFA code.");
  }
  return StartSession(UserDirectory::IdentityOf(*user), redirect.empty() ? kDefaultReturnPath : redirect);
}

HttpReply BrowserLogin::Acs(const BrowserRequest& request) {
  const int64_t now = clock_->Now();
  // The pending sign-in is spent whatever happens next: one request, one response.
  std::optional<SessionStore::SignIn> pending;
  if (std::optional<std::string> id = CookieValue(request.cookies, kSignInCookie)) {
    pending = sessions_->TakeSignIn(*id, now);
  }
  auto finish = [&](HttpReply reply) {
    reply.WithHeader("Set-Cookie",
                     SetCookieValue(kSignInCookie, "", acs_path(), settings_.secure_cookies, 0));
    return reply;
  };
  const std::string* value = request.params.Find("SAMLResponse");
  if (value == nullptr) return finish(SignInFailed(400, "The request carries no SAMLResponse."));
  if (!pending) {
    return finish(SignInFailed(400,
                               "No sign-in was started in this browser, or it took longer than 10 minutes, "
                               "or its answer was already used."));
  }
  auto xml = saml::DecodePostBindingValue(*value);
  if (!xml.ok())
    return finish(SignInFailed(400, "The IdP's answer is unreadable: " + xml.status().message()));
  auto key = idp_->Key();
  if (!key.ok()) return finish(MessagePage(500, "Sign-in failed", key.status().message()));

  saml::ResponseExpectations want;
  want.idp_certificates = {(*key)->cert_der()};
  want.idp_entity_id = idp_->entity_id();
  want.audience = settings_.sp_entity_id;
  want.recipient = acs_url();  // a web sign-in: the normal Recipient
  want.destinations = {acs_url()};
  want.acs_url = acs_url();
  want.in_response_to = pending->request_id;
  want.clock = clock_;
  auto assertion = saml::ValidateResponse(*xml, want);
  if (!assertion.ok()) {
    std::string why = "The IdP's answer was rejected: " + assertion.status().message() + ".";
    if (!assertion.status().hint().empty()) why += " (" + assertion.status().hint() + ")";
    return finish(SignInFailed(401, why));
  }

  UserIdentity identity = UserDirectory::ExternalIdentity(assertion->name_id, kTestIdpOrigin);
  if (const ZoneUser* user = users_->FindUser(assertion->name_id)) {
    identity.scopes = user->scopes;
    identity.email = user->email;
  }
  if (auto email = assertion->attributes.find("email");
      email != assertion->attributes.end() && !email->second.empty()) {
    identity.email = email->second.front();
  }
  std::string relay_state = request.params.Get("RelayState");
  return finish(
      StartSession(std::move(identity), IsLocalPath(relay_state) ? relay_state : pending->return_path));
}

HttpReply BrowserLogin::Passcode(const BrowserRequest& request, bool json) {
  std::optional<UserIdentity> user = SessionUser(request);
  if (!user) {
    if (json) {
      nlohmann::ordered_json body;
      body["error"] = "unauthorized";
      body["error_description"] = "Full authentication is required to access this resource";
      return JsonReply(401, body);
    }
    return Redirect(settings_.base_url + "/login?redirect=" + PercentEncode("/passcode"));
  }
  const int64_t now = clock_->Now();
  std::string code = RandomAlphanumeric(32);
  std::string user_name = user->user_name;
  store_->PutPasscode(code, std::move(*user), now + kPasscodeValidity, now);  // older codes stop working
  if (json) {
    HttpReply reply = JsonReply(200, code);
    reply.WithHeader("Cache-Control", "no-store").WithHeader("Pragma", "no-cache");
    return reply;
  }
  std::string body =
      "<h1>Temporary Authentication Code</h1>\n<p>Signed in as <strong>" + EscapeMarkup(user_name) +
      "</strong>.</p>\n<code id=\"passcode\">" + code +
      "</code>\n"
      "<p class=\"note\">It works once and expires in 5 minutes. Getting a new one makes this one "
      "invalid.</p>\n"
      "<p class=\"note\">Use it with <code>get_token -p</code>.</p>\n"
      "<p><a href=\"/passcode\">Get another code</a> &middot; <a href=\"/logout.do\">Sign out</a></p>";
  return HtmlPage(200, "Temporary Authentication Code", body);
}

HttpReply BrowserLogin::Logout(const BrowserRequest& request) {
  if (std::optional<std::string> id = CookieValue(request.cookies, kSessionCookie)) sessions_->Remove(*id);
  HttpReply reply = Redirect(settings_.base_url + "/login");
  reply.WithHeader("Set-Cookie", SetCookieValue(kSessionCookie, "", "/", settings_.secure_cookies, 0));
  return reply;
}

}  // namespace ssocli
