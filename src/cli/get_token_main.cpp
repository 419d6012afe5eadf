#include "cli/get_token_command.h"

int main(int argc, char** argv) { return ssocli::GetTokenMain(argc, argv); }
