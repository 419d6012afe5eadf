#include "cli/saml_verify_command.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

#include "core/clock.h"
#include "core/status.h"
#include "saml/idp_metadata.h"
#include "saml/post_binding.h"
#include "saml/response_validator.h"
#include "saml/saml_time.h"

namespace ssocli {
namespace {

constexpr int kExitValid = 0;
constexpr int kExitInvalid = 1;
constexpr int kExitUsage = 10;
constexpr char kProgram[] = "ssocli saml verify";

const char* kHelp =
    R"(Usage: ssocli saml verify (--idp-cert FILE | --idp-metadata FILE) --audience ID --recipient URL
                         [--destination URL] [--in-response-to ID] [--issuer ID]
                         [--now RFC3339] [--skew S] [--allow-sha1] FILE|-

Validates a SAML 2.0 Response the way `get_token --sso` does before it forwards the assertion to the
login server (STRICT policy, see docs/saml.md), and prints what the login server would get.

Input (FILE, or - for stdin): the Response XML when it starts with '<' (after an optional byte-order
mark and blanks), otherwise the SAMLResponse form value (base64; line breaks allowed). At most 1 MiB.

Trust:
  --idp-cert FILE       the IdP's signing certificate(s), PEM; several blocks for a key rollover
  --idp-metadata FILE   the IdP's SAML 2.0 metadata: its signing certificates and entityID
Expectations (a check is skipped when its option is not given, except --issuer):
  --audience ID         our SP entity ID; every AudienceRestriction must contain it   (required)
  --recipient URL       the bearer SubjectConfirmationData Recipient                  (required)
                        get_token expects the token alias URL
                        ${SSO_LOGIN_URL}/oauth/token/alias/<SP entity ID>, not the ACS URL
  --destination URL     the Response Destination (always required when the Response is signed)
  --in-response-to ID   the AuthnRequest ID; then InResponseTo is required on the Response and
                        on the SubjectConfirmationData
  --issuer ID           the IdP entity ID both Issuers must equal; default: the metadata's entityID
                        (not checked with --idp-cert and no --issuer)
Evaluation:
  --now RFC3339         evaluate at this instant (e.g. 2024-01-01T12:00:00Z) instead of now
  --skew S              allowed clock difference with the IdP, seconds, 0-3600 (default 60)
  --allow-sha1          accept RSA-SHA1 signatures and SHA-1 digests (legacy IdPs; weaker)
  -h, --help            this help

Output when valid: one JSON object on stdout with name_id, issuer (the Assertion's), assertion_id,
not_on_or_after (the earliest of Conditions and the bearer confirmation, RFC 3339 UTC) and
attributes ({"Name": ["value", ...]}).

Exit: 0 valid; 1 invalid, empty or undecodable (the reason on stderr, one line); 10 usage error.
)";

int UsageError(const std::string& message) {
  std::fprintf(stderr, "%s: %s\n  see %s --help\n", kProgram, message.c_str(), kProgram);
  return kExitUsage;
}

// One line on stderr: the reason and, when there is one, what to do.
int Invalid(const Status& status, bool allow_sha1) {
  std::string line = std::string(kProgram) + ": " + status.message();
  std::string hint = status.hint();
  if (!allow_sha1 && status.message().find("SHA-1") != std::string::npos) {
    hint = "configure the IdP to use RSA-SHA256, or pass --allow-sha1 to accept SHA-1";
  }
  if (!hint.empty()) line += "; " + hint;
  for (char& c : line) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  line += '\n';
  std::fputs(line.c_str(), stderr);
  return kExitInvalid;
}

struct Fd {
  int fd = -1;
  bool owned = false;
  ~Fd() {
    if (owned && fd >= 0) ::close(fd);
  }
};

// Reads at most `limit` + 1 bytes of `path` ("-" is stdin), so an oversized input is seen as such
// without reading all of it. nullopt with `error` set when the file cannot be read.
std::optional<std::string> ReadBounded(const std::string& path, size_t limit, std::string* error) {
  Fd f;
  if (path == "-") {
    f.fd = STDIN_FILENO;
  } else {
    f.fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    f.owned = true;
    if (f.fd < 0) {
      *error = "cannot read " + path + ": " + std::strerror(errno);
      return std::nullopt;
    }
  }
  std::string data;
  char buf[65536];
  while (data.size() <= limit) {
    ssize_t n = ::read(f.fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      *error = "cannot read " + (path == "-" ? std::string("stdin") : path) + ": " + std::strerror(errno);
      return std::nullopt;
    }
    if (n == 0) break;
    data.append(buf, static_cast<size_t>(n));
  }
  return data;
}

struct Options {
  std::string idp_cert;
  std::string idp_metadata;
  std::string audience;
  std::string recipient;
  std::optional<std::string> destination;
  std::optional<std::string> in_response_to;
  std::optional<std::string> issuer;
  std::optional<std::string> now;
  std::optional<std::string> skew;
  bool allow_sha1 = false;
  std::optional<std::string> input;
};

}  // namespace

int SamlVerifyCommand(const std::vector<std::string>& args) {
  Options o;
  static const char* const kValued[] = {"--idp-cert",  "--idp-metadata", "--audience",
                                        "--recipient", "--destination",  "--in-response-to",
                                        "--issuer",    "--now",          "--skew"};
  bool options_done = false;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string arg = args[i];
    if (options_done || arg == "-" || arg.empty() || arg[0] != '-') {
      if (o.input) return UsageError("more than one input file given");
      o.input = arg;
      continue;
    }
    if (arg == "--") {
      options_done = true;
      continue;
    }
    if (arg == "-h" || arg == "--help") {
      std::fputs(kHelp, stdout);
      return 0;
    }
    if (arg == "--allow-sha1") {
      o.allow_sha1 = true;
      continue;
    }
    std::string name = arg;
    std::optional<std::string> value;
    if (size_t eq = arg.find('='); eq != std::string::npos && arg.rfind("--", 0) == 0) {
      name = arg.substr(0, eq);
      value = arg.substr(eq + 1);
    }
    bool known = false;
    for (const char* v : kValued) known = known || name == v;
    if (!known) return UsageError("unknown option " + name);
    if (!value) {
      if (i + 1 >= args.size()) return UsageError(name + " needs a value");
      value = args[++i];
    }
    if (value->empty()) return UsageError(name + " needs a non-empty value");
    if (name == "--idp-cert")
      o.idp_cert = *value;
    else if (name == "--idp-metadata")
      o.idp_metadata = *value;
    else if (name == "--audience")
      o.audience = *value;
    else if (name == "--recipient")
      o.recipient = *value;
    else if (name == "--destination")
      o.destination = *value;
    else if (name == "--in-response-to")
      o.in_response_to = *value;
    else if (name == "--issuer")
      o.issuer = *value;
    else if (name == "--now")
      o.now = *value;
    else if (name == "--skew")
      o.skew = *value;
  }

