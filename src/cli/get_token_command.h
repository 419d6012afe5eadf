// get_token's main, and the environment reading that acurl shares with it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "cli/get_token_options.h"
#include "cli/terminal_prompter.h"
#include "core/status.h"
#include "net/http_client.h"
#include "token/token_provider.h"

namespace ssocli {

// Everything the token step takes from the environment, checked.
struct TokenEnvironment {
  std::string login_url;    // SSO_LOGIN_URL, default https://login.apigee.com
  std::string home;         // HOME, else the passwd entry's home
  std::string client_auth;  // base64(client_id:client_secret)
  HttpOptions http;
  TokenProviderConfig provider;
  PromptTimeouts prompts;
};

// Reads SSO_LOGIN_URL, HOME, CLIENT_AUTH / CLIENT_ID + CLIENT_SECRET, CURL_CA_BUNDLE / SSL_CERT_FILE,
// SSO_REFRESH_MARGIN and the SSOCLI_* tuning variables. `cacert` (--cacert) wins over the env.
// Errors: kLoginUrl for a bad SSO_LOGIN_URL, kUsage for an unreadable CA file or a malformed number.
Result<TokenEnvironment> ReadTokenEnvironment(bool insecure, const std::optional<std::string>& cacert);

// The token step shared by get_token and acurl: the cache, else a refresh, else a sign-in (prompting
// on the terminal, or through the browser with --sso, unless non-interactive). Debug lines go to
// stderr with `program`.
Result<TokenOutcome> RunTokenStep(std::string_view program, const GetTokenOptions& options,
                                  const TokenEnvironment& env);

// The whole get_token program. Returns its exit code.
int GetTokenMain(int argc, char** argv);

}  // namespace ssocli
