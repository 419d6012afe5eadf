// libssocli_sso.so: the C entry point of sso_plugin_abi.h over the C++ flow (sso_flow.h). Nothing C++
// crosses: config strings are copied in, the exchange is called through its C pointer, messages are
// copied out, and every exception ends here as SSOCLI_SSO_INTERNAL.
#include <algorithm>
#include <chrono>
#include <cstring>
#include <exception>
#include <string>
#include <type_traits>

#include "core/clock.h"
#include "core/status.h"
#include "sso/browser_launcher.h"
#include "sso/sso_flow.h"
#include "sso/sso_plugin_abi.h"

extern "C" __attribute__((visibility("default"))) int ssocli_sso_run_v1(const ssocli_sso_config* config,
                                                                        ssocli_sso_exchange_fn exchange,
                                                                        void* exchange_context,
                                                                        ssocli_sso_message* out);

namespace ssocli::sso {
namespace {

// The ABI's codes are the exit codes of interface.md, one per ErrorKind the flow can end with.
int CodeFor(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kOk:
      return SSOCLI_SSO_OK;
    case ErrorKind::kUsage:
    case ErrorKind::kLoginUrl:
      return SSOCLI_SSO_USAGE;
    case ErrorKind::kMissingInput:
      return SSOCLI_SSO_MISSING_INPUT;
    case ErrorKind::kInvalidChars:
      return SSOCLI_SSO_INVALID_CHARS;
    case ErrorKind::kWrongUser:
      return SSOCLI_SSO_WRONG_USER;
    case ErrorKind::kConnection:
      return SSOCLI_SSO_CONNECTION;
    case ErrorKind::kNoToken:
      return SSOCLI_SSO_NO_TOKEN;
    case ErrorKind::kSsoTimeout:
      return SSOCLI_SSO_TIMEOUT;
    case ErrorKind::kSamlRejected:
      return SSOCLI_SSO_SAML_REJECTED;
    case ErrorKind::kCacheDir:
      return SSOCLI_SSO_CACHE_DIR;
    case ErrorKind::kCacheWrite:
      return SSOCLI_SSO_CACHE_WRITE;
    case ErrorKind::kCacheUnsafe:
      return SSOCLI_SSO_CACHE_UNSAFE;
    case ErrorKind::kInterrupted:
      return SSOCLI_SSO_INTERRUPTED;
    case ErrorKind::kInternal:
      return SSOCLI_SSO_INTERNAL;
  }
  return SSOCLI_SSO_INTERNAL;
}

ErrorKind KindFor(int code) {
  switch (code) {
    case SSOCLI_SSO_OK:
      return ErrorKind::kOk;
    case SSOCLI_SSO_USAGE:
      return ErrorKind::kUsage;
    case SSOCLI_SSO_MISSING_INPUT:
      return ErrorKind::kMissingInput;
    case SSOCLI_SSO_INVALID_CHARS:
      return ErrorKind::kInvalidChars;
    case SSOCLI_SSO_WRONG_USER:
      return ErrorKind::kWrongUser;
    case SSOCLI_SSO_CONNECTION:
      return ErrorKind::kConnection;
    case SSOCLI_SSO_NO_TOKEN:
      return ErrorKind::kNoToken;
    case SSOCLI_SSO_TIMEOUT:
      return ErrorKind::kSsoTimeout;
    case SSOCLI_SSO_SAML_REJECTED:
      return ErrorKind::kSamlRejected;
    case SSOCLI_SSO_CACHE_DIR:
      return ErrorKind::kCacheDir;
    case SSOCLI_SSO_CACHE_WRITE:
      return ErrorKind::kCacheWrite;
    case SSOCLI_SSO_CACHE_UNSAFE:
      return ErrorKind::kCacheUnsafe;
    case SSOCLI_SSO_INTERRUPTED:
      return ErrorKind::kInterrupted;
    default:
      return ErrorKind::kInternal;
  }
}

// Copies `text` into a fixed buffer, NUL-terminated, cut on a UTF-8 character boundary.
void CopyOut(std::string_view text, char (&buffer)[1024]) {
  size_t n = std::min(text.size(), sizeof(buffer) - 1);
  if (n < text.size()) {
    while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;
  }
  if (n > 0) std::memcpy(buffer, text.data(), n);
  buffer[n] = '\0';
}

std::string Str(const char* s) {
  return s == nullptr ? std::string() : std::string(s);
}

int Fail(ssocli_sso_message* out, int code, std::string_view what, std::string_view hint = {}) {
  if (out != nullptr) {
    CopyOut(what, out->what);
    CopyOut(hint, out->hint);
  }
  return code;
}

int Run(const ssocli_sso_config* config, ssocli_sso_exchange_fn exchange, void* exchange_context,
        ssocli_sso_message* out) {
  if (config == nullptr || exchange == nullptr) {
    return Fail(out, SSOCLI_SSO_INTERNAL,
                "the sign-in plugin was called without a configuration or exchange");
  }
  if (config->abi_version != SSOCLI_SSO_ABI_VERSION) {
    return Fail(out, SSOCLI_SSO_USAGE,
                "the sign-in plugin speaks ABI version " + std::to_string(SSOCLI_SSO_ABI_VERSION) + ", not " +
                    std::to_string(config->abi_version),
                "install the plugin that came with this program");
  }
  SsoFlowConfig c;
  c.login_url = Str(config->login_url);
  c.idp_metadata_path = Str(config->idp_metadata_path);
  c.sp_entity_id = Str(config->sp_entity_id);
  c.saml_recipient = Str(config->saml_recipient);
  c.port = config->port;
  c.timeout = std::chrono::seconds(config->timeout_seconds);
  c.browser_command = Str(config->browser_command);
  c.no_browser = config->no_browser != 0;
  c.stdin_fd = config->stdin_fd;
  c.stderr_fd = config->stderr_fd;
  c.program = config->program != nullptr && *config->program != '\0' ? config->program : "get_token";
  c.verbose = config->verbose != 0;

  SystemClock clock;
  SsoFlowDeps deps;
  deps.clock = &clock;
  deps.browser_env = BrowserEnvironment::FromProcess();

  SsoExchange call_exchange = [exchange, exchange_context](CredentialKind kind,
                                                           const std::string& credential) {
    ssocli_sso_message message;
    std::memset(&message, 0, sizeof(message));
    int code = exchange(exchange_context, static_cast<int>(kind), credential.c_str(), &message);
    if (code == SSOCLI_SSO_OK) return Status::Ok();
    message.what[sizeof(message.what) - 1] = '\0';
    message.hint[sizeof(message.hint) - 1] = '\0';
    std::string what = message.what;
    if (what.empty()) what = "the sign-in could not be completed (error " + std::to_string(code) + ")";
    return Status::Error(KindFor(code), what, message.hint);
  };

  Status result = RunSsoFlow(c, deps, call_exchange);
  if (result.ok()) return Fail(out, SSOCLI_SSO_OK, "", "");
  return Fail(out, CodeFor(result.kind()), result.message(), result.hint());
}

}  // namespace
}  // namespace ssocli::sso

extern "C" int ssocli_sso_run_v1(const ssocli_sso_config* config, ssocli_sso_exchange_fn exchange,
                                 void* exchange_context, ssocli_sso_message* out) {
  try {
    return ssocli::sso::Run(config, exchange, exchange_context, out);
  } catch (const std::exception& e) {
    return ssocli::sso::Fail(out, SSOCLI_SSO_INTERNAL, std::string("the sign-in failed: ") + e.what());
  } catch (...) {
    return ssocli::sso::Fail(out, SSOCLI_SSO_INTERNAL, "the sign-in failed with an unknown error");
  }
}

// The typedef of the ABI and the definition must agree.
static_assert(std::is_same_v<decltype(&ssocli_sso_run_v1), ssocli_sso_run_fn>);