  if (o.idp_cert.empty() == o.idp_metadata.empty())
    return UsageError("give exactly one of --idp-cert and --idp-metadata");
  if (o.audience.empty()) return UsageError("--audience is required (our SP entity ID)");
  if (o.recipient.empty())
    return UsageError("--recipient is required (the expected SubjectConfirmationData Recipient)");
  if (!o.input) return UsageError("no input: give a FILE, or - for stdin");

  SystemClock system_clock;
  std::optional<FixedClock> fixed_clock;
  if (o.now) {
    std::optional<int64_t> ms = saml::ParseRfc3339(*o.now);
    if (!ms) return UsageError("--now " + *o.now + " is not an RFC 3339 instant (e.g. 2024-01-01T12:00:00Z)");
    int64_t secs = *ms / 1000 - (*ms % 1000 < 0 ? 1 : 0);
    fixed_clock.emplace(secs);
  }
  int64_t skew = 60;
  if (o.skew) {
    const std::string& s = *o.skew;
    if (s.size() > 4 || s.find_first_not_of("0123456789") != std::string::npos || std::stoll(s) > 3600) {
      return UsageError("--skew " + s + " is not a number of seconds from 0 to 3600");
    }
    skew = std::stoll(s);
  }

  saml::ResponseExpectations want;
  std::string error;
  if (!o.idp_metadata.empty()) {
    auto text = ReadBounded(o.idp_metadata, saml::kMaxFormValueBytes, &error);
    if (!text) return UsageError("--idp-metadata: " + error);
    auto idp = saml::ParseIdpMetadata(*text);
    if (!idp.ok()) return UsageError("--idp-metadata " + o.idp_metadata + ": " + idp.status().message());
    want.idp_certificates = idp->signing_certificates;
    want.idp_entity_id = idp->entity_id;
  } else {
    auto text = ReadBounded(o.idp_cert, saml::kMaxFormValueBytes, &error);
    if (!text) return UsageError("--idp-cert: " + error);
    auto idp = saml::IdpConfigFromPem(*text);
    if (!idp.ok()) {
      std::string extra = text->find("EntityDescriptor") != std::string::npos
                              ? " (this looks like metadata: use --idp-metadata)"
                              : "";
      return UsageError("--idp-cert " + o.idp_cert + ": " + idp.status().message() + extra);
    }
    want.idp_certificates = idp->signing_certificates;
  }
  if (o.issuer) want.idp_entity_id = *o.issuer;
  want.audience = o.audience;
  want.recipient = o.recipient;
  if (o.destination) want.destinations.push_back(*o.destination);
  want.in_response_to = o.in_response_to;
  want.clock = fixed_clock ? static_cast<const Clock*>(&*fixed_clock) : &system_clock;
  want.skew_seconds = skew;
  want.allow_sha1 = o.allow_sha1;

  auto input = ReadBounded(*o.input, saml::kMaxFormValueBytes, &error);
  if (!input) return UsageError(error);
  auto xml = saml::DecodeResponseInput(*input);
  if (!xml.ok()) return Invalid(xml.status(), o.allow_sha1);
  auto result = saml::ValidateResponse(*xml, want);
  if (!result.ok()) {
    if (result.status().kind() == ErrorKind::kUsage) return UsageError(result.status().message());
    return Invalid(result.status(), o.allow_sha1);
  }

  nlohmann::ordered_json out;
  out["name_id"] = result->name_id;
  out["issuer"] = result->issuer;
  out["assertion_id"] = result->assertion_id;
  out["not_on_or_after"] = saml::FormatRfc3339Utc(result->not_on_or_after_ms);
  nlohmann::ordered_json attributes = nlohmann::ordered_json::object();
  for (const auto& [name, values] : result->attributes) attributes[name] = values;
  out["attributes"] = attributes;
  std::string text = out.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
  std::fputs(text.c_str(), stdout);
  return kExitValid;
}

}  // namespace ssocli
