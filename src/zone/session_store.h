// Browser sessions of the zone's pages (/login, /passcode) and the sign-ins the zone started at its
// IdP, kept server-side behind random cookie values. Thread-safe: the HTTP server calls it from its
// worker threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "zone/user_directory.h"

namespace ssocli {

// The session cookie (UAA's name) and the cookie binding a browser to the AuthnRequest the zone sent.
inline constexpr char kSessionCookie[] = "JSESSIONID";
inline constexpr char kSignInCookie[] = "ssocli_zone_signin";

class SessionStore {
 public:
  // Sessions end after `idle_seconds` without a request; a pending sign-in after `sign_in_seconds`.
  // Beyond `max_entries` of either kind the oldest is dropped (a demo server runs for days).
  explicit SessionStore(int64_t idle_seconds = 1800, int64_t sign_in_seconds = 600,
                        size_t max_entries = 10000);

  // A new session for `user`: its cookie value (43 characters of [0-9A-Za-z], about 256 bits).
  std::string Create(UserIdentity user, int64_t now);
  // The session's user, and its idle expiry pushed back; nullopt when unknown or expired.
  std::optional<UserIdentity> Find(const std::string& id, int64_t now);
  void Remove(const std::string& id);

  // Remembers that this browser was sent to the IdP with AuthnRequest `request_id` and will come back to
  // `return_path`. Returns the cookie value that names it.
  std::string BeginSignIn(std::string request_id, std::string return_path, int64_t now);
  struct SignIn {
    std::string request_id;
    std::string return_path;
  };
  // Spends the pending sign-in (one request, one response); nullopt when unknown, used or expired.
  std::optional<SignIn> TakeSignIn(const std::string& id, int64_t now);

 private:
  struct Session {
    UserIdentity user;
    int64_t expires_at;
  };
  struct Pending {
    SignIn sign_in;
    int64_t expires_at;
  };
  void PurgeLocked(int64_t now);

  const int64_t idle_seconds_;
  const int64_t sign_in_seconds_;
  const size_t max_entries_;
  std::mutex mu_;
  std::map<std::string, Session> sessions_;  // guarded by mu_
  std::map<std::string, Pending> pending_;   // guarded by mu_
};

// The value of cookie `name` in a Cookie request header ("a=1; b=2"); nullopt when absent.
std::optional<std::string> CookieValue(std::string_view cookie_header, std::string_view name);

// A Set-Cookie value: HttpOnly, SameSite=Lax, Secure when `secure`; `max_age` < 0: a session cookie,
// 0: delete it.
std::string SetCookieValue(std::string_view name, std::string_view value, std::string_view path, bool secure,
                           int64_t max_age = -1);

// True when `path` is a path on this server ("/passcode?x=1"), not a URL elsewhere ("//evil.test",
// "/\\evil.test", "https://...") and without control characters: where a sign-in may send the browser back.
bool IsLocalPath(std::string_view path);

}  // namespace ssocli
