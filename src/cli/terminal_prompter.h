// The original get_token's prompts, word for word, on stderr; answers read raw from stdin (a
// terminal or a pipe), one line each, with the original's timeouts.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "token/token_provider.h"

namespace ssocli {

struct PromptTimeouts {
  int credential_seconds = 30;  // username, password, MFA code, which user
  int passcode_seconds = 90;
};

class TerminalPrompter final : public CredentialSource {
 public:
  TerminalPrompter(int in_fd, int out_fd, PromptTimeouts timeouts)
      : in_fd_(in_fd), out_fd_(out_fd), timeouts_(timeouts) {}

  std::string AskUsername() override;
  std::string AskPassword(std::string_view user) override;
  std::string AskMfaCode(std::string_view user) override;
  std::string AskPasscode(std::string_view passcode_url) override;
  std::string AskWhichUser(const std::vector<std::string>& users) override;

  // Reads one line (without its '\n' or "\r\n") within `timeout_seconds`. With `echo` false and a
  // terminal on input, typing is not echoed. Returns what was read; empty on timeout or end of input
  // before any character.
  std::string ReadLine(int timeout_seconds, bool echo);

 private:
  void Say(std::string_view text);

  int in_fd_;
  int out_fd_;
  PromptTimeouts timeouts_;
};

}  // namespace ssocli
