#include "support/process.h"

#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace ssocli::testing {
namespace {

int64_t NowMs() {
  struct timespec ts;
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

void ReadAvailable(int& fd, std::string& buf) {
  if (fd < 0) return;
  char tmp[65536];
  for (;;) {
    ssize_t n = ::read(fd, tmp, sizeof tmp);
    if (n > 0) {
      buf.append(tmp, static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) return;
    ::close(fd);  // EOF or error
    fd = -1;
    return;
  }
}

int DecodeStatus(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace

std::map<std::string, std::string> BaseEnv(const std::map<std::string, std::string>& extra) {
  std::map<std::string, std::string> env = {
      {"PATH", "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin"},
      {"LANG", "C.UTF-8"},
  };
  for (const auto& [k, v] : extra) env[k] = v;
  return env;
}

std::string StagedBin(const std::string& name) { return std::string(SSOCLI_TEST_STAGE) + "/bin/" + name; }

uid_t NobodyUid() {
  const struct passwd* pw = ::getpwnam("nobody");
  return pw ? pw->pw_uid : 65534;
}

Background::Background(const ProcessSpec& spec) {
  int out[2], err[2], in[2] = {-1, -1};
  if (::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0) throw std::runtime_error("pipe");
  bool piped_stdin = spec.stdin_data.has_value() || spec.keep_stdin_open;
  if (piped_stdin && ::pipe2(in, O_CLOEXEC) != 0) throw std::runtime_error("pipe");

  std::vector<std::string> env_strings;
  for (const auto& [k, v] : spec.env) env_strings.push_back(k + "=" + v);
  std::vector<char*> envp;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<std::string> args = spec.argv;
  std::vector<char*> argvp;
  for (auto& s : args) argvp.push_back(s.data());
  argvp.push_back(nullptr);

  gid_t gid = 65534;
  if (spec.uid) {
    if (const struct passwd* pw = ::getpwuid(*spec.uid)) gid = pw->pw_gid;
  }

  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork");
  if (pid_ == 0) {
    ::setpgid(0, 0);
    if (piped_stdin) {
      ::dup2(in[0], 0);
    } else {
      int devnull = ::open("/dev/null", O_RDONLY);
      ::dup2(devnull, 0);
    }
    ::dup2(out[1], 1);
    ::dup2(err[1], 2);
    if (!spec.cwd.empty() && ::chdir(spec.cwd.c_str()) != 0) ::_exit(126);
    if (spec.uid) {
      if (::setgroups(0, nullptr) != 0 || ::setgid(gid) != 0 || ::setuid(*spec.uid) != 0) ::_exit(126);
    }
    signal(SIGPIPE, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    if (args[0].find('/') != std::string::npos) {
      ::execve(args[0].c_str(), argvp.data(), envp.data());
    } else {
      // Look up in the child's PATH.
      std::string path = spec.env.count("PATH") ? spec.env.at("PATH") : "/usr/bin:/bin";
      size_t start = 0;
      while (start <= path.size()) {
        size_t end = path.find(':', start);
        if (end == std::string::npos) end = path.size();
        std::string candidate = path.substr(start, end - start) + "/" + args[0];
        ::execve(candidate.c_str(), argvp.data(), envp.data());
        start = end + 1;
      }
    }
    ::_exit(127);
  }
  ::close(out[1]);
  ::close(err[1]);
  out_fd_ = out[0];
  err_fd_ = err[0];
  ::fcntl(out_fd_, F_SETFL, O_NONBLOCK);
  ::fcntl(err_fd_, F_SETFL, O_NONBLOCK);
  if (piped_stdin) {
    ::close(in[0]);
    in_fd_ = in[1];
    if (spec.stdin_data) {
      WriteStdin(*spec.stdin_data);
      if (!spec.keep_stdin_open) CloseStdin();
    }
  }
}

Background::~Background() {
  if (!reaped_ && pid_ > 0) {
    ::kill(-pid_, SIGKILL);
    ::kill(pid_, SIGKILL);
    int status;
    ::waitpid(pid_, &status, 0);
  }
  for (int fd : {out_fd_, err_fd_, in_fd_})
    if (fd >= 0) ::close(fd);
}

void Background::WriteStdin(const std::string& data) {
  if (in_fd_ < 0) return;
  signal(SIGPIPE, SIG_IGN);
  size_t off = 0;
  while (off < data.size()) {
    ssize_t n = ::write(in_fd_, data.data() + off, data.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    off += static_cast<size_t>(n);
  }
}

void Background::CloseStdin() {
  if (in_fd_ >= 0) ::close(in_fd_);
  in_fd_ = -1;
}

std::optional<std::string> Background::ReadLine(int timeout_ms) {
  int64_t deadline = NowMs() + timeout_ms;
  for (;;) {
    size_t nl = out_buf_.find('\n');
    if (nl != std::string::npos) {
      std::string line = out_buf_.substr(0, nl);
      out_buf_.erase(0, nl + 1);
      return line;
    }
    if (out_fd_ < 0) return std::nullopt;
    int64_t left = deadline - NowMs();
    if (left <= 0) return std::nullopt;
    struct pollfd p[2] = {{out_fd_, POLLIN, 0}, {err_fd_, POLLIN, 0}};
    ::poll(p, err_fd_ >= 0 ? 2 : 1, static_cast<int>(std::min<int64_t>(left, 100)));
    ReadAvailable(out_fd_, out_buf_);
    ReadAvailable(err_fd_, err_buf_);
  }
}

std::string Background::DrainStderr() {
  ReadAvailable(err_fd_, err_buf_);
  return err_buf_;
}

bool Background::HasExited() {
  if (reaped_ || exit_status_) return true;
  int status = 0;
  if (::waitpid(pid_, &status, WNOHANG) == pid_) exit_status_ = status;
  ReadAvailable(out_fd_, out_buf_);
  ReadAvailable(err_fd_, err_buf_);
  return exit_status_.has_value();
}

ProcessResult Background::Finish(int timeout_ms) {
  if (reaped_) return result_;
  int64_t deadline = NowMs() + timeout_ms;
  int status = exit_status_.value_or(0);
  bool exited = exit_status_.has_value();
  while (!exited) {
    pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      exited = true;
      break;
    }
    if (NowMs() >= deadline) {
      result_.timed_out = true;
      ::kill(-pid_, SIGKILL);
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
      exited = true;
      break;
    }
    struct pollfd p[2] = {{out_fd_, POLLIN, 0}, {err_fd_, POLLIN, 0}};
    ::poll(p, 2, 20);
    ReadAvailable(out_fd_, out_buf_);
    ReadAvailable(err_fd_, err_buf_);
  }
  // Collect what is left; grandchildren holding the pipes are not waited for long.
  int64_t drain_deadline = NowMs() + 2000;
  while ((out_fd_ >= 0 || err_fd_ >= 0) && NowMs() < drain_deadline) {
    struct pollfd p[2] = {{out_fd_, POLLIN, 0}, {err_fd_, POLLIN, 0}};
    ::poll(p, 2, 20);
    ReadAvailable(out_fd_, out_buf_);
    ReadAvailable(err_fd_, err_buf_);
  }
  reaped_ = true;
  result_.exit_code = DecodeStatus(status);
  result_.out = out_buf_;
  result_.err = err_buf_;
  CloseStdin();
  return result_;
}

ProcessResult Background::Stop(int sig, int timeout_ms) {
  if (!reaped_) ::kill(pid_, sig);
  return Finish(timeout_ms);
}

ProcessResult Background::Wait(int timeout_ms) { return Finish(timeout_ms); }

ProcessResult RunProcess(const ProcessSpec& spec) {
  Background child(spec);
  return child.Wait(spec.timeout_ms);
}

}  // namespace ssocli::testing
