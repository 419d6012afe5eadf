// Errors as values: every library call that can fail returns a Status (or a Result<T>), carrying a kind
// the CLI maps to an exit code in one place (src/cli/exit_codes.cpp) and a message a user can act on.
#pragma once

#include <optional>
#include <string>
#include <utility>

namespace ssocli {

enum class ErrorKind {
  kOk,
  kUsage,            // bad flags or option values
  kLoginUrl,         // SSO_LOGIN_URL set but unusable
  kMissingInput,     // a credential or a new sign-in is needed and none was given
  kInvalidChars,     // bad characters in an MFA code or passcode
  kWrongUser,        // the new token names another user than asked for
  kConnection,       // no usable connection to the login server
  kNoToken,          // the login server answered, but not with a token
  kSsoTimeout,       // browser sign-in timed out or its port is busy
  kSamlRejected,     // a SAML response failed local validation
  kCacheDir,         // cannot create the cache dir
  kCacheWrite,       // cannot write the token file
  kCacheUnsafe,      // cache is a symlink / owned by another user / group- or world-writable / lock busy
  kInterrupted,      // Ctrl-C
  kInternal,         // a bug or an environment problem with no better category
};

class Status {
 public:
  Status() = default;
  static Status Ok() { return Status(); }
  // `message` says what happened; `hint`, when not empty, what to try. Neither may contain a secret.
  static Status Error(ErrorKind kind, std::string message, std::string hint = {}) {
    Status s;
    s.kind_ = kind;
    s.message_ = std::move(message);
    s.hint_ = std::move(hint);
    return s;
  }

  bool ok() const { return kind_ == ErrorKind::kOk; }
  ErrorKind kind() const { return kind_; }
  const std::string& message() const { return message_; }
  const std::string& hint() const { return hint_; }

  // Extra facts some callers branch on (e.g. whether a refresh was refused by the server).
  int http_status() const { return http_status_; }
  const std::string& oauth_error() const { return oauth_error_; }
  Status& WithHttp(int http_status, std::string oauth_error = {}) {
    http_status_ = http_status;
    oauth_error_ = std::move(oauth_error);
    return *this;
  }

 private:
  ErrorKind kind_ = ErrorKind::kOk;
  std::string message_;
  std::string hint_;
  int http_status_ = 0;
  std::string oauth_error_;
};

// A value or the Status saying why there is none.
template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Status status) : status_(std::move(status)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() { return *value_; }
  const T& operator*() const { return *value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace ssocli
