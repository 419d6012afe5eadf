// get_token --sso: resolving the browser sign-in's settings, and running it through the plugin
// libssocli_sso.so (src/sso/), which is loaded only when a browser sign-in is really needed.
#pragma once

#include <string>

#include "cli/get_token_options.h"
#include "core/status.h"
#include "token/token_provider.h"

namespace ssocli {

struct BrowserSettings {
  std::string login_url;
  std::string idp_metadata;  // empty: passcode mode
  std::string sp_entity_id;  // SAML mode
  std::string saml_recipient;
  int port = 0;
  int timeout_seconds = 300;
  std::string browser_command;  // empty: the default chain
  bool no_browser = false;
  bool read_terminal = true;  // passcode mode: accept a passcode typed on stdin too
};

// Flags first, then the environment (BROWSER, SSO_IDP_METADATA, SSO_SP_ENTITY_ID, SSO_LOOPBACK_PORT),
// then defaults: SP entity ID "<zone>.apigee-saml-login" (zone = the first host label of
// SSO_LOGIN_URL), Recipient = the token alias URL. Errors (kUsage): an unreadable metadata file, an
// IP-address login URL without --sp-entity-id in SAML mode, a malformed SSO_LOOPBACK_PORT.
Result<BrowserSettings> ResolveBrowserSettings(const BrowserFlags& flags, const std::string& login_url);

// The plugin's path: $SSOCLI_SSO_PLUGIN, else next to this program's install (../lib/ssocli/) or
// build tree (sso/). Empty when none exists.
std::string FindSsoPlugin();

class PluginBrowserSignIn final : public BrowserSignIn {
 public:
  PluginBrowserSignIn(BrowserSettings settings, std::string program, bool verbose)
      : settings_(std::move(settings)), program_(std::move(program)), verbose_(verbose) {}
  Status Run(const Exchange& exchange) override;

 private:
  BrowserSettings settings_;
  std::string program_;
  bool verbose_;
};

}  // namespace ssocli
