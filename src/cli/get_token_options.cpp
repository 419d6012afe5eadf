#include "cli/get_token_options.h"

#include <cstring>
#include <string_view>

#include "core/secret.h"

namespace ssocli {
namespace {

Status Usage(std::string message) {
  return Status::Error(ErrorKind::kUsage, std::move(message), "see get_token -h");
}

std::optional<long> ParseWholeNumber(const std::string& text, long min, long max) {
  if (text.empty() || text.size() > 9) return std::nullopt;
  long n = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  if (n < min || n > max) return std::nullopt;
  return n;
}

// A value for a short option: attached (-uVALUE) or the next argument. A next argument starting
// with '-' is another option, not a value. Returns the argv index holding the value and its offset.
struct ValueRef {
  int index = -1;
  size_t offset = 0;
};

}  // namespace

Result<GetTokenOptions> ParseGetTokenArgs(int argc, char** argv) {
  GetTokenOptions o;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];

    // Short options taking a value: -u, -m (value required), -p (value optional).
    if (arg.size() >= 2 && arg[0] == '-' && (arg[1] == 'u' || arg[1] == 'm' || arg[1] == 'p')) {
      const char flag = arg[1];
      ValueRef ref;
      if (arg.size() > 2) {
        ref = {i, 2};
      } else if (i + 1 < argc && argv[i + 1][0] != '-') {
        ref = {++i, 0};
      }
      if (flag == 'p') {
        o.sign_in.passcode_flow = true;
        if (ref.index >= 0) {
          o.sign_in.passcode = std::string(argv[ref.index] + ref.offset);
          WipeCString(argv[ref.index] + ref.offset);
        }
        continue;
      }
      if (ref.index < 0) {
        return Usage(flag == 'u' ? "-u needs a value: -u USER or -u USER:PASSWORD"
                                 : "-m needs a value: -m CODE (or -m '' for no MFA code)");
      }
      char* value = argv[ref.index] + ref.offset;
      if (flag == 'm') {
        o.sign_in.mfa_code = std::string(value);
        WipeCString(value);
      } else {
        std::string_view v = value;
        size_t colon = v.find(':');
        o.sign_in.user = std::string(v.substr(0, colon));
        if (colon != std::string_view::npos) {
          o.sign_in.password = std::string(v.substr(colon + 1));
          WipeCString(value + colon + 1);
        }
        if (o.sign_in.user->empty()) return Usage("-u needs a user name before the ':'");
      }
      continue;
    }

    // Long options, with "--name=value" or "--name value" for those taking a value.
    std::string_view name = arg;
    std::optional<std::string_view> inline_value;
    if (arg.rfind("--", 0) == 0) {
      if (size_t eq = arg.find('='); eq != std::string_view::npos) {
        name = arg.substr(0, eq);
        inline_value = arg.substr(eq + 1);
      }
    }
    auto flag_only = [&](bool& target) -> Status {
      if (inline_value) return Usage(std::string(name) + " takes no value");
      target = true;
      return Status::Ok();
    };
    Status st;
    if (name == "-h" || name == "--help") {
      o.help = true;
      return o;  // like the original: help wins over whatever follows
    } else if (name == "--version") {
      st = flag_only(o.version);
    } else if (name == "-v" || name == "--verbose") {
      st = flag_only(o.verbose);
    } else if (name == "--insecure" || name == "-k") {
      st = flag_only(o.insecure);
    } else if (name == "--force-basic-auth") {
      st = flag_only(o.sign_in.force_basic_auth);
    } else if (name == "--print-sso-cache") {
      st = flag_only(o.print_cache);
    } else if (name == "--clear-sso-cache") {
      st = flag_only(o.clear_cache);
    } else if (name == "--clear-all-sso-cache") {
      st = flag_only(o.clear_all_cache);
    } else if (name == "--json") {
      st = flag_only(o.json);
    } else if (name == "--non-interactive") {
      st = flag_only(o.sign_in.non_interactive);
    } else if (name == "--sso") {
      st = flag_only(o.sign_in.browser);
    } else if (name == "--no-browser") {
      st = flag_only(o.browser.no_browser);
    } else if (name == "--cacert" || name == "--browser" || name == "--idp-metadata" ||
               name == "--sp-entity-id" || name == "--saml-recipient") {
      std::optional<std::string> value;
      if (inline_value) {
        value = std::string(*inline_value);
      } else if (i + 1 < argc) {
        value = std::string(argv[++i]);
      }
      if (!value || value->empty()) return Usage(std::string(name) + " needs a value");
      if (name == "--cacert") o.cacert = value;
      if (name == "--browser") o.browser.browser = value;
      if (name == "--idp-metadata") o.browser.idp_metadata = value;
      if (name == "--sp-entity-id") o.browser.sp_entity_id = value;
      if (name == "--saml-recipient") o.browser.saml_recipient = value;
    } else if (name == "--port" || name == "--sso-timeout") {
      std::string value;
      if (inline_value) {
        value = std::string(*inline_value);
      } else if (i + 1 < argc) {
        value = argv[++i];
      }
      const bool port = name == "--port";
      auto n = ParseWholeNumber(value, port ? 0 : 1, port ? 65535 : 86400);
      if (!n) {
        return Usage(port ? "--port needs a port number from 0 (any free port) to 65535"
                          : "--sso-timeout needs a number of seconds from 1 to 86400");
      }
      (port ? o.browser.port : o.browser.timeout_seconds) = static_cast<int>(*n);
    } else if (arg.size() > 1 && arg[0] == '-') {
      return Usage("unknown option '" + std::string(name) + "'");
    } else {
      return Usage("unexpected argument '" + std::string(arg) + "'");
    }
    if (!st.ok()) return st;
  }
  return o;
}

