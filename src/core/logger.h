// Debug lines for -v. Callers pass text that is already free of secrets (see Redact* helpers in
// net/login_client.cpp); the logger itself only adds the program prefix.
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace ssocli {

class Logger {
 public:
  using Sink = std::function<void(std::string_view line)>;

  Logger() = default;
  // `program` prefixes every line ("get_token: ..."); `sink` receives whole lines without '\n'.
  Logger(std::string program, bool verbose, Sink sink)
      : program_(std::move(program)), verbose_(verbose), sink_(std::move(sink)) {}

  bool verbose() const { return verbose_; }
  void Debug(std::string_view text) const {
    if (verbose_ && sink_) sink_(program_ + ": " + std::string(text));
  }

 private:
  std::string program_;
  bool verbose_ = false;
  Sink sink_;
};

// A Logger writing to stderr.
Logger StderrLogger(std::string program, bool verbose);

}  // namespace ssocli
