// The zone's pages for browsers: sign-in (its own form, or through its IdP in --saml-zone mode, where
// the zone is a SAML SP with its ACS at /saml/SSO/alias/<SP entity ID>), the session that follows, and
// GET /passcode, which shows a one-time code to a signed-in browser (uaa.md "GET /passcode").
//   GET  /login      (Accept not JSON)  signed in: back to ?redirect= or a "signed in" page;
//                                       --saml-zone: 302 to the IdP with an AuthnRequest; else the form
//   POST /login.do   username, password[, mfa_code][, redirect] -> session, 302
//   POST /saml/SSO/alias/<SP entity ID>  SAMLResponse, RelayState -> session, 302 to RelayState
//   GET  /passcode   session: a new code (HTML, or the JSON string with Accept: JSON); else 302 /login
//   GET  /logout.do  ends the session
#pragma once

#include <string>

#include "core/clock.h"
#include "zone/form_params.h"
#include "zone/http_reply.h"
#include "zone/session_store.h"
#include "zone/test_idp.h"
#include "zone/token_store.h"
#include "zone/user_directory.h"

namespace ssocli {

// Origin (the token's `origin` claim) of users signed in through the built-in test IdP.
inline constexpr char kTestIdpOrigin[] = "test-idp";

struct BrowserLoginSettings {
  std::string base_url;
  std::string zone_name;
  bool saml_zone = false;       // sign-in goes through the IdP
  std::string sp_entity_id;     // the zone's SAML SP entity ID
  bool secure_cookies = false;  // HTTPS: cookies get the Secure attribute
};

struct BrowserRequest {
  RequestParams params;  // query string and form, merged
  std::string cookies;   // the Cookie header
};

class BrowserLogin {
 public:
  // Every pointer must outlive this object.
  BrowserLogin(BrowserLoginSettings settings, const UserDirectory* users, TokenStore* store,
               SessionStore* sessions, TestIdp* idp, const Clock* clock);

  // "/saml/SSO/alias/<SP entity ID>", and its absolute URL (the Destination and Recipient the zone
  // expects from its IdP).
  std::string acs_path() const { return "/saml/SSO/alias/" + settings_.sp_entity_id; }
  std::string acs_url() const { return settings_.base_url + acs_path(); }

  HttpReply LoginPage(const BrowserRequest& request);
  HttpReply LoginForm(const BrowserRequest& request);
  HttpReply Acs(const BrowserRequest& request);
  HttpReply Passcode(const BrowserRequest& request, bool json);
  HttpReply Logout(const BrowserRequest& request);

 private:
  std::optional<UserIdentity> SessionUser(const BrowserRequest& request);
  HttpReply FormPage(int status, const std::string& redirect, const std::string& username,
                     const std::string& error) const;
  // A new session for `user` (a new cookie value: no fixation), then 302 to `return_path`.
  HttpReply StartSession(UserIdentity user, const std::string& return_path);

  const BrowserLoginSettings settings_;
  const UserDirectory* users_;
  TokenStore* store_;
  SessionStore* sessions_;
  TestIdp* idp_;
  const Clock* clock_;
};

}  // namespace ssocli
