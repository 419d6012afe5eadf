// get_token's command line: the original's flags (compat.md, KEEP) plus the new ones of interface.md.
#pragma once

#include <optional>
#include <string>

#include "core/status.h"
#include "token/token_provider.h"

namespace ssocli {

// The browser sign-in's flags (interface.md), as given; see browser_plugin.h for their resolution.
struct BrowserFlags {
  bool no_browser = false;
  std::optional<std::string> browser;         // --browser CMD
  std::optional<std::string> idp_metadata;    // --idp-metadata FILE
  std::optional<std::string> sp_entity_id;    // --sp-entity-id ID
  std::optional<std::string> saml_recipient;  // --saml-recipient URL
  std::optional<int> port;                    // --port N
  std::optional<int> timeout_seconds;         // --sso-timeout SECONDS
};

struct GetTokenOptions {
  SignInRequest sign_in;  // sign_in.browser is --sso
  BrowserFlags browser;
  bool help = false;
  bool version = false;
  bool print_cache = false;
  bool clear_cache = false;
  bool clear_all_cache = false;
  bool insecure = false;
  bool verbose = false;
  bool json = false;
  std::optional<std::string> cacert;
};

// Parses argv[1..argc). Secrets (-u USER:PASS, -p CODE, -m CODE) are copied into the result and
// overwritten with 'x' in argv, so that /proc/PID/cmdline and ps no longer show them.
// Errors: kUsage, naming the offending argument.
Result<GetTokenOptions> ParseGetTokenArgs(int argc, char** argv);

// The -h text.
const char* GetTokenHelp();

}  // namespace ssocli
