#include "token/token_provider.h"

#include <nlohmann/json.hpp>

#include "core/secret.h"

namespace ssocli {
namespace {

constexpr char kZoneInfoMeta[] = "zone-info.json";

std::string JoinUsers(const std::vector<std::string>& users) {
  std::string out;
  for (const auto& u : users) out += (out.empty() ? "" : ", ") + u;
  return out;
}

std::string Seconds(int64_t s) { return std::to_string(s) + " s"; }

}  // namespace

bool IsValidMfaCode(std::string_view code) {
  for (char c : code) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool IsValidPasscode(std::string_view code) {
  for (char c : code) {
    bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' ||
              c == '_';
    if (!ok) return false;
  }
  return true;
}

TokenTimes TokenProvider::TimesOf(const CachedToken& token, const JwtClaims& claims,
                                  int64_t file_mtime) const {
  return ComputeTokenTimes(claims, token.expires_in, file_mtime, config_.refresh_margin_cap);
}

Result<TokenOutcome> TokenProvider::GetToken(const SignInRequest& request) {
  std::optional<std::string> user;
  std::optional<std::string> asked_user;  // a user the new token must belong to
  if (request.user) {
    user = AsciiLower(*request.user);
    asked_user = user;
  }
  // -p CODE is a single-use code the user just fetched: always sign in with it.
  if (!request.passcode) {
    if (!user) {
      auto users = cache_.Users();
      if (!users.ok()) return users.status();
      if (users->size() == 1) {
        user = users->front();
      } else if (users->size() > 1) {
        if (request.non_interactive) {
          return Status::Error(ErrorKind::kMissingInput,
                               "tokens of several users are cached (" + JoinUsers(*users) + ")",
                               "say which one with -u USER");
        }
        std::string answer = credentials_.AskWhichUser(*users);
        if (answer.empty()) return Status::Error(ErrorKind::kMissingInput, "no username given");
        user = AsciiLower(answer);
        asked_user = user;
      }
    }
    if (user) {
      auto cached = FromCache(*user);
      if (!cached.ok()) return cached.status();
      if (*cached) return std::move(**cached);
    }
  }
  return SignIn(request, user, asked_user);
}

Result<std::optional<TokenOutcome>> TokenProvider::FromCache(const std::string& user) {
  auto loaded = cache_.Load(user);
  if (!loaded.ok()) return loaded.status();
  if (!*loaded) {
    log_.Debug("no cached token for " + user);
    return std::optional<TokenOutcome>();
  }
  TokenOutcome outcome;
  outcome.user = user;
  outcome.token = (*loaded)->token;
  auto claims = DecodeJwtClaims(outcome.token.access_token);
  if (claims.ok()) outcome.claims = *claims;
  outcome.times = TimesOf(outcome.token, outcome.claims, (*loaded)->mtime);
  const int64_t now = clock_.Now();
  if (!NeedsRefresh(outcome.times, now)) {
    log_.Debug("using the cached token of " + user + " (valid for " +
               Seconds(*outcome.times.expires_at - now) + " more)");
    return std::optional<TokenOutcome>(std::move(outcome));
  }
  log_.Debug(outcome.times.expires_at
                 ? "the cached token of " + user + " expires in " +
                       Seconds(*outcome.times.expires_at - now) + " (refresh margin " +
                       Seconds(outcome.times.margin) + "): refreshing"
                 : "the cached token of " + user + " has no known expiry: refreshing");
  return RefreshLocked(user, **loaded);
}

Result<std::optional<TokenOutcome>> TokenProvider::RefreshLocked(const std::string& user,
                                                                 const LoadedToken& stale) {
  Status dirs = cache_.EnsureDirs();
  if (!dirs.ok()) return dirs;
  auto lock = cache_.Lock(user, config_.lock_timeout_ms);
  if (!lock.ok()) return lock.status();

  // Re-read under the lock: a parallel run may have refreshed while we waited for it.
  auto again = cache_.Load(user);
  if (!again.ok()) return again.status();
  const LoadedToken& current = *again ? **again : stale;
  if (*again && (*again)->token.access_token != stale.token.access_token) {
    TokenOutcome outcome;
    outcome.source = TokenOutcome::Source::kRefreshed;
    outcome.user = user;
    outcome.token = current.token;
    auto claims = DecodeJwtClaims(outcome.token.access_token);
    if (claims.ok()) outcome.claims = *claims;
    outcome.times = TimesOf(outcome.token, outcome.claims, current.mtime);
    if (!NeedsRefresh(outcome.times, clock_.Now())) {
      log_.Debug("another process refreshed the token of " + user + " meanwhile: using it");
      return std::optional<TokenOutcome>(std::move(outcome));
    }
  }
  if (current.token.refresh_token.empty()) {
    log_.Debug("the cached token of " + user + " has no refresh token");
    return std::optional<TokenOutcome>();
  }
  auto grant = login_.RefreshGrant(current.token.refresh_token);
  if (!grant.ok()) {
    if (LoginClient::IsRejection(grant.status())) {
      log_.Debug(grant.status().message() + "; a new sign-in is needed");
      return std::optional<TokenOutcome>();
    }
    return grant.status();
  }
  auto stored = StoreGrant(*grant, TokenOutcome::Source::kRefreshed, user,
                           current.token.refresh_token, *lock);
  if (!stored.ok()) return stored.status();
  return std::optional<TokenOutcome>(std::move(*stored));
}

Result<bool> TokenProvider::IsPasscodeZone() {
  const int64_t now = clock_.Now();
  if (auto meta = cache_.ReadMeta(kZoneInfoMeta)) {
    auto j = nlohmann::json::parse(*meta, nullptr, /*allow_exceptions=*/false);
    if (j.is_object() && j.value("checked_at", int64_t{-1}) >= 0 &&
        now - j.value("checked_at", int64_t{0}) < config_.zone_info_ttl &&
        j.value("checked_at", int64_t{0}) <= now && j.contains("passcode") && j["passcode"].is_boolean()) {
      return j["passcode"].get<bool>();
    }
  }
  auto info = login_.FetchZoneInfo();
  if (!info.ok()) {
    if (info.status().kind() == ErrorKind::kConnection) return info.status();
    // Not remembered: a bad answer must not stick (a defect of the original).
    log_.Debug(info.status().message() + "; assuming a password sign-in");
    return false;
  }
  nlohmann::json meta = {{"checked_at", now}, {"passcode", info->passcode}};
  Status written = cache_.WriteMeta(kZoneInfoMeta, meta.dump() + "\n");
  if (!written.ok()) log_.Debug("not remembering the zone type: " + written.message());
  return info->passcode;
}

Result<TokenOutcome> TokenProvider::SignIn(const SignInRequest& request,
                                           const std::optional<std::string>& user,
                                           const std::optional<std::string>& asked_user) {
  // A passcode given on the command line wins over the browser; otherwise --sso decides.
  if (request.browser && !request.passcode) return BrowserSignInFlow(request, asked_user);

  bool passcode_flow = request.passcode_flow;
  if (!passcode_flow && !request.force_basic_auth) {
    auto zone = IsPasscodeZone();
    if (!zone.ok()) return zone.status();
    passcode_flow = *zone;
    if (passcode_flow) log_.Debug("the zone signs users in through their IdP: passcode sign-in");
  }

  Result<TokenGrant> grant = Status::Error(ErrorKind::kInternal, "no sign-in attempted");
  std::optional<std::string> expected_user = asked_user;
  const std::string passcode_url = login_.Endpoint("/passcode");
  if (passcode_flow) {
    std::string code = request.passcode.value_or("");
    if (!request.passcode) {
      if (request.non_interactive) {
        return Status::Error(ErrorKind::kMissingInput, "a new sign-in is needed",
                             "get a passcode at " + passcode_url + " and pass it with -p CODE");
      }
      code = credentials_.AskPasscode(passcode_url);
    }
    if (code.empty()) {
      return Status::Error(ErrorKind::kMissingInput, "no passcode given",
                           "get one at " + passcode_url + " and pass it with -p CODE");
    }
    if (!IsValidPasscode(code)) {
      WipeString(code);
      return Status::Error(ErrorKind::kInvalidChars,
                           "the passcode may contain only letters, digits, '-' and '_'",
                           "copy it again from " + passcode_url + ", without blanks");
    }
    grant = login_.PasscodeGrant(code);
    WipeString(code);
  } else {
    std::string username = user.value_or("");
    if (username.empty()) {
      if (request.non_interactive) {
        return Status::Error(ErrorKind::kMissingInput, "a new sign-in is needed and no user was given",
                             "pass -u USER (and the password on stdin, or -p CODE for a passcode)");
      }
      username = AsciiLower(credentials_.AskUsername());
      if (username.empty()) return Status::Error(ErrorKind::kMissingInput, "no username given");
    }
    std::string password = request.password.value_or("");
    if (!request.password) {
      if (request.non_interactive) {
        return Status::Error(ErrorKind::kMissingInput,
                             "a new sign-in is needed and no password was given for '" + username + "'",
                             "run without --non-interactive to be asked for it");
      }
      password = credentials_.AskPassword(username);
    }
    if (password.empty()) {
      return Status::Error(ErrorKind::kMissingInput, "no password given for '" + username + "'");
    }
    std::string mfa = request.mfa_code.value_or("");
    if (!request.mfa_code && !request.non_interactive) mfa = credentials_.AskMfaCode(username);
    if (!IsValidMfaCode(mfa)) {
      WipeString(password);
      WipeString(mfa);
      return Status::Error(ErrorKind::kInvalidChars, "the MFA code may contain only digits",
                           "type the six digits your authenticator app shows, without blanks");
    }
    grant = login_.PasswordGrant(username, password, mfa);
    WipeString(password);
    WipeString(mfa);
    expected_user = username;
  }
  if (!grant.ok()) return grant.status();
  return AcceptNewToken(*grant, expected_user);
}

Result<TokenOutcome> TokenProvider::AcceptNewToken(const TokenGrant& grant,
                                                   const std::optional<std::string>& expected_user) {
  auto claims = DecodeJwtClaims(grant.access_token);
  std::string token_user = claims.ok() ? AsciiLower(claims->user_name) : std::string();
  if (token_user.empty()) token_user = expected_user.value_or("");
  if (token_user.empty()) {
    return Status::Error(ErrorKind::kNoToken,
                         "the new access token does not say whose it is (no user_name claim)",
                         "pass -u USER so it can be cached under that name");
  }
  if (expected_user && token_user != *expected_user) {
    return Status::Error(ErrorKind::kWrongUser,
                         "the new token belongs to '" + token_user + "', not to '" + *expected_user + "'",
                         "sign in as " + *expected_user + " (check which account the passcode page "
                                                          "showed), or leave out -u");
  }
  Status dirs = cache_.EnsureDirs();
  if (!dirs.ok()) return dirs;
  auto lock = cache_.Lock(token_user, config_.lock_timeout_ms);
  if (!lock.ok()) return lock.status();
  return StoreGrant(grant, TokenOutcome::Source::kSignedIn, token_user, "", *lock);
}

Result<TokenOutcome> TokenProvider::BrowserSignInFlow(const SignInRequest& request,
                                                      const std::optional<std::string>& asked_user) {
  if (request.non_interactive) {
    return Status::Error(ErrorKind::kMissingInput, "a new sign-in in the browser is needed",
                         "run get_token --sso once interactively; later runs reuse and refresh the token");
  }
  if (browser_ == nullptr) {
    return Status::Error(ErrorKind::kInternal, "the browser sign-in is not available in this program");
  }
  std::optional<TokenOutcome> outcome;
  Status flow = browser_->Run([&](BrowserSignIn::Credential kind, const std::string& credential) -> Status {
    Result<TokenGrant> grant = kind == BrowserSignIn::Credential::kSamlAssertion
                                   ? login_.SamlBearerGrant(request.sp_entity_id, credential)
                                   : login_.PasscodeGrant(credential);
    if (!grant.ok()) return grant.status();
    auto accepted = AcceptNewToken(*grant, asked_user);
    if (!accepted.ok()) return accepted.status();
    outcome = std::move(*accepted);
    return Status::Ok();
  });
  if (!flow.ok()) return flow;
  if (!outcome) return Status::Error(ErrorKind::kInternal, "the browser sign-in ended without a token");
  return std::move(*outcome);
}

Result<TokenOutcome> TokenProvider::StoreGrant(const TokenGrant& grant, TokenOutcome::Source source,
                                               const std::string& user,
                                               const std::string& old_refresh_token,
                                               const CacheLock& held) {
  std::string body = grant.body;
  if (grant.refresh_token.empty() && !old_refresh_token.empty()) {
    // A server that answers a refresh without a refresh token means "keep using the old one".
    auto j = nlohmann::ordered_json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (j.is_object()) {
      j["refresh_token"] = old_refresh_token;
      body = j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    }
  }
  auto bytes = TokenFileBytes(body);
  if (!bytes.ok()) return bytes.status();
  Status stored = cache_.Store(user, *bytes, held);
  if (!stored.ok()) return stored;

  TokenOutcome outcome;
  outcome.source = source;
  outcome.user = user;
  outcome.token = ParseTokenFile(*bytes).value_or(CachedToken{});
  auto claims = DecodeJwtClaims(outcome.token.access_token);
  if (claims.ok()) outcome.claims = *claims;
  outcome.times = TimesOf(outcome.token, outcome.claims, clock_.Now());
  log_.Debug(std::string(source == TokenOutcome::Source::kRefreshed ? "refreshed" : "signed in") +
             ": cached the token of " + user + " in " + cache_.TokenPath(user));
  return outcome;
}

}  // namespace ssocli
