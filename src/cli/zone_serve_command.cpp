#include "cli/zone_serve_command.h"

#include <pthread.h>
#include <signal.h>

#include <charconv>
#include <cstdio>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string_view>

#include "core/clock.h"
#include "core/status.h"
#include "zone/jwt_signer.h"
#include "zone/user_directory.h"
#include "zone/zone_config.h"
#include "zone/zone_server.h"

namespace ssocli {
namespace {

constexpr int kExitUsage = 10;
constexpr int kExitCannotServe = 1;

constexpr char kHelp[] = R"(Usage: ssocli zone serve [OPTIONS]

Runs a local login server that speaks the Cloud Foundry UAA protocol of Apigee's
login.apigee.com and its SSO zones: password (with MFA), passcode, refresh_token
and saml2-bearer grants, /login, /passcode (behind a browser sign-in),
/token_keys, a built-in SAML test IdP under /idp/, and a sample management API
(GET /v1/o/ORG) that needs a valid bearer token. For demos, tests, and testing
scripts offline. The first line on stdout is the base URL, printed once
the server accepts connections; then one line per request goes to stderr
(never a password, passcode, token or request body). Stop it with Ctrl-C or
SIGTERM.

Listening:
  --host ADDR                    address to listen on (default 127.0.0.1)
  --port N                       port; 0 picks a free one (default 0)
  --tls-cert FILE                PEM server certificate (then intermediates);
  --tls-key FILE                 its unencrypted PEM key: serve HTTPS (both or neither)

The zone:
  --users FILE                   users and clients, JSON (see docs/zone-server.md);
                                 default: demo@example.com / demo-password,
                                 mfa@example.com / mfa-password with MFA code 123456,
                                 client edgecli:edgeclisecret
  --zone-name NAME               zone_name in /login (default zone)
  --saml-zone                    the zone has an external IdP: /login offers the
                                 passcode prompt
  --access-token-validity S      access token lifetime in seconds (default 43200)
  --refresh-token-validity S     refresh token lifetime in seconds (default 2592000)
  --refresh-rotation             each refresh returns a new refresh token and
                                 invalidates the old one (default: same token,
                                 original expiry)
  --jwt-refresh-tokens           JWT refresh tokens, as older UAA (default: opaque
                                 "<32 hex>-r")
  --bad-credentials-error E      error code of a wrong password: unauthorized (older
                                 UAA, default) or invalid_client (newer UAA)
  --rate-limit N                 at most N new tokens per user per hour from password
                                 and passcode grants, then 429 with Retry-After
                                 (default: unlimited)
  --signing-key FILE             RSA private key (PEM) signing the tokens
                                 (default: a new 2048-bit key per run)
  --issuer URL                   the tokens' iss (default <base URL>/oauth/token)

SAML (the zone's SP and its built-in test IdP at /idp/):
  --sp-entity-id ID              the zone's SP entity ID: the audience of its own
                                 sign-in and of saml2-bearer on /oauth/token
                                 (default <zone name>.apigee-saml-login)
  --idp-key FILE                 the test IdP's PEM private key (RSA or EC) and
  --idp-cert FILE                its PEM certificate (both or neither; default:
                                 a key and self-signed certificate made on first use)
  --idp-entity-id ID             the test IdP's entity ID (default <base URL>/idp)
  --idp-recipient alias|acs      Recipient the test IdP sends to SPs other than the
                                 zone: the token alias URL (default) or, as a
                                 misconfigured IdP does, the ACS URL
  --trust-idp-metadata FILE      also trust this IdP (SAML 2.0 metadata) for the
                                 saml2-bearer grant; repeatable

Testing:
  --test-hooks                   serve /__test/ (passcodes, tokens with any lifetime,
                                 SAML responses from the test IdP, revocation, the
                                 requests received, injected faults); see
                                 docs/zone-server.md
  --quiet                        no request log on stderr

  -h, --help                     this help

Exit status: 0 after Ctrl-C/SIGTERM, 10 for bad options or unusable files,
1 when the address cannot be listened on (e.g. the port is in use).
)";

std::optional<int64_t> ParseInteger(std::string_view text) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// Parses `args` into `config`. Returns nullopt on success, else the one-line reason.
std::optional<std::string> ParseArgs(const std::vector<std::string>& args, ZoneConfig& config, bool& quiet,
                                     bool& help) {
  using Setter = std::function<std::optional<std::string>(const std::string& name, const std::string& value)>;
  auto integer = [](int64_t min, int64_t max, auto assign) {
    return
        [min, max, assign](const std::string& name, const std::string& value) -> std::optional<std::string> {
          auto n = ParseInteger(value);
          if (!n || *n < min || *n > max) {
            return name + " needs an integer from " + std::to_string(min) + " to " + std::to_string(max) +
                   ", not '" + value + "'";
          }
          assign(*n);
          return std::nullopt;
        };
  };
  auto text = [](std::string& field) {
    return [&field](const std::string& name, const std::string& value) -> std::optional<std::string> {
      if (value.empty()) return name + " needs a non-empty value";
      field = value;
      return std::nullopt;
    };
  };
  const std::map<std::string, Setter> with_value = {
      {"--host", text(config.host)},
      {"--port", integer(0, 65535, [&](int64_t n) { config.port = static_cast<int>(n); })},
      {"--tls-cert", text(config.tls_cert_file)},
      {"--tls-key", text(config.tls_key_file)},
      {"--users", text(config.users_file)},
      {"--zone-name", text(config.zone_name)},
      {"--access-token-validity",
       integer(1, int64_t{10} * 366 * 86400, [&](int64_t n) { config.access_token_validity = n; })},
      {"--refresh-token-validity",
       integer(1, int64_t{10} * 366 * 86400, [&](int64_t n) { config.refresh_token_validity = n; })},
      {"--rate-limit",
       integer(0, 1000000, [&](int64_t n) { config.rate_limit_per_hour = static_cast<int>(n); })},
      {"--signing-key", text(config.signing_key_file)},
      {"--issuer", text(config.issuer)},
      {"--sp-entity-id", text(config.sp_entity_id)},
      {"--idp-key", text(config.idp_key_file)},
      {"--idp-cert", text(config.idp_cert_file)},
      {"--idp-entity-id", text(config.idp_entity_id)},
      {"--trust-idp-metadata",
       [&](const std::string& name, const std::string& value) -> std::optional<std::string> {
         if (value.empty()) return name + " needs a non-empty value";
         config.trust_idp_metadata_files.push_back(value);
         return std::nullopt;
       }},
      {"--idp-recipient",
       [&](const std::string& name, const std::string& value) -> std::optional<std::string> {
         if (value == "alias") {
           config.idp_recipient = IdpRecipient::kTokenAlias;
         } else if (value == "acs") {
           config.idp_recipient = IdpRecipient::kAcs;
         } else {
           return name + " must be alias or acs, not '" + value + "'";
         }
         return std::nullopt;
       }},
      {"--bad-credentials-error",
       [&](const std::string& name, const std::string& value) -> std::optional<std::string> {
         if (value == "unauthorized") {
           config.bad_credentials_error = BadCredentialsError::kUnauthorized;
         } else if (value == "invalid_client") {
           config.bad_credentials_error = BadCredentialsError::kInvalidClient;
         } else {
           return name + " must be unauthorized or invalid_client, not '" + value + "'";
         }
         return std::nullopt;
       }},
  };
  const std::map<std::string, bool*> flags = {
      {"--saml-zone", &config.saml_zone},
      {"--refresh-rotation", &config.refresh_rotation},
      {"--jwt-refresh-tokens", &config.jwt_refresh_tokens},
      {"--test-hooks", &config.test_hooks},
      {"--quiet", &quiet},
  };

  for (size_t i = 0; i < args.size(); ++i) {
    std::string arg = args[i];
    if (arg == "-h" || arg == "--help") {
      help = true;
      return std::nullopt;
    }
    std::optional<std::string> inline_value;
    if (size_t eq = arg.find('='); arg.rfind("--", 0) == 0 && eq != std::string::npos) {
      inline_value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
    }
    if (auto flag = flags.find(arg); flag != flags.end()) {
      if (inline_value) return arg + " takes no value";
      *flag->second = true;
      continue;
    }
    auto setter = with_value.find(arg);
    if (setter == with_value.end()) {
      return "unknown option '" + arg + "' (see --help)";
    }
    std::string value;
    if (inline_value) {
      value = *inline_value;
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return arg + " needs a value";
    }
    if (auto error = setter->second(arg, value)) return error;
  }
  return std::nullopt;
}

int Fail(int code, const std::string& message) {
  std::cerr << "ssocli zone serve: " << message << std::endl;
  return code;
}

}  // namespace

int ZoneServeCommand(const std::vector<std::string>& args) {
  ZoneConfig config;
  bool quiet = false;
  bool help = false;
  if (auto error = ParseArgs(args, config, quiet, help)) return Fail(kExitUsage, *error);
  if (help) {
    std::cout << kHelp << std::flush;
    return 0;
  }
  if (Status valid = ValidateZoneConfig(config); !valid.ok()) return Fail(kExitUsage, valid.message());

  Result<UserDirectory> users = config.users_file.empty() ? Result<UserDirectory>(UserDirectory::Defaults())
                                                          : UserDirectory::LoadFile(config.users_file);
  if (!users.ok()) return Fail(kExitUsage, users.status().message());
  Result<JwtSigner> signer = config.signing_key_file.empty()
                                 ? JwtSigner::Generate()
                                 : JwtSigner::FromPemFile(config.signing_key_file);
  if (!signer.ok()) {
    return Fail(signer.status().kind() == ErrorKind::kUsage ? kExitUsage : kExitCannotServe,
                signer.status().message());
  }

  SystemClock clock;
  ZoneServer server(config, std::move(users).value(),
                    std::make_shared<const JwtSigner>(std::move(signer).value()), &clock);
  if (!quiet) {
    server.set_log_sink([](std::string_view line) {
      // One write per line, so lines from concurrent requests do not interleave.
      std::string out = "ssocli zone: " + std::string(line) + "\n";
      std::fwrite(out.data(), 1, out.size(), stderr);
    });
  }

  // Block the stop signals before the server starts its threads (they inherit the mask), so that
  // only sigwait() below takes them. SIGPIPE is blocked too: a client hanging up mid-reply must
  // end that write with EPIPE, not the process.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGHUP);
  sigset_t blocked = stop_signals;
  sigaddset(&blocked, SIGPIPE);
  sigset_t previous;
  pthread_sigmask(SIG_BLOCK, &blocked, &previous);

  Status started = server.Start();
  if (!started.ok()) {
    pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    return Fail(started.kind() == ErrorKind::kUsage ? kExitUsage : kExitCannotServe, started.message());
  }
  std::printf("%s\n", server.base_url().c_str());
  std::fflush(stdout);
  if (!quiet) {
    std::string users_text =
        config.users_file.empty() ? "built-in demo users" : "users from " + config.users_file;
    std::fprintf(stderr, "ssocli zone: zone '%s' serving at %s (%s%s); Ctrl-C stops it\n",
                 config.zone_name.c_str(), server.base_url().c_str(), users_text.c_str(),
                 config.test_hooks ? ", test hooks on" : "");
  }

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  server.Stop();
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  return 0;
}

}  // namespace ssocli
