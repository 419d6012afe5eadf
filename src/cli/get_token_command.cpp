#include "cli/get_token_command.h"

#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <nlohmann/json.hpp>

#include "cli/browser_plugin.h"
#include "cli/exit_codes.h"
#include "cli/interrupts.h"
#include "core/base64.h"
#include "core/clock.h"
#include "core/logger.h"
#include "core/url.h"
#include "net/login_client.h"
#include "token/token_cache.h"

#ifndef SSOCLI_VERSION
#define SSOCLI_VERSION "0.0.0"
#endif

namespace ssocli {
namespace {

constexpr char kProgram[] = "get_token";
constexpr char kDefaultLoginUrl[] = "https://login.apigee.com";
constexpr char kDefaultClientAuth[] = "ZWRnZWNsaTplZGdlY2xpc2VjcmV0";  // edgecli:edgeclisecret

std::optional<std::string> Env(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr) return std::nullopt;
  return std::string(v);
}

// A non-negative whole number of seconds from the environment.
Result<std::optional<int64_t>> EnvSeconds(const char* name) {
  auto v = Env(name);
  if (!v || v->empty()) return std::optional<int64_t>();
  char* end = nullptr;
  errno = 0;
  long long n = std::strtoll(v->c_str(), &end, 10);
  if (errno != 0 || *end != '\0' || n < 0 || n > 100000000) {
    return Status::Error(ErrorKind::kUsage,
                         std::string(name) + " must be a whole number of seconds, not '" + *v + "'");
  }
  return std::optional<int64_t>(n);
}

Status CheckReadable(const std::string& path, const std::string& what) {
  if (::access(path.c_str(), R_OK) != 0) {
    return Status::Error(ErrorKind::kUsage,
                         "cannot read the CA file " + path + " (" + what + "): " + std::strerror(errno));
  }
  return Status::Ok();
}

void WriteOut(const std::string& text) {
  const char* p = text.data();
  size_t left = text.size();
  while (left > 0) {
    ssize_t n = ::write(STDOUT_FILENO, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    p += n;
    left -= static_cast<size_t>(n);
  }
}

std::string JoinScope(const std::vector<std::string>& scope) {
  std::string out;
  for (const auto& s : scope) out += (out.empty() ? "" : " ") + s;
  return out;
}

std::string JsonOutput(const TokenOutcome& t, int64_t now) {
  nlohmann::ordered_json j;
  j["access_token"] = t.token.access_token;
  j["token_type"] = t.token.token_type.empty() ? "bearer" : t.token.token_type;
  if (t.times.expires_at) {
    j["expires_at"] = *t.times.expires_at;
    j["expires_in"] = *t.times.expires_at - now;
  } else {
    j["expires_at"] = nullptr;
    j["expires_in"] = nullptr;
  }
  j["user_name"] = t.claims.user_name.empty() ? t.user : t.claims.user_name;
  j["scope"] = t.token.scope.empty() ? JoinScope(t.claims.scope) : t.token.scope;
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace

Result<TokenEnvironment> ReadTokenEnvironment(bool insecure, const std::optional<std::string>& cacert) {
  TokenEnvironment env;
  auto url = Env("SSO_LOGIN_URL");
  env.login_url = url ? *url : kDefaultLoginUrl;
  if (Status st = ValidateLoginUrl(env.login_url); !st.ok()) return st;

  if (auto home = Env("HOME"); home && !home->empty()) {
    env.home = *home;
  } else if (const struct passwd* pw = ::getpwuid(::geteuid()); pw != nullptr && pw->pw_dir) {
    env.home = pw->pw_dir;
  } else {
    return Status::Error(ErrorKind::kCacheDir, "HOME is not set and the user has no home directory");
  }

  auto id = Env("CLIENT_ID");
  auto secret = Env("CLIENT_SECRET");
  if (auto auth = Env("CLIENT_AUTH"); auth && !auth->empty()) {
    env.client_auth = *auth;
  } else if (id && !id->empty()) {
    env.client_auth = Base64Encode(*id + ":" + secret.value_or(""));
  } else {
    env.client_auth = kDefaultClientAuth;
  }

  env.http.insecure = insecure;
  env.http.user_agent = std::string("ssocli/") + SSOCLI_VERSION;
  if (cacert) {
    if (Status st = CheckReadable(*cacert, "--cacert"); !st.ok()) return st;
    env.http.ca_file = *cacert;
  } else {
    for (const char* name : {"CURL_CA_BUNDLE", "SSL_CERT_FILE"}) {
      auto v = Env(name);
      if (!v || v->empty()) continue;
      if (Status st = CheckReadable(*v, name); !st.ok()) return st;
      env.http.ca_file = *v;
      break;
    }
  }

  auto margin = EnvSeconds("SSO_REFRESH_MARGIN");
  if (!margin.ok()) return margin.status();
  if (*margin) env.provider.refresh_margin_cap = **margin;
  auto http_timeout = EnvSeconds("SSOCLI_HTTP_TIMEOUT");
  if (!http_timeout.ok()) return http_timeout.status();
  if (*http_timeout && **http_timeout > 0) {
    env.http.timeout_seconds = static_cast<long>(**http_timeout);
    env.http.connect_timeout_seconds = std::min<long>(env.http.connect_timeout_seconds,
                                                      env.http.timeout_seconds);
  }
  auto lock_timeout = EnvSeconds("SSOCLI_LOCK_TIMEOUT");
  if (!lock_timeout.ok()) return lock_timeout.status();
  if (*lock_timeout) env.provider.lock_timeout_ms = static_cast<int>(**lock_timeout * 1000);
  auto prompt_timeout = EnvSeconds("SSOCLI_PROMPT_TIMEOUT");
  if (!prompt_timeout.ok()) return prompt_timeout.status();
  if (*prompt_timeout) {
    env.prompts.credential_seconds = static_cast<int>(**prompt_timeout);
    env.prompts.passcode_seconds = static_cast<int>(**prompt_timeout);
  }
  return env;
}

int GetTokenMain(int argc, char** argv) {
  InstallInterruptHandlers();
  auto parsed = ParseGetTokenArgs(argc, argv);
  if (!parsed.ok()) {
    PrintError(kProgram, parsed.status());
    return ExitCodeFor(parsed.status().kind());
  }
  GetTokenOptions& options = *parsed;
  if (options.help) {
    WriteOut(GetTokenHelp());
    return kExitHelp;
  }
  if (options.version) {
    WriteOut(std::string("get_token (ssocli) ") + SSOCLI_VERSION + "\n");
    return kExitOk;
  }

  auto env = ReadTokenEnvironment(options.insecure, options.cacert);
  if (!env.ok()) {
    PrintError(kProgram, env.status());
    return ExitCodeFor(env.status().kind());
  }
  TokenCache cache(env->home, env->login_url);
  if (options.print_cache) {
    WriteOut(cache.zone_dir() + "\n");
    return kExitCachePrinted;
  }
  if (options.clear_cache || options.clear_all_cache) {
    Status st = options.clear_all_cache ? cache.ClearAll() : cache.ClearZone();
    if (!st.ok()) {
      PrintError(kProgram, st);
      return ExitCodeFor(st.kind());
    }
    std::string done = std::string(kProgram) + ": cleared " +
                       (options.clear_all_cache ? cache.root_dir() : cache.zone_dir()) + "\n";
    ssize_t ignored = ::write(STDERR_FILENO, done.data(), done.size());
    (void)ignored;
    return kExitCacheCleared;
  }

  auto token = RunTokenStep(kProgram, options, *env);
  if (!token.ok()) {
    PrintError(kProgram, token.status());
    return ExitCodeFor(token.status().kind());
  }
  WriteOut(options.json ? JsonOutput(*token, SystemClock().Now()) : token->token.access_token + "\n");
  return kExitOk;
}

Result<TokenOutcome> RunTokenStep(std::string_view program, const GetTokenOptions& options,
                                  const TokenEnvironment& env) {
  SignInRequest request = options.sign_in;
  std::optional<PluginBrowserSignIn> browser;
  if (request.browser || options.browser.idp_metadata) {
    auto settings = ResolveBrowserSettings(options.browser, env.login_url);
    if (!settings.ok()) return settings.status();
    request.sp_entity_id = settings->sp_entity_id;
    // acurl's stdin belongs to curl (-d @-) unless it is a terminal.
    settings->read_terminal = program == "get_token" || ::isatty(STDIN_FILENO);
    browser.emplace(std::move(*settings), std::string(program), options.verbose);
  }
  Logger log = StderrLogger(std::string(program), options.verbose);
  SystemClock clock;
  TokenCache cache(env.home, env.login_url);
  CurlHttpClient http(env.http);  // loads libcurl only if a request is made
  LoginClient login(http, LoginConfig{env.login_url, env.client_auth}, log);
  TerminalPrompter prompter(STDIN_FILENO, STDERR_FILENO, env.prompts);
  TokenProvider provider(cache, login, prompter, clock, log, env.provider, browser ? &*browser : nullptr);
  return provider.GetToken(request);
}

}  // namespace ssocli
