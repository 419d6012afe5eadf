// Getting an access token the way get_token does: the cache first, then a refresh under the user's
// lock, then a new sign-in (password + MFA code, or passcode). Shared by get_token and acurl.
// Where "the refresh is decided": NeedsRefresh() in refresh_policy.h, called from here.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/logger.h"
#include "core/status.h"
#include "net/login_client.h"
#include "token/refresh_policy.h"
#include "token/token_cache.h"

namespace ssocli {

// What the user asked for, however it was given (argv, env).
struct SignInRequest {
  std::optional<std::string> user;      // -u USER (as typed)
  std::optional<std::string> password;  // -u USER:PASS
  std::optional<std::string> mfa_code;  // -m CODE; present (even empty) means "do not ask"
  bool passcode_flow = false;           // -p
  std::optional<std::string> passcode;  // -p CODE: always a new sign-in
  bool force_basic_auth = false;        // password grant even in a SAML zone
  bool non_interactive = false;         // never ask; a needed answer is missing input
  bool browser = false;                 // --sso: a new sign-in goes through the browser
  std::string sp_entity_id;             // --sso with SAML: whose token alias URL takes the assertion
};

// A sign-in through the user's browser (get_token --sso): captures a SAML assertion or a passcode and
// hands it to `exchange`, which gets and caches the token while the browser waits for its page.
class BrowserSignIn {
 public:
  enum class Credential { kSamlAssertion, kPasscode };
  using Exchange = std::function<Status(Credential kind, const std::string& credential)>;
  virtual ~BrowserSignIn() = default;
  // Returns OK when `exchange` succeeded; otherwise the flow's error (kSsoTimeout, kSamlRejected,
  // kInvalidChars, ...) or the exchange's own.
  virtual Status Run(const Exchange& exchange) = 0;
};

// Where answers come from when they were not given up front: the terminal, in the CLI.
// Every method returns the answer, or an empty string for "no answer" (empty line, timeout, EOF).
class CredentialSource {
 public:
  virtual ~CredentialSource() = default;
  virtual std::string AskUsername() = 0;
  virtual std::string AskPassword(std::string_view user) = 0;
  virtual std::string AskMfaCode(std::string_view user) = 0;
  virtual std::string AskPasscode(std::string_view passcode_url) = 0;
  virtual std::string AskWhichUser(const std::vector<std::string>& users) = 0;
};

struct TokenOutcome {
  enum class Source { kCache, kRefreshed, kSignedIn };
  Source source = Source::kCache;
  std::string user;  // the cache's user (the token's user_name claim)
  CachedToken token;
  JwtClaims claims;
  TokenTimes times;
};

struct TokenProviderConfig {
  int64_t refresh_margin_cap = 60;  // SSO_REFRESH_MARGIN
  int lock_timeout_ms = 30000;
  int64_t zone_info_ttl = 24 * 3600;  // how long a successful /login answer is reused
};

class TokenProvider {
 public:
  // `browser` may be null when no --sso sign-in can happen.
  TokenProvider(const TokenCache& cache, LoginClient& login, CredentialSource& credentials,
                const Clock& clock, const Logger& log, TokenProviderConfig config,
                BrowserSignIn* browser = nullptr)
      : cache_(cache), login_(login), credentials_(credentials), clock_(clock), log_(log),
        config_(config), browser_(browser) {}

  // Returns a token valid for at least the refresh margin, from the cache when possible.
  // The cache is only ever replaced by a complete new token; on any error it is left as it was.
  Result<TokenOutcome> GetToken(const SignInRequest& request);

  // Validity of a cached token at `now` (for token show and --json).
  TokenTimes TimesOf(const CachedToken& token, const JwtClaims& claims, int64_t file_mtime) const;

 private:
  // The cached token of `user` when it is usable as is or after a refresh; nullopt when a new
  // sign-in is needed (no token, no refresh token, or the server refused the refresh).
  Result<std::optional<TokenOutcome>> FromCache(const std::string& user);
  Result<std::optional<TokenOutcome>> RefreshLocked(const std::string& user, const LoadedToken& stale);
  Result<TokenOutcome> SignIn(const SignInRequest& request, const std::optional<std::string>& user,
                              const std::optional<std::string>& asked_user);
  Result<TokenOutcome> BrowserSignInFlow(const SignInRequest& request,
                                         const std::optional<std::string>& asked_user);
  // The common end of every sign-in: whose token is it, is it the one asked for, cache it.
  Result<TokenOutcome> AcceptNewToken(const TokenGrant& grant, const std::optional<std::string>& expected_user);
  Result<bool> IsPasscodeZone();
  // Writes a new token as `user`'s file. REQUIRES: `held` is that user's lock.
  Result<TokenOutcome> StoreGrant(const TokenGrant& grant, TokenOutcome::Source source,
                                  const std::string& user, const std::string& old_refresh_token,
                                  const CacheLock& held);

  const TokenCache& cache_;
  LoginClient& login_;
  CredentialSource& credentials_;
  const Clock& clock_;
  const Logger& log_;
  TokenProviderConfig config_;
  BrowserSignIn* browser_;
};

// Checks a one-time code typed or given by the user.
// MFA codes: digits only. Passcodes: [0-9A-Za-z_-] (UAA codes may contain '-' and '_').
bool IsValidMfaCode(std::string_view code);
bool IsValidPasscode(std::string_view code);

}  // namespace ssocli
