#include "cli/interrupts.h"

#include <signal.h>
#include <unistd.h>

#include <initializer_list>

namespace ssocli {
namespace {

// Written only outside signal context with the signals blocked; read by the handler.
volatile sig_atomic_t g_restore_fd = -1;
struct termios g_restore_state;

void OnSignal(int sig) {
  if (g_restore_fd >= 0) ::tcsetattr(g_restore_fd, TCSANOW, &g_restore_state);
  const char nl = '\n';
  ssize_t ignored = ::write(STDERR_FILENO, &nl, 1);
  (void)ignored;
  ::_exit(sig == SIGINT ? 130 : 128 + sig);
}

}  // namespace

void InstallInterruptHandlers() {
  struct sigaction sa = {};
  sa.sa_handler = &OnSignal;
  sigemptyset(&sa.sa_mask);
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) ::sigaction(sig, &sa, nullptr);
}

void SetTerminalToRestore(int fd, const struct termios* state) {
  sigset_t block, old;
  sigemptyset(&block);
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&block, sig);
  ::sigprocmask(SIG_BLOCK, &block, &old);
  if (state != nullptr) {
    g_restore_state = *state;
    g_restore_fd = fd;
  } else {
    g_restore_fd = -1;
  }
  ::sigprocmask(SIG_SETMASK, &old, nullptr);
}

}  // namespace ssocli
