// /__test/*: what tests need to steer the zone from outside (only with --test-hooks).
//   POST   /__test/passcode  user=U                      -> a new passcode for U (text/plain)
//   POST   /__test/token     user=U&lifetime=S[&iat=T][&client=C][&scope=..]
//                                                         -> a token response, exp = iat + S
//   POST   /__test/revoke    user=U                      -> revokes U's refresh tokens
//   GET    /__test/requests                              -> the requests received, JSON
//   DELETE /__test/requests                              -> forgets them
//   POST   /__test/fault     path=P[&count=N][&status=N][&content_type=..][&body=..]
//                            [&delay=SECONDS][&retry_after=..]
//   DELETE /__test/fault                                 -> clears all faults
//   POST   /__test/saml-response  acs=URL&user=U[&in_response_to=ID][&relay_state=S][&audience=..]
//                            [&recipient=..][&destination=..][&issuer=..][&lifetime=S]
//                            [&sign=assertion|both|none][&key=idp|attacker]
//                                                         -> a SAMLResponse form value from the test IdP
#pragma once

#include <string>

#include "core/clock.h"
#include "zone/fault_injector.h"
#include "zone/form_params.h"
#include "zone/http_reply.h"
#include "zone/request_log.h"
#include "zone/test_idp.h"
#include "zone/token_issuer.h"
#include "zone/token_store.h"
#include "zone/user_directory.h"

namespace ssocli {

inline constexpr char kTestHookPrefix[] = "/__test/";

class TestHooks {
 public:
  // Every pointer must outlive the hooks.
  // `sp_entity_id`: the zone's, the default audience of /__test/saml-response.
  TestHooks(const UserDirectory* users, TokenIssuer* issuer, TokenStore* store, RequestLog* requests,
            FaultInjector* faults, TestIdp* idp, std::string sp_entity_id, const Clock* clock);

  // `path` starts with kTestHookPrefix.
  HttpReply Handle(const std::string& method, const std::string& path, const RequestParams& params);

 private:
  HttpReply Passcode(const RequestParams& params);
  HttpReply Token(const RequestParams& params);
  HttpReply Revoke(const RequestParams& params);
  HttpReply AddFault(const RequestParams& params);
  HttpReply SamlResponse(const RequestParams& params);
  // A user of the users file, or else one the zone takes as signed in at its external IdP, so
  // tests of SAML zones need no users file.
  UserIdentity IdentityFor(const std::string& user_name) const;

  const UserDirectory* users_;
  TokenIssuer* issuer_;
  TokenStore* store_;
  RequestLog* requests_;
  FaultInjector* faults_;
  TestIdp* idp_;
  std::string sp_entity_id_;
  const Clock* clock_;
};

}  // namespace ssocli
