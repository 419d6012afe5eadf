// Running the real programs from tests: exec with a controlled environment, stdin, cwd and user,
// capture stdout/stderr, enforce a timeout.
#pragma once

#include <sys/types.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ssocli::testing {

struct ProcessSpec {
  std::vector<std::string> argv;           // argv[0] is the program path (or a name looked up in PATH)
  std::map<std::string, std::string> env;  // the child's whole environment
  std::optional<std::string> stdin_data;   // written then closed; nullopt: stdin is /dev/null
  bool keep_stdin_open = false;            // stdin is a pipe that stays open with no data
  std::string cwd;                         // empty: the test's cwd
  std::optional<uid_t> uid;                // run as this user (and its primary group); needs root
  int timeout_ms = 60000;
};

struct ProcessResult {
  int exit_code = -1;  // 128 + signal when killed by a signal
  bool timed_out = false;
  std::string out;
  std::string err;
};

ProcessResult RunProcess(const ProcessSpec& spec);

// A child running in the background (e.g. the zone server, or a get_token waiting at a prompt).
class Background {
 public:
  explicit Background(const ProcessSpec& spec);
  ~Background();
  Background(const Background&) = delete;
  Background& operator=(const Background&) = delete;

  pid_t pid() const { return pid_; }
  // Reads stdout up to and including the next '\n' (returned without it), or nullopt on timeout/EOF.
  std::optional<std::string> ReadLine(int timeout_ms);
  // Writes to the child's stdin (only when keep_stdin_open was set).
  void WriteStdin(const std::string& data);
  void CloseStdin();
  // Sends `sig` and waits (up to timeout) for the child. Returns the result with the rest of output.
  ProcessResult Stop(int sig, int timeout_ms = 10000);
  // Waits for the child to exit on its own; kills it after `timeout_ms`.
  ProcessResult Wait(int timeout_ms);
  // True once the child has exited (without waiting; collect the result with Wait).
  bool HasExited();
  // Everything read from stderr so far (non-blocking drain).
  std::string DrainStderr();

 private:
  ProcessResult Finish(int timeout_ms);
  pid_t pid_ = -1;
  int out_fd_ = -1;
  int err_fd_ = -1;
  int in_fd_ = -1;
  std::string out_buf_;
  std::string err_buf_;
  bool reaped_ = false;
  std::optional<int> exit_status_;  // set by HasExited()
  ProcessResult result_;
};

// The environment a test gives a program: PATH, LANG, plus `extra`.
std::map<std::string, std::string> BaseEnv(const std::map<std::string, std::string>& extra = {});

// Path of an installed program of the staged install.
std::string StagedBin(const std::string& name);

// uid of the unprivileged user the permission tests run as ("nobody").
uid_t NobodyUid();

}  // namespace ssocli::testing