const char* GetTokenHelp() {
  return R"(Usage: get_token [options]

Prints an OAuth2 access token for the login server named by SSO_LOGIN_URL, from the cache in
~/.sso-cli when it is still valid, else after a silent refresh, else after a new sign-in.

Sign-in options:
  -u USER[:PASSWORD]    user name (and password; prefer the prompt or stdin for the password)
  -m CODE               MFA code; -m '' means "no code" and skips the MFA prompt
  -p [PASSCODE]         sign in with a one-time passcode (get one at $SSO_LOGIN_URL/passcode);
                        a given PASSCODE always signs in anew, a bare -p reuses a valid token
  --force-basic-auth    use the password grant even when the zone signs users in through an IdP
  --non-interactive     never prompt; exit 12 when a credential or a new sign-in is needed

Browser sign-in (SAML-enabled zones; docs/sso.md):
  --sso                 sign in through the browser when a new sign-in is needed: a listener on
                        127.0.0.1 captures a SAML assertion (with --idp-metadata) or a passcode
  --no-browser          with --sso: do not launch a browser, print the URL to open
  --browser CMD         how to open the URL (also BROWSER); %s is replaced by the URL
  --idp-metadata FILE   the IdP's SAML metadata (also SSO_IDP_METADATA); without it --sso captures
                        a passcode from the zone's passcode page
  --sp-entity-id ID     the SP entity ID (also SSO_SP_ENTITY_ID); default <zone>.apigee-saml-login
  --saml-recipient URL  the expected Recipient (default the token alias URL
                        $SSO_LOGIN_URL/oauth/token/alias/<SP entity ID>)
  --port N              the listener's port (also SSO_LOOPBACK_PORT; default any free port)
  --sso-timeout SECONDS give up waiting for the browser (default 300; exit 23)

Output:
  --json                one JSON object: access_token, token_type, expires_at, expires_in,
                        user_name, scope (never the refresh token)
  -v                    debug lines on stderr (secrets redacted)

TLS:
  --cacert FILE         trust this CA bundle instead of the system one (also CURL_CA_BUNDLE,
                        SSL_CERT_FILE); proxies from https_proxy / no_proxy
  --insecure, -k        do not verify the login server's certificate (avoid)

Cache:
  --print-sso-cache     print the cache dir for SSO_LOGIN_URL (exit 3)
  --clear-sso-cache     remove the cached tokens for SSO_LOGIN_URL (exit 2)
  --clear-all-sso-cache remove every cached token of every login server (exit 2)

  -h, --help            this help (exit 1)
  --version             the version (exit 0)

Environment:
  SSO_LOGIN_URL         the zone's login server (default https://login.apigee.com)
  CLIENT_AUTH           base64 of client_id:client_secret (default edgecli:edgeclisecret)
  CLIENT_ID, CLIENT_SECRET   the client credentials, as an alternative to CLIENT_AUTH
  SSO_REFRESH_MARGIN    refresh when fewer seconds than this remain (default 60; at most a
                        tenth of the token's lifetime)

Exit codes: 0 token printed, 1 help, 2 cache cleared, 3 cache dir printed, 10 usage,
11 bad SSO_LOGIN_URL, 12 credential or sign-in needed but not given, 13 invalid characters in
MFA code or passcode, 14 token of another user, 21 no connection to the login server, 22 no token
issued, 23 browser sign-in timed out or port busy, 24 SAML response rejected, 31/32 cannot create
the cache dir / write the token, 33 unsafe cache or busy lock, 130 interrupted.
Details: docs/exit-codes.md.
)";
}

}  // namespace ssocli
