#include "cli/token_show_command.h"

#include <cstdio>
#include <ctime>
#include <nlohmann/json.hpp>

#include "cli/exit_codes.h"
#include "cli/get_token_command.h"
#include "core/clock.h"
#include "token/jwt_claims.h"
#include "token/refresh_policy.h"
#include "token/token_cache.h"

namespace ssocli {
namespace {

constexpr char kProgram[] = "ssocli token show";

std::string Rfc3339(int64_t t) {
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm;
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string Human(int64_t seconds) {
  bool past = seconds < 0;
  int64_t s = past ? -seconds : seconds;
  char buf[64];
  if (s >= 86400) {
    std::snprintf(buf, sizeof buf, "%lldd %lldh", static_cast<long long>(s / 86400),
                  static_cast<long long>(s % 86400 / 3600));
  } else if (s >= 3600) {
    std::snprintf(buf, sizeof buf, "%lldh %lldm", static_cast<long long>(s / 3600),
                  static_cast<long long>(s % 3600 / 60));
  } else if (s >= 60) {
    std::snprintf(buf, sizeof buf, "%lldm %llds", static_cast<long long>(s / 60),
                  static_cast<long long>(s % 60));
  } else {
    std::snprintf(buf, sizeof buf, "%llds", static_cast<long long>(s));
  }
  return past ? std::string(buf) + " ago" : "in " + std::string(buf);
}

const char* kHelp = R"(Usage: ssocli token show [--json] [-u USER]

Shows the tokens cached for SSO_LOGIN_URL (default https://login.apigee.com): user, scopes, expiry,
whether a refresh token is there, and the file. Never prints a token itself.
  --json     one JSON object per user, one per line
  -u USER    only this user
Exit: 0 shown, 12 nothing cached, 10 usage, 33 unsafe cache.
)";

}  // namespace

int TokenShowCommand(const std::vector<std::string>& args) {
  bool json = false;
  std::optional<std::string> only_user;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--json") {
      json = true;
    } else if (args[i] == "-u" && i + 1 < args.size()) {
      only_user = AsciiLower(args[++i]);
    } else if (args[i] == "-h" || args[i] == "--help") {
      std::fputs(kHelp, stdout);
      return 0;
    } else {
      PrintError(kProgram, Status::Error(ErrorKind::kUsage, "unknown argument '" + args[i] + "'",
                                         "see ssocli token show --help"));
      return 10;
    }
  }
  auto env = ReadTokenEnvironment(false, std::nullopt);
  if (!env.ok()) {
    PrintError(kProgram, env.status());
    return ExitCodeFor(env.status().kind());
  }
  TokenCache cache(env->home, env->login_url);
  auto users = cache.Users();
  if (!users.ok()) {
    PrintError(kProgram, users.status());
    return ExitCodeFor(users.status().kind());
  }
  SystemClock clock;
  const int64_t now = clock.Now();
  int shown = 0;
  for (const auto& user : *users) {
    if (only_user && user != *only_user) continue;
    auto loaded = cache.Load(user);
    if (!loaded.ok()) {
      PrintError(kProgram, loaded.status());
      return ExitCodeFor(loaded.status().kind());
    }
    if (!*loaded) continue;
    const CachedToken& token = (*loaded)->token;
    auto claims = DecodeJwtClaims(token.access_token);
    JwtClaims c = claims.ok() ? *claims : JwtClaims{};
    TokenTimes times = ComputeTokenTimes(c, token.expires_in, (*loaded)->mtime,
                                         env->provider.refresh_margin_cap);
    std::string scope = token.scope;
    if (scope.empty()) {
      for (const auto& s : c.scope) scope += (scope.empty() ? "" : " ") + s;
    }
    ++shown;
    if (json) {
      nlohmann::ordered_json j;
      j["user_name"] = user;
      j["scope"] = scope;
      j["expires_at"] = times.expires_at ? nlohmann::ordered_json(*times.expires_at) : nullptr;
      j["expires_in"] = times.expires_at ? nlohmann::ordered_json(*times.expires_at - now) : nullptr;
      j["needs_refresh"] = NeedsRefresh(times, now);
      j["has_refresh_token"] = !token.refresh_token.empty();
      j["file"] = cache.TokenPath(user);
      std::printf("%s\n", j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace).c_str());
      continue;
    }
    std::printf("user:          %s\n", user.c_str());
    std::printf("scopes:        %s\n", scope.c_str());
    if (times.expires_at) {
      std::printf("expires:       %s (%s)%s\n", Rfc3339(*times.expires_at).c_str(),
                  Human(*times.expires_at - now).c_str(),
                  NeedsRefresh(times, now) ? ", will be refreshed on next use" : "");
    } else {
      std::printf("expires:       unknown (will be refreshed on next use)\n");
    }
    std::printf("refresh token: %s\n", token.refresh_token.empty() ? "none" : "yes");
    std::printf("file:          %s\n\n", cache.TokenPath(user).c_str());
  }
  if (shown == 0) {
    PrintError(kProgram, Status::Error(ErrorKind::kMissingInput,
                                       "no token cached for " + env->login_url +
                                           (only_user ? " and user " + *only_user : ""),
                                       "sign in with get_token"));
    return 12;
  }
  return 0;
}

}  // namespace ssocli
