#include "cli/acurl_options.h"

#include <cctype>
#include <cstring>
#include <string_view>

#include "core/secret.h"

namespace ssocli {
namespace {

// Token-step options without a value, and with one.
bool IsTokenFlag(std::string_view a) {
  return a == "--force-basic-auth" || a == "--sso" || a == "--no-browser" || a == "--non-interactive";
}
bool IsTokenOptionWithValue(std::string_view a) {
  return a == "--browser" || a == "--idp-metadata" || a == "--sp-entity-id" || a == "--saml-recipient" ||
         a == "--port" || a == "--sso-timeout";
}

bool IsAuthorizationHeader(std::string_view value) {
  constexpr std::string_view kName = "authorization:";
  size_t i = value.find_first_not_of(" \t");
  if (i == std::string_view::npos || value.size() - i < kName.size()) return false;
  for (size_t k = 0; k < kName.size(); ++k) {
    if (std::tolower(static_cast<unsigned char>(value[i + k])) != kName[k]) return false;
  }
  return true;
}

// curl options after which curl prints request headers on stderr.
bool MakesCurlVerbose(std::string_view a) {
  if (a == "--verbose") return true;
  // A cluster of short flags such as -sv or -vk.
  if (a.size() > 2 && a[0] == '-' && a[1] != '-') {
    for (char c : a.substr(1)) {
      if (!std::isalpha(static_cast<unsigned char>(c))) return false;
    }
    return a.find('v') != std::string_view::npos;
  }
  return false;
}

}  // namespace

AcurlArgs SplitAcurlArgs(int argc, char** argv) {
  AcurlArgs out;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "-u" || a == "-m" || a == "-p") {
      if (i + 1 >= argc || argv[i + 1][0] == '-') {
        out.missing_argument = std::string(a);
        return out;
      }
      out.token_args.emplace_back(a);
      out.token_args.emplace_back(argv[i + 1]);
      if (a == "-u") {
        // Keep the user visible in ps, hide the password.
        if (char* colon = std::strchr(argv[i + 1], ':')) WipeCString(colon + 1);
      } else {
        WipeCString(argv[i + 1]);
      }
      ++i;
    } else if (IsTokenFlag(a)) {
      out.token_args.emplace_back(a);
    } else if (IsTokenOptionWithValue(a)) {
      out.token_args.emplace_back(a);
      if (i + 1 < argc) out.token_args.emplace_back(argv[++i]);
    } else if (a == "-v") {
      out.token_args.emplace_back(a);
      out.curl_args.emplace_back(a);
      out.redact_stderr = true;
    } else if (a == "-k" || a == "--insecure") {
      out.token_args.emplace_back(a);
      out.curl_args.emplace_back(a);
    } else if (a == "--cacert") {
      out.token_args.emplace_back(a);
      out.curl_args.emplace_back(a);
      if (i + 1 < argc) {
        out.token_args.emplace_back(argv[i + 1]);
        out.curl_args.emplace_back(argv[++i]);
      }
    } else if (a == "-h" || a == "--help") {
      out.help = true;
      return out;
    } else if (a == "-H" || a == "--header") {
      if (i + 1 >= argc) {
        out.curl_args.emplace_back(a);  // curl reports the missing value itself
        continue;
      }
      std::string_view value = argv[++i];
      if (!IsAuthorizationHeader(value)) {
        out.curl_args.emplace_back(a);
        out.curl_args.emplace_back(value);
      }
    } else if (a.size() > 2 && a.substr(0, 2) == "-H") {
      if (!IsAuthorizationHeader(a.substr(2))) out.curl_args.emplace_back(a);
    } else {
      if (MakesCurlVerbose(a)) out.redact_stderr = true;
      out.curl_args.emplace_back(a);
    }
  }
  return out;
}

const char* AcurlHelp() {
  return R"(Usage: acurl [token options] [curl options] URL...

Runs curl with "Authorization: Bearer <token>", the token from get_token's logic (the cache, a
silent refresh, or a sign-in). The token never appears in a process list or environment: curl reads
the header from a private file descriptor.

Token options (not passed to curl):
  -u USER[:PASSWORD]   user name (and password); curl's own -u is --user
  -m CODE              MFA code; curl's own -m is --max-time
  -p PASSCODE          sign in with a one-time passcode; curl's own -p is --proxytunnel
  --force-basic-auth   password grant even in a SAML zone
  --non-interactive    never prompt: exit 12 when a sign-in is needed
Passed to both: -v (curl's trace shows the header as "Authorization: Bearer <redacted>"),
  -k/--insecure, --cacert FILE.
Dropped: -H/--header with an Authorization: value (acurl sets it).
  -h, --help           this help (exit 1)
Everything else goes to curl, in order.

Environment: SSO_LOGIN_URL, CLIENT_AUTH, CLIENT_ID/CLIENT_SECRET, SSO_REFRESH_MARGIN as for get_token;
ACURL_CURL the curl program to run (default: curl from PATH).
Exit status: curl's; when no token could be had, get_token's code (see get_token -h); 2 for a
missing value of -u/-m/-p; 127 when curl is not found.
)";
}

}  // namespace ssocli
