// The browser sign-in of `get_token --sso` (interface.md, "The browser flow"): listen on 127.0.0.1,
// open the browser or print the URL, capture a validated SAML assertion (SAML mode) or a passcode
// (passcode mode: the browser's form or the terminal, whichever comes first), have the caller exchange
// it for a token while the browser waits, show the outcome page, close the listener.
//
// Knows nothing about tokens, caches or exit codes: the exchange is the caller's, and errors are
// Status values (kSsoTimeout, kSamlRejected, kInvalidChars, ... or the exchange's own).
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "core/clock.h"
#include "core/status.h"
#include "sso/browser_launcher.h"

namespace ssocli::sso {

enum class CredentialKind {
  kSamlAssertion = 1,  // base64url (no padding) of the validated, standalone <Assertion>
  kPasscode = 2,       // a one-time passcode of [0-9A-Za-z_-]
};

// Exchanges a captured credential at the login server (the saml2-bearer or passcode grant) and keeps
// the token. Called at most once, on the thread that called RunSsoFlow, while the browser waits for its
// page. Returns OK, or the error to show in the browser and to return.
using SsoExchange = std::function<Status(CredentialKind kind, const std::string& credential)>;

struct SsoFlowConfig {
  std::string login_url;          // SSO_LOGIN_URL: passcode mode links to login_url + "/passcode"
  std::string idp_metadata_path;  // empty: passcode mode; else SAML mode trusting this IdP metadata
  std::string sp_entity_id;       // SAML mode: AuthnRequest Issuer and expected Audience
  std::string saml_recipient;     // SAML mode: expected bearer Recipient (the token alias URL)
  int port = 0;                   // 0: any free port
  std::chrono::milliseconds timeout{300000};  // waiting for an answer (not for the exchange)
  std::string browser_command;                // --browser / $BROWSER; empty: the default chain
  bool no_browser = false;                    // never launch; print the URL
  int stdin_fd = -1;                          // passcode mode: a passcode may be typed here; -1: none
  int stderr_fd = 2;                          // messages for the user; -1: none
  std::string program = "get_token";          // prefixes messages, named in pages
  bool verbose = false;                       // -v: debug lines (never a secret) on stderr_fd
};

struct SsoFlowDeps {
  const Clock* clock = nullptr;  // SAML instants (AuthnRequest, validation); required
  int64_t saml_skew_seconds = 60;
  BrowserEnvironment
      browser_env;  // decides whether and how a browser opens; BrowserEnvironment::FromProcess()
  // Called once the listener accepts connections, with the start URL (tests drive the flow with it).
  std::function<void(const std::string& start_url)> on_listening;
};

// Runs one sign-in. Returns OK once `exchange` succeeded; otherwise the reason, of kind:
//   kUsage         the configuration is unusable (unreadable or invalid IdP metadata, a bad browser
//                  command, a missing SP entity ID, ...): nothing was started
//   kSsoTimeout    no answer within config.timeout, or the port is busy
//   kSamlRejected  the SAML response failed validation (the reason, and a hint); nothing was exchanged
//   kMissingInput  an empty line was typed at the terminal
//   kInvalidChars  the passcode typed at the terminal has characters outside [0-9A-Za-z_-]
//   anything `exchange` returned.
// The listener is closed and every thread it started has ended when this returns.
Status RunSsoFlow(const SsoFlowConfig& config, const SsoFlowDeps& deps, const SsoExchange& exchange);

// Whether `passcode` is non-empty and made of [0-9A-Za-z_-] only.
bool IsValidPasscode(std::string_view passcode);

}  // namespace ssocli::sso
