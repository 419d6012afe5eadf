#include "cli/acurl_command.h"

#include <unistd.h>

#include <string>
#include <vector>

#include "cli/acurl_options.h"
#include "cli/curl_launcher.h"
#include "cli/exit_codes.h"
#include "cli/get_token_command.h"
#include "cli/interrupts.h"

namespace ssocli {
namespace {

constexpr char kProgram[] = "acurl";

void Say(const std::string& text) {
  ssize_t ignored = ::write(STDERR_FILENO, text.data(), text.size());
  (void)ignored;
}

}  // namespace

int AcurlMain(int argc, char** argv) {
  InstallInterruptHandlers();
  AcurlArgs args = SplitAcurlArgs(argc, argv);
  if (!args.missing_argument.empty()) {
    Say(args.missing_argument + " missing argument\n");
    return 2;
  }
  if (args.help) {
    std::string help = AcurlHelp();
    ssize_t ignored = ::write(STDOUT_FILENO, help.data(), help.size());
    (void)ignored;
    return kExitHelp;
  }

  // The token step's options, parsed exactly as get_token parses them.
  std::vector<std::string> token_storage = {"acurl"};
  token_storage.insert(token_storage.end(), args.token_args.begin(), args.token_args.end());
  std::vector<char*> token_argv;
  for (auto& s : token_storage) token_argv.push_back(s.data());
  token_argv.push_back(nullptr);
  auto options = ParseGetTokenArgs(static_cast<int>(token_storage.size()), token_argv.data());
  if (!options.ok()) {
    PrintError(kProgram, options.status());
    return ExitCodeFor(options.status().kind());
  }

  // Find curl before anything may prompt: no point signing in to then fail.
  auto curl = FindCurl();
  if (!curl.ok()) {
    PrintError(kProgram, curl.status());
    return 127;
  }
  auto env = ReadTokenEnvironment(options->insecure, options->cacert);
  if (!env.ok()) {
    PrintError(kProgram, env.status());
    return ExitCodeFor(env.status().kind());
  }
  auto token = RunTokenStep(kProgram, *options, *env);
  if (!token.ok()) {
    PrintError(kProgram, token.status());
    return ExitCodeFor(token.status().kind());
  }
  return RunCurl(*curl, args.curl_args, token->token.access_token, args.redact_stderr);
}

}  // namespace ssocli
