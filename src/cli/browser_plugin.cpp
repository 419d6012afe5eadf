#include "cli/browser_plugin.h"

#include <dlfcn.h>
#include <limits.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "cli/exit_codes.h"
#include "core/url.h"
#include "sso/sso_plugin_abi.h"

#ifndef SSOCLI_PLUGIN_RELPATH
#define SSOCLI_PLUGIN_RELPATH "../lib/ssocli/libssocli_sso.so"
#endif

namespace ssocli {
namespace {

std::optional<std::string> Env(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr || v[0] == '\0') return std::nullopt;
  return std::string(v);
}

bool IsIpAddress(const std::string& host) {
  if (!host.empty() && host.front() == '[') return true;  // IPv6 literal
  return !host.empty() && host.find_first_not_of("0123456789.") == std::string::npos;
}

void CopyText(char* dst, size_t size, const std::string& text) {
  size_t n = std::min(size - 1, text.size());
  std::memcpy(dst, text.data(), n);
  dst[n] = '\0';
}

// The C callback the plugin calls; `context` is the Exchange. Nothing may throw across it.
int ExchangeTrampoline(void* context, int kind, const char* credential, ssocli_sso_message* out) {
  try {
    const auto& exchange = *static_cast<const BrowserSignIn::Exchange*>(context);
    Status st = exchange(kind == SSOCLI_SSO_SAML_ASSERTION ? BrowserSignIn::Credential::kSamlAssertion
                                                           : BrowserSignIn::Credential::kPasscode,
                         credential != nullptr ? credential : "");
    if (st.ok()) return SSOCLI_SSO_OK;
    CopyText(out->what, sizeof out->what, st.message());
    CopyText(out->hint, sizeof out->hint, st.hint());
    return ExitCodeFor(st.kind());
  } catch (...) {
    CopyText(out->what, sizeof out->what, "internal error while exchanging the credential");
    out->hint[0] = '\0';
    return SSOCLI_SSO_INTERNAL;
  }
}

}  // namespace

Result<BrowserSettings> ResolveBrowserSettings(const BrowserFlags& flags, const std::string& login_url) {
  BrowserSettings s;
  s.login_url = login_url;
  s.no_browser = flags.no_browser;
  s.browser_command = flags.browser ? *flags.browser : Env("BROWSER").value_or("");
  s.idp_metadata = flags.idp_metadata ? *flags.idp_metadata : Env("SSO_IDP_METADATA").value_or("");
  if (!s.idp_metadata.empty() && ::access(s.idp_metadata.c_str(), R_OK) != 0) {
    return Status::Error(ErrorKind::kUsage,
                         "cannot read the IdP metadata " + s.idp_metadata + ": " + std::strerror(errno));
  }
  if (flags.port) {
    s.port = *flags.port;
  } else if (auto p = Env("SSO_LOOPBACK_PORT")) {
    char* end = nullptr;
    long n = std::strtol(p->c_str(), &end, 10);
    if (*end != '\0' || n < 0 || n > 65535) {
      return Status::Error(ErrorKind::kUsage, "SSO_LOOPBACK_PORT must be a port number, not '" + *p + "'");
    }
    s.port = static_cast<int>(n);
  }
  if (flags.timeout_seconds) s.timeout_seconds = *flags.timeout_seconds;

  s.sp_entity_id = flags.sp_entity_id ? *flags.sp_entity_id : Env("SSO_SP_ENTITY_ID").value_or("");
  if (s.sp_entity_id.empty()) {
    std::string host = UrlHost(login_url);
    if (IsIpAddress(host)) {
      if (!s.idp_metadata.empty()) {
        return Status::Error(ErrorKind::kUsage,
                             "SSO_LOGIN_URL names an IP address, so the SP entity ID cannot be derived",
                             "pass --sp-entity-id ID (or set SSO_SP_ENTITY_ID)");
      }
    } else {
      s.sp_entity_id = host.substr(0, host.find('.')) + ".apigee-saml-login";
    }
  }
  std::string base = login_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  s.saml_recipient = flags.saml_recipient ? *flags.saml_recipient
                                          : base + "/oauth/token/alias/" + s.sp_entity_id;
  return s;
}

std::string FindSsoPlugin() {
  if (auto configured = Env("SSOCLI_SSO_PLUGIN")) return *configured;
  char exe[PATH_MAX];
  ssize_t n = ::readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n <= 0) return {};
  exe[n] = '\0';
  std::string dir(exe);
  dir = dir.substr(0, dir.rfind('/'));
  for (const std::string& candidate : {dir + "/" + SSOCLI_PLUGIN_RELPATH, dir + "/sso/" + SSOCLI_SSO_PLUGIN_FILE}) {
    if (::access(candidate.c_str(), R_OK) == 0) return candidate;
  }
  return {};
}

Status PluginBrowserSignIn::Run(const Exchange& exchange) {
  std::string path = FindSsoPlugin();
  if (path.empty()) {
    return Status::Error(ErrorKind::kInternal,
                         std::string("the browser sign-in module ") + SSOCLI_SSO_PLUGIN_FILE + " is not installed",
                         std::string("reinstall ssocli (it belongs in ") + SSOCLI_PLUGIN_RELPATH +
                             " next to the program), or set SSOCLI_SSO_PLUGIN to its path");
  }
  // Loaded for the rest of the process: httplib's threads may outlive a dlclose.
  void* module = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (module == nullptr) {
    const char* why = ::dlerror();
    return Status::Error(ErrorKind::kInternal,
                         "cannot load the browser sign-in module " + path + ": " + (why ? why : "unknown error"),
                         "check that its dependencies are installed (libcpp-httplib, libxmlsec1-openssl)");
  }
  auto run = reinterpret_cast<ssocli_sso_run_fn>(::dlsym(module, SSOCLI_SSO_ENTRY_POINT));
  if (run == nullptr) {
    return Status::Error(ErrorKind::kInternal,
                         "the browser sign-in module " + path + " is from another version of ssocli");
  }
  ssocli_sso_config config = {};
  config.abi_version = SSOCLI_SSO_ABI_VERSION;
  config.login_url = settings_.login_url.c_str();
  config.idp_metadata_path = settings_.idp_metadata.c_str();
  config.sp_entity_id = settings_.sp_entity_id.c_str();
  config.saml_recipient = settings_.saml_recipient.c_str();
  config.port = settings_.port;
  config.timeout_seconds = settings_.timeout_seconds;
  config.browser_command = settings_.browser_command.c_str();
  config.no_browser = settings_.no_browser ? 1 : 0;
  config.stdin_fd = settings_.read_terminal ? STDIN_FILENO : -1;
  config.stderr_fd = STDERR_FILENO;
  config.program = program_.c_str();
  config.verbose = verbose_ ? 1 : 0;
  ssocli_sso_message message = {};
  int code = run(&config, &ExchangeTrampoline, const_cast<Exchange*>(&exchange), &message);
  if (code == SSOCLI_SSO_OK) return Status::Ok();
  message.what[sizeof message.what - 1] = '\0';
  message.hint[sizeof message.hint - 1] = '\0';
  return Status::Error(ErrorKindForExitCode(code), message.what[0] ? message.what : "the browser sign-in failed",
                       message.hint);
}

}  // namespace ssocli
