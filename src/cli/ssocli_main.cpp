// ssocli: the toolbox. `ssocli zone serve`, `ssocli token show`, ...
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "cli/saml_verify_command.h"
#include "cli/token_show_command.h"
#include "cli/zone_serve_command.h"

#ifndef SSOCLI_VERSION
#define SSOCLI_VERSION "0.0.0"
#endif

namespace {

const char* kHelp = R"(Usage: ssocli COMMAND [options]

Commands:
  zone serve [options]   run a local login server (UAA protocol, test IdP, sample management API)
                         for demos, tests and offline script testing; see `ssocli zone serve --help`
  token show [--json]    decode the cached tokens for SSO_LOGIN_URL
  saml verify [options] FILE|-
                         validate a SAML Response as get_token --sso does; see
                         `ssocli saml verify --help`
  version                print the version

The sign-in tools themselves are get_token and acurl.
)";

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  auto rest = [&](size_t n) { return std::vector<std::string>(args.begin() + static_cast<long>(n), args.end()); };
  if (args.empty() || args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
    std::fputs(kHelp, stdout);
    return args.empty() ? 10 : 0;
  }
  if (args[0] == "--version" || args[0] == "version") {
    std::printf("ssocli %s\n", SSOCLI_VERSION);
    return 0;
  }
  if (args.size() >= 2 && args[0] == "zone" && args[1] == "serve") return ssocli::ZoneServeCommand(rest(2));
  if (args.size() >= 2 && args[0] == "token" && args[1] == "show") return ssocli::TokenShowCommand(rest(2));
  if (args.size() >= 2 && args[0] == "saml" && args[1] == "verify") return ssocli::SamlVerifyCommand(rest(2));
  std::fprintf(stderr, "ssocli: unknown command '%s'\n  see ssocli --help\n", args[0].c_str());
  return 10;
}
