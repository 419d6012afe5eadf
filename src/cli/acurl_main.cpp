#include "cli/acurl_command.h"

int main(int argc, char** argv) { return ssocli::AcurlMain(argc, argv); }
