// Ctrl-C handling for the interactive programs: restore the terminal (echo may be off while a
// password is typed) and exit 130. The cache needs no cleanup: it is only ever replaced by rename.
//
// Signal handlers are process-global by nature; this file is the only place holding such state.
#pragma once

#include <termios.h>

namespace ssocli {

// Installs handlers for SIGINT (exit 130), SIGTERM and SIGHUP (exit 128 + signal).
void InstallInterruptHandlers();

// While set, the handlers restore `state` on `fd` before exiting. Pass nullptr to clear.
void SetTerminalToRestore(int fd, const struct termios* state);

}  // namespace ssocli
