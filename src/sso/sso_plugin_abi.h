/* The browser sign-in plugin (libssocli_sso.so) and the programs that load it (get_token, acurl).
 *
 * Why a plugin: get_token and acurl sit on every scripted API call and link only libc at load time
 * (docs/performance.md). The browser flow needs an HTTP server (cpp-httplib), OpenSSL and libxmlsec, so
 * it lives in a shared module that the programs dlopen() only when a browser sign-in is really needed.
 *
 * Why a C interface: the programs link libstdc++ statically, the plugin dynamically; nothing C++
 * (objects, exceptions, allocations freed on the other side) may cross. Strings are NUL-terminated
 * UTF-8, owned by the caller, valid for the duration of the call.
 */
#ifndef SSOCLI_SSO_PLUGIN_ABI_H_
#define SSOCLI_SSO_PLUGIN_ABI_H_

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SSOCLI_SSO_ABI_VERSION 1
#define SSOCLI_SSO_ENTRY_POINT "ssocli_sso_run_v1"
#define SSOCLI_SSO_PLUGIN_FILE "libssocli_sso.so"

/* Result codes: the exit-code classes of interface.md that the flow can end with. */
enum ssocli_sso_code {
  SSOCLI_SSO_OK = 0,
  SSOCLI_SSO_USAGE = 10,         /* bad configuration: unreadable/invalid IdP metadata, bad --browser, ... */
  SSOCLI_SSO_MISSING_INPUT = 12, /* a passcode typed empty at the terminal, ... */
  SSOCLI_SSO_INVALID_CHARS = 13, /* passcode with characters outside [0-9A-Za-z_-] */
  SSOCLI_SSO_WRONG_USER = 14,    /* from the exchange callback */
  SSOCLI_SSO_CONNECTION = 21,    /* from the exchange callback */
  SSOCLI_SSO_NO_TOKEN = 22,      /* from the exchange callback */
  SSOCLI_SSO_TIMEOUT = 23,       /* --sso-timeout passed, or the port is busy */
  SSOCLI_SSO_SAML_REJECTED = 24, /* the SAML response failed local validation */
  SSOCLI_SSO_CACHE_DIR = 31,     /* from the exchange callback */
  SSOCLI_SSO_CACHE_WRITE = 32,   /* from the exchange callback */
  SSOCLI_SSO_CACHE_UNSAFE = 33,  /* from the exchange callback */
  SSOCLI_SSO_INTERRUPTED = 130,
  SSOCLI_SSO_INTERNAL = 70
};

/* What was captured, for the exchange. */
enum ssocli_sso_credential_kind {
  SSOCLI_SSO_SAML_ASSERTION = 1, /* base64url (no padding) of the validated, standalone <Assertion> */
  SSOCLI_SSO_PASSCODE = 2        /* a one-time passcode, characters already checked */
};

/* A message for the user: what happened, and what to try (either may be empty). */
typedef struct ssocli_sso_message {
  char what[1024];
  char hint[1024];
} ssocli_sso_message;

typedef struct ssocli_sso_config {
  int abi_version;               /* SSOCLI_SSO_ABI_VERSION */
  const char* login_url;         /* SSO_LOGIN_URL, verbatim */
  const char* idp_metadata_path; /* NULL or "": passcode mode; else SAML mode with this IdP metadata */
  const char* sp_entity_id;      /* SAML mode: Audience and AuthnRequest Issuer */
  const char* saml_recipient;    /* SAML mode: expected bearer Recipient (the token alias URL by default) */
  int port;                      /* 0: any free port */
  int timeout_seconds;           /* give up waiting for the browser (exit 23) */
  const char* browser_command;   /* --browser / $BROWSER; NULL or "": the default chain */
  int no_browser;                /* --no-browser: never launch, print the URL */
  int stdin_fd;                  /* passcode mode: a passcode may be typed here; -1: no terminal answer */
  int stderr_fd;                 /* where to print "Open this URL: ..." and hints */
  const char* program;           /* "get_token" or "acurl", prefixes messages */
  int verbose;                   /* -v: debug lines on stderr_fd (never secrets) */
} ssocli_sso_config;

/* Called once with the captured credential, while the browser waits for its page. Exchanges it at
 * the login server and caches the token. Returns SSOCLI_SSO_OK, or an error code with `out` filled;
 * the plugin shows the outcome to the browser and returns the same code. */
typedef int (*ssocli_sso_exchange_fn)(void* context, int credential_kind, const char* credential,
                                      ssocli_sso_message* out);

/* Runs the whole flow: listen on 127.0.0.1, open the browser (or print the URL), capture a SAML
 * assertion (validated) or a passcode (browser form or terminal, whichever first), call `exchange`,
 * show the success or error page, close the listener. Returns an ssocli_sso_code; on error `out`
 * says why. */
typedef int (*ssocli_sso_run_fn)(const ssocli_sso_config* config, ssocli_sso_exchange_fn exchange,
                                 void* exchange_context, ssocli_sso_message* out);

#ifdef __cplusplus
}
#endif

#endif /* SSOCLI_SSO_PLUGIN_ABI_H_ */
