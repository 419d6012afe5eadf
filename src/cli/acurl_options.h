// acurl's command line: the original's left-to-right split between the token step and curl
// (compat.md), extended with the token step's new options (interface.md).
#pragma once

#include <string>
#include <vector>

namespace ssocli {

struct AcurlArgs {
  std::vector<std::string> token_args;  // for ParseGetTokenArgs, in order
  std::vector<std::string> curl_args;   // for curl, in order (Authorization headers dropped)
  bool help = false;
  bool redact_stderr = false;           // curl may print its request headers (-v, --verbose, -sv, ...)
  std::string missing_argument;         // "-u" etc. when its value is missing: "<opt> missing argument", exit 2
};

// Splits argv[1..argc). Values of -u, -m and -p are copied and overwritten with 'x' in argv.
AcurlArgs SplitAcurlArgs(int argc, char** argv);

const char* AcurlHelp();

}  // namespace ssocli
