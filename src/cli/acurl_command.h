// The acurl program: get_token's token step, then the real curl with the bearer header.
#pragma once

namespace ssocli {

// Returns acurl's exit status when curl was not exec'd (see RunCurl).
int AcurlMain(int argc, char** argv);

}  // namespace ssocli
