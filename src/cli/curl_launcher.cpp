#include "cli/curl_launcher.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace ssocli {
namespace {

bool IsExecutable(const std::string& path) { return ::access(path.c_str(), X_OK) == 0; }

void WriteAllTo(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
}

// An anonymous file holding the header line. It has no name in any filesystem: only processes
// holding the descriptor (this one and curl) can open it, through /dev/fd/N.
int HeaderFile(const std::string& token) {
  int fd = ::memfd_create("acurl-authorization", 0);  // inherited by curl on purpose
  if (fd < 0) return -1;
  std::string line = "Authorization: Bearer " + token + "\n";
  WriteAllTo(fd, line);
  ::explicit_bzero(line.data(), line.size());
  ::lseek(fd, 0, SEEK_SET);
  return fd;
}

// Copies `data` to stderr with every occurrence of `token` replaced.
void WriteRedacted(std::string& data, const std::string& token) {
  if (!token.empty()) {
    for (size_t pos = data.find(token); pos != std::string::npos; pos = data.find(token, pos)) {
      data.replace(pos, token.size(), "<redacted>");
      pos += 10;
    }
  }
  WriteAllTo(STDERR_FILENO, data);
  data.clear();
}

// The caller's environment minus the client credentials acurl itself consumed: curl has no use for
// them, and a child's environment is readable through /proc while it runs.
std::vector<char*> CurlEnvironment() {
  std::vector<char*> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string_view entry(*e);
    if (entry.rfind("CLIENT_SECRET=", 0) == 0 || entry.rfind("CLIENT_AUTH=", 0) == 0) continue;
    env.push_back(*e);
  }
  env.push_back(nullptr);
  return env;
}

int ExecFailure(const std::string& curl_path, int err) {
  std::string msg = "acurl: cannot run " + curl_path + ": " + std::strerror(err) + "\n";
  WriteAllTo(STDERR_FILENO, msg);
  return err == ENOENT ? 127 : 126;
}

}  // namespace

Result<std::string> FindCurl() {
  const char* configured = std::getenv("ACURL_CURL");
  std::string name = (configured != nullptr && configured[0] != '\0') ? configured : "curl";
  if (name.find('/') != std::string::npos) {
    if (IsExecutable(name)) return name;
    return Status::Error(ErrorKind::kInternal, "curl not found: ACURL_CURL=" + name + " is not an executable file");
  }
  const char* path_env = std::getenv("PATH");
  std::string path = (path_env != nullptr && path_env[0] != '\0') ? path_env : "/usr/local/bin:/usr/bin:/bin";
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find(':', start);
    if (end == std::string::npos) end = path.size();
    std::string dir = path.substr(start, end - start);
    std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
    if (IsExecutable(candidate)) return candidate;
    start = end + 1;
  }
  return Status::Error(ErrorKind::kInternal, "curl not found in PATH",
                       "install curl (apt-get install curl), or set ACURL_CURL to its path");
}

int RunCurl(const std::string& curl_path, const std::vector<std::string>& args, const std::string& token,
            bool redact_stderr) {
  int header_fd = HeaderFile(token);
  if (header_fd < 0) return ExecFailure(curl_path, errno);
  const std::string header_arg = "@/dev/fd/" + std::to_string(header_fd);

  std::vector<std::string> full;
  full.push_back(curl_path);
  size_t i = 0;
  // -q/--disable only works as curl's first argument: keep it there.
  if (!args.empty() && (args[0] == "-q" || args[0] == "--disable")) full.push_back(args[i++]);
  full.push_back("-H");
  full.push_back(header_arg);
  for (; i < args.size(); ++i) {
    full.push_back(args[i]);
    // Each --next starts a new set of options: the header must be given again.
    if (args[i] == "--next" || args[i] == "-:") {
      full.push_back("-H");
      full.push_back(header_arg);
    }
  }
  std::vector<char*> argv;
  for (auto& s : full) argv.push_back(s.data());
  argv.push_back(nullptr);

  std::vector<char*> envp = CurlEnvironment();
  if (!redact_stderr) {
    ::execve(curl_path.c_str(), argv.data(), envp.data());
    return ExecFailure(curl_path, errno);
  }

  int err_pipe[2];
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) return ExecFailure(curl_path, errno);
  // Like system(): Ctrl-C is for curl; we report how it ended.
  struct sigaction ignore = {}, old_int, old_quit;
  ignore.sa_handler = SIG_IGN;
  ::sigaction(SIGINT, &ignore, &old_int);
  ::sigaction(SIGQUIT, &ignore, &old_quit);
  pid_t pid = ::fork();
  if (pid < 0) return ExecFailure(curl_path, errno);
  if (pid == 0) {
    ::signal(SIGINT, SIG_DFL);
    ::signal(SIGQUIT, SIG_DFL);
    ::dup2(err_pipe[1], STDERR_FILENO);
    ::execve(curl_path.c_str(), argv.data(), envp.data());
    int code = errno == ENOENT ? 127 : 126;
    std::string msg = "acurl: cannot run " + curl_path + ": " + std::strerror(errno) + "\n";
    WriteAllTo(STDERR_FILENO, msg);
    ::_exit(code);
  }
  ::close(err_pipe[1]);
  ::close(header_fd);
  std::string pending;
  char buf[16384];
  for (;;) {
    ssize_t n = ::read(err_pipe[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    pending.append(buf, static_cast<size_t>(n));
    // Forward complete lines (curl's trace and progress meter end them with \n or \r).
    size_t cut = pending.find_last_of("\r\n");
    if (cut != std::string::npos) {
      std::string ready = pending.substr(0, cut + 1);
      pending.erase(0, cut + 1);
      WriteRedacted(ready, token);
    }
  }
  WriteRedacted(pending, token);
  ::close(err_pipe[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  ::sigaction(SIGINT, &old_int, nullptr);
  ::sigaction(SIGQUIT, &old_quit, nullptr);
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 1;
}

}  // namespace ssocli
