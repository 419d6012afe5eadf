#include "sso/sso_flow.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <utility>
#include <vector>

#include "core/secret.h"
#include "saml/authn_request.h"
#include "saml/idp_metadata.h"
#include "saml/post_binding.h"
#include "saml/response_validator.h"
#include "sso/flow_state.h"
#include "sso/loopback_listener.h"
#include "sso/sso_pages.h"
#include "sso/terminal_line.h"

namespace ssocli::sso {
namespace {

using Clock = std::chrono::steady_clock;

constexpr char kAcsPath[] = "/saml/acs";
constexpr char kPasscodePath[] = "/passcode";
// A SAMLResponse is usually 5-30 KB; IdPs that put hundreds of groups into it reach a few hundred KB.
// The SAML library's own ceiling is larger (2 MiB); this one keeps a request's memory small.
constexpr size_t kAcsBodyLimit = 1024 * 1024;
constexpr size_t kPasscodeBodyLimit = 4 * 1024;
constexpr size_t kMaxIdpMetadataBytes = 4 * 1024 * 1024;
// How often a browser launcher is checked for an early failure while waiting.
constexpr int kLauncherPollMs = 100;

// The wake-up pipe between the listener's threads and the flow's thread (which polls it together with
// the terminal).
class WakePipe {
 public:
  WakePipe() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC | O_NONBLOCK) == 0) {
      read_fd_ = fds[0];
      write_fd_ = fds[1];
    }
  }
  ~WakePipe() {
    if (read_fd_ >= 0) ::close(read_fd_);
    if (write_fd_ >= 0) ::close(write_fd_);
  }
  WakePipe(const WakePipe&) = delete;
  WakePipe& operator=(const WakePipe&) = delete;

  bool ok() const { return read_fd_ >= 0; }
  int read_fd() const { return read_fd_; }
  void Wake() const {
    const char c = 'w';
    ssize_t ignored = ::write(write_fd_, &c, 1);  // a full pipe is already awake
    (void)ignored;
  }
  void Drain() const {
    char buf[64];
    while (::read(read_fd_, buf, sizeof(buf)) > 0) {
    }
  }

 private:
  int read_fd_ = -1;
  int write_fd_ = -1;
};

// httplib ignores SIGPIPE for the whole process when a server is made; the caller gets its own
// disposition back when the flow is over.
class SigpipeRestorer {
 public:
  SigpipeRestorer() { saved_ok_ = ::sigaction(SIGPIPE, nullptr, &saved_) == 0; }
  ~SigpipeRestorer() {
    if (saved_ok_) ::sigaction(SIGPIPE, &saved_, nullptr);
  }
  SigpipeRestorer(const SigpipeRestorer&) = delete;
  SigpipeRestorer& operator=(const SigpipeRestorer&) = delete;

 private:
  struct sigaction saved_ = {};
  bool saved_ok_ = false;
};

std::string Seconds(std::chrono::milliseconds d) {
  if (d.count() % 1000 == 0) return std::to_string(d.count() / 1000) + " s";
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.1f s", static_cast<double>(d.count()) / 1000.0);
  return buf;
}

// The value of `name` when it appears exactly once (a repeated field is ambiguous: refused).
std::optional<std::string> SingleField(const FormFields& fields, std::string_view name) {
  std::optional<std::string> found;
  for (const auto& [key, value] : fields) {
    if (key != name) continue;
    if (found) return std::nullopt;
    found = value;
  }
  return found;
}

Result<saml::IdpConfig> LoadIdpMetadata(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Status::Error(ErrorKind::kUsage,
                         "cannot read the IdP metadata file " + path + ": " + ::strerror(errno),
                         "give --idp-metadata (or SSO_IDP_METADATA) the metadata XML exported from the IdP");
  }
  std::string xml;
  char buf[65536];
  while (in.read(buf, sizeof(buf)) || in.gcount() > 0) {
    xml.append(buf, static_cast<size_t>(in.gcount()));
    if (xml.size() > kMaxIdpMetadataBytes) {
      return Status::Error(ErrorKind::kUsage,
                           "the IdP metadata file " + path + " is larger than " +
                               std::to_string(kMaxIdpMetadataBytes / (1024 * 1024)) + " MiB",
                           "export the metadata of this one IdP (not a federation's aggregate)");
    }
  }
  auto idp = saml::ParseIdpMetadata(xml);
  if (!idp.ok()) {
    return Status::Error(ErrorKind::kUsage,
                         "the IdP metadata in " + path + " is not usable: " + idp.status().message(),
                         idp.status().hint());
  }
  if (idp->sso_redirect_url.empty()) {
    return Status::Error(
        ErrorKind::kUsage,
        "the IdP metadata in " + path + " has no SingleSignOnService with the HTTP-Redirect binding",
        "enable the HTTP-Redirect binding for the SAML app at the IdP and export its metadata again");
  }
  return idp;
}

const char* ExchangeErrorTitle(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kConnection:
      return "Cannot reach the login server";
    case ErrorKind::kNoToken:
      return "The login server refused the sign-in";
    case ErrorKind::kWrongUser:
      return "Signed in as another user";
    case ErrorKind::kCacheDir:
    case ErrorKind::kCacheWrite:
    case ErrorKind::kCacheUnsafe:
      return "Cannot store the token";
    default:
      return "Sign-in failed";
  }
}

int ExchangeErrorStatus(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kConnection:
    case ErrorKind::kNoToken:
      return 502;
    case ErrorKind::kWrongUser:
      return 403;
    default:
      return 500;
  }
}

// A capture handed from a listener thread to the flow's thread; the browser's page comes back.
struct PendingCapture {
  CredentialKind kind;
  std::string payload;  // SAML mode: the decoded Response XML; passcode mode: the passcode
  std::promise<LoopbackReply> reply;
};

class FlowRun {
 public:
  FlowRun(const SsoFlowConfig& config, const SsoFlowDeps& deps, const SsoExchange& exchange)
      : config_(config), deps_(deps), exchange_(exchange), saml_mode_(!config.idp_metadata_path.empty()) {}

  Status Run();

 private:
  Status CheckConfig() const;
  LoopbackReply Handle(const LoopbackRequest& r);
  LoopbackReply HandleStart(const LoopbackRequest& r);
  LoopbackReply HandleAcs(const LoopbackRequest& r);
  LoopbackReply HandlePasscode(const LoopbackRequest& r);
  LoopbackReply Capture(CredentialKind kind, std::string payload);
  Status Wait();
  Status FinishBrowser(PendingCapture capture);
  Status FinishTerminal(std::string line);
  Status Exchange(CredentialKind kind, std::string& credential);

  void StartBrowser();
  void AnnounceUrl();
  std::string PasscodeUrl() const { return config_.login_url + kPasscodePath; }

  LoopbackReply Error(int status, std::string_view title, std::string_view what,
                      std::string_view next) const {
    return LoopbackReply::Page(status, ErrorPage(config_.program, title, what, next));
  }
  LoopbackReply NotFound() const {
    return Error(404, "Page not found", "This address is not part of the sign-in.",
                 "Go back to the terminal and open the URL " + config_.program + " printed.");
  }
  LoopbackReply MethodNotAllowed(const char* allow) const {
    LoopbackReply reply = Error(405, "Method not allowed", "This page does not take that kind of request.",
                                "Open the URL " + config_.program + " printed in the terminal.");
    reply.allow = allow;
    return reply;
  }
  LoopbackReply WrongState(std::string_view what) const {
    return Error(400, "This link does not belong to the waiting sign-in", what,
                 "Use the URL " + config_.program +
                     " printed in the terminal; if it has ended, run it again to start a new sign-in.");
  }
  LoopbackReply AlreadyAnswered() const {
    return Error(409, "Sign-in already answered",
                 "This sign-in has already received its answer (from another tab, or typed at the terminal).",
                 "Look at the terminal for the outcome; you can close this tab.");
  }

  void Say(std::string_view line) const;
  void Debug(std::string_view line) const {
    if (config_.verbose) Say(config_.program + ": " + std::string(line));
  }

  const SsoFlowConfig& config_;
  const SsoFlowDeps& deps_;
  const SsoExchange& exchange_;
  const bool saml_mode_;

  std::optional<saml::IdpConfig> idp_;
  std::unique_ptr<FlowState> state_;
  std::optional<saml::AuthnRequest> authn_;
  int port_ = 0;
  std::string acs_url_;
  std::string start_url_;
  std::atomic<bool> published_{false};  // everything above is set (before the start URL is known)

  WakePipe wake_;
  std::mutex mu_;
  std::optional<PendingCapture> pending_;
  std::atomic<bool> shutting_down_{false};

  std::unique_ptr<TerminalLine> terminal_;  // passcode mode: a passcode typed at the terminal
  std::unique_ptr<BrowserLauncher> launcher_;
  BrowserPlan plan_;
  bool url_announced_ = false;
};

void FlowRun::Say(std::string_view text) const {
  if (config_.stderr_fd < 0) return;
  std::string line(text);
  line += '\n';
  size_t done = 0;
  while (done < line.size()) {
    ssize_t n = ::write(config_.stderr_fd, line.data() + done, line.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    done += static_cast<size_t>(n);
  }
}

Status FlowRun::CheckConfig() const {
  if (deps_.clock == nullptr) return Status::Error(ErrorKind::kInternal, "the sign-in flow has no clock");
  if (config_.timeout.count() <= 0) {
    return Status::Error(ErrorKind::kUsage, "--sso-timeout must be a positive number of seconds");
  }
  if (saml_mode_) {
    if (config_.sp_entity_id.empty()) {
      return Status::Error(ErrorKind::kUsage, "SAML sign-in needs the SP entity ID", "give --sp-entity-id");
    }
    if (config_.saml_recipient.empty()) {
      return Status::Error(ErrorKind::kUsage, "SAML sign-in needs the expected Recipient",
                           "give --saml-recipient (by default the login server's token alias URL)");
    }
  } else if (config_.login_url.empty()) {
    return Status::Error(ErrorKind::kUsage, "passcode sign-in needs SSO_LOGIN_URL for the passcode page");
  }
  auto words = SplitShellWords(config_.browser_command);
  if (!words.ok()) {
    return Status::Error(ErrorKind::kUsage, "--browser: " + words.status().message(), words.status().hint());
  }
  return Status::Ok();
}

Status FlowRun::Run() {
  Status ok = CheckConfig();
  if (!ok.ok()) return ok;
  if (saml_mode_) {
    auto idp = LoadIdpMetadata(config_.idp_metadata_path);
    if (!idp.ok()) return idp.status();
    idp_ = std::move(idp.value());
  }
  if (!wake_.ok()) {
    return Status::Error(ErrorKind::kInternal, std::string("cannot make a pipe: ") + ::strerror(errno));
  }
  auto state = NewFlowState();
  if (!state.ok()) return state.status();

  SigpipeRestorer sigpipe;  // outlives the listener
  LoopbackOptions options;
  options.port = config_.port;
  if (saml_mode_) {
    options.form_routes[kAcsPath] = kAcsBodyLimit;
  } else {
    options.form_routes[kPasscodePath] = kPasscodeBodyLimit;
  }
  options.error_page = [this](int, std::string_view title, std::string_view what) {
    return ErrorPage(config_.program, title, what, {});
  };
  if (config_.verbose) {
    options.log = [this](std::string_view line) { Debug("browser request: " + std::string(line)); };
  }
  auto listener = LoopbackListener::Start(options, [this](const LoopbackRequest& r) { return Handle(r); });
  if (!listener.ok()) return listener.status();
  const std::string origin = (*listener)->origin();
  port_ = (*listener)->port();
  Debug("listening on " + origin);

  std::optional<std::string> request_id;
  if (saml_mode_) {
    acs_url_ = origin + kAcsPath;
    saml::AuthnRequestParams params;
    params.sp_entity_id = config_.sp_entity_id;
    params.acs_url = acs_url_;
    params.idp_sso_url = idp_->sso_redirect_url;
    params.relay_state = *state;
    auto authn = saml::BuildAuthnRequest(params, saml::NewRequestId(), deps_.clock->Now());
    if (!authn.ok()) {
      return Status::Error(ErrorKind::kUsage,
                           "cannot make the SAML AuthnRequest: " + authn.status().message(),
                           authn.status().hint());
    }
    authn_ = std::move(authn.value());
    request_id = authn_->id;
    Debug("SAML AuthnRequest " + authn_->id + " for " + idp_->entity_id + ", ACS " + acs_url_);
  }
  start_url_ = origin + "/?state=" + *state;
  state_ = std::make_unique<FlowState>(std::move(state.value()), std::move(request_id));
  published_.store(true, std::memory_order_release);
  if (deps_.on_listening) deps_.on_listening(start_url_);

  // However the wait ends (an answer, the timeout, an exception): a browser still waiting for its page
  // gets one, the outcome page in flight is written, and the listener closes (a later connection is
  // refused) before this returns.
  struct Closer {
    FlowRun* run;
    LoopbackListener* listener;
    ~Closer() {
      run->shutting_down_ = true;
      {
        std::lock_guard<std::mutex> lock(run->mu_);
        run->pending_.reset();
      }
      listener->Stop();
    }
  } closer{this, listener->get()};

  terminal_ = std::make_unique<TerminalLine>(saml_mode_ ? -1 : config_.stdin_fd);
  StartBrowser();
  return Wait();
}

void FlowRun::StartBrowser() {
  auto plan = PlanBrowserLaunch(config_.browser_command, config_.no_browser, deps_.browser_env, start_url_);
  if (plan.ok()) plan_ = std::move(plan.value());  // checked in CheckConfig: cannot fail here
  const std::string waiting = "waiting up to " + Seconds(config_.timeout) + " (Ctrl-C to cancel)";
  const bool terminal = terminal_->active();
  if (plan_.commands.empty()) {
    Debug("no browser launched: " + plan_.skipped_because);
    AnnounceUrl();
  } else {
    launcher_ = std::make_unique<BrowserLauncher>(plan_, BrowserChildEnvironment(deps_.browser_env.vars));
    BrowserLauncher::State s = launcher_->Start();
    Debug("browser: " + launcher_->last_result());
    if (s == BrowserLauncher::State::kFailed) {
      Say(config_.program + ": could not open a browser (" + launcher_->last_result() + ")");
      AnnounceUrl();
    } else {
      Say(config_.program + ": opened a browser to sign in; " + waiting);
      Say(config_.program + ": if no browser appears, open " + start_url_);
    }
  }
  if (terminal) {
    Say(config_.program + ": or type the passcode from " + PasscodeUrl() + " here and press ENTER:");
  }
}

void FlowRun::AnnounceUrl() {
  if (url_announced_) return;
  url_announced_ = true;
  Say("Open this URL: " + start_url_);
  if (plan_.remote_session) {
    const std::string port = std::to_string(port_);
    const std::string host = deps_.browser_env.hostname.empty() ? "<this host>" : deps_.browser_env.hostname;
    Say(config_.program +
        ": this is a remote session: forward the port from your own computer first, then open "
        "the URL there:  ssh -L " +
        port + ":127.0.0.1:" + port + " " + host);
  }
  Say(config_.program + ": waiting up to " + Seconds(config_.timeout) +
      " for the sign-in (Ctrl-C to cancel)");
}

LoopbackReply FlowRun::Handle(const LoopbackRequest& r) {
  if (!published_.load(std::memory_order_acquire)) {
    return Error(503, "Not ready", "The sign-in is starting.", "Reload the page in a moment.");
  }
  if (r.path == "/") {
    if (r.method != "GET" && r.method != "HEAD") return MethodNotAllowed("GET, HEAD");
    return HandleStart(r);
  }
  if (saml_mode_ && r.path == kAcsPath) {
    if (r.method != "POST") return MethodNotAllowed("POST");
    return HandleAcs(r);
  }
  if (!saml_mode_ && r.path == kPasscodePath) {
    if (r.method != "POST") return MethodNotAllowed("POST");
    return HandlePasscode(r);
  }
  return NotFound();
}

LoopbackReply FlowRun::HandleStart(const LoopbackRequest& r) {
  std::optional<std::string> state = SingleField(r.query, "state");
  if (!state || !state_->Matches(*state)) {
    return WrongState("The address lacks this sign-in's state, or carries another one (an old link?).");
  }
  if (state_->claimed_by() != Answerer::kNone) return AlreadyAnswered();
  if (saml_mode_) return LoopbackReply::Redirect(authn_->redirect_url);
  return LoopbackReply::Page(200, PasscodeStartPage(config_.program, PasscodeUrl(), *state));
}

LoopbackReply FlowRun::HandleAcs(const LoopbackRequest& r) {
  std::optional<std::string> relay = SingleField(r.form, "RelayState");
  if (!relay || !state_->Matches(*relay)) {
    return WrongState(
        "This SAML response does not carry the RelayState of the waiting sign-in: it answers another "
        "request, or the sign-in was started at the IdP (IdP-initiated sign-in is not supported).");
  }
  std::optional<std::string> value = SingleField(r.form, "SAMLResponse");
  if (!value || value->empty()) {
    return Error(400, "No SAML response", "The form posted here has no (single) SAMLResponse field.",
                 "Sign in again from the terminal's URL; if this repeats, the IdP's app is misconfigured.");
  }
  auto xml = saml::DecodePostBindingValue(*value);
  WipeString(*value);
  if (!xml.ok()) {
    return Error(400, "Unreadable SAML response", xml.status().message(),
                 "Sign in again from the terminal's URL; if this repeats, the IdP's app is misconfigured.");
  }
  return Capture(CredentialKind::kSamlAssertion, std::move(xml.value()));
}

LoopbackReply FlowRun::HandlePasscode(const LoopbackRequest& r) {
  std::optional<std::string> state = SingleField(r.form, "state");
  if (!state || !state_->Matches(*state)) {
    return WrongState("The form does not carry this sign-in's state (a page from an earlier sign-in?).");
  }
  if (state_->claimed_by() != Answerer::kNone) return AlreadyAnswered();
  std::optional<std::string> passcode = SingleField(r.form, "passcode");
  std::string notice;
  if (!passcode || passcode->empty()) {
    notice = "No passcode was entered. Get one from the link below and paste it into the field.";
  } else if (!IsValidPasscode(*passcode)) {
    notice = "That passcode has characters other than letters, digits, _ and -. Copy it again (no spaces).";
  }
  if (!notice.empty()) {
    if (passcode) WipeString(*passcode);
    return LoopbackReply::Page(400, PasscodeStartPage(config_.program, PasscodeUrl(), *state, notice));
  }
  return Capture(CredentialKind::kPasscode, std::move(*passcode));
}

LoopbackReply FlowRun::Capture(CredentialKind kind, std::string payload) {
  if (!state_->Claim(Answerer::kBrowser)) {
    WipeString(payload);
    return AlreadyAnswered();
  }
  std::future<LoopbackReply> reply;
  {
    std::lock_guard<std::mutex> lock(mu_);
    pending_.emplace(PendingCapture{kind, std::move(payload), {}});
    reply = pending_->reply.get_future();
  }
  wake_.Wake();
  while (reply.wait_for(std::chrono::milliseconds(100)) != std::future_status::ready) {
    if (shutting_down_) {
      return Error(500, "Sign-in interrupted", "The sign-in ended before this answer was used.",
                   "Look at the terminal; run the command again if needed.");
    }
  }
  try {
    return reply.get();
  } catch (const std::future_error&) {
    return Error(500, "Internal error", "The sign-in failed while handling this answer.",
                 "Look at the terminal.");
  }
}

Status FlowRun::Wait() {
  const Clock::time_point deadline = Clock::now() + config_.timeout;
  TerminalLine& terminal = *terminal_;
  bool browser_answered = false;  // the browser claimed the answer: its capture is on its way
  while (true) {
    if (launcher_ && launcher_->running()) {
      BrowserLauncher::State s = launcher_->Poll();
      if (s != BrowserLauncher::State::kRunning) Debug("browser: " + launcher_->last_result());
      if (s == BrowserLauncher::State::kFailed && !url_announced_) {
        Say(config_.program + ": could not open a browser (" + launcher_->last_result() + ")");
        AnnounceUrl();
      }
    }
    struct pollfd fds[2] = {{wake_.read_fd(), POLLIN, 0}, {terminal.fd(), POLLIN, 0}};
    nfds_t nfds = (terminal.active() && !browser_answered) ? 2 : 1;
    int timeout_ms = -1;
    if (!browser_answered) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
      timeout_ms = static_cast<int>(std::max<int64_t>(0, std::min<int64_t>(left + 1, 60 * 60 * 1000)));
    }
    if (launcher_ && launcher_->running()) {
      timeout_ms = timeout_ms < 0 ? kLauncherPollMs : std::min(timeout_ms, kLauncherPollMs);
    }
    int n = ::poll(fds, nfds, timeout_ms);
    if (n < 0 && errno != EINTR) {
      return Status::Error(ErrorKind::kInternal, std::string("poll failed: ") + ::strerror(errno));
    }
    if (n > 0 && fds[0].revents != 0) {
      wake_.Drain();
      std::optional<PendingCapture> capture;
      {
        std::lock_guard<std::mutex> lock(mu_);
        capture.swap(pending_);
      }
      if (capture) return FinishBrowser(std::move(*capture));
    }
    if (n > 0 && nfds == 2 && fds[1].revents != 0) {
      switch (terminal.OnReadable()) {
        case TerminalLine::Event::kLine:
          if (state_->Claim(Answerer::kTerminal)) return FinishTerminal(terminal.TakeLine());
          terminal.TakeLine();  // wiped: the browser was first
          browser_answered = true;
          break;
        case TerminalLine::Event::kTooLong:
          if (state_->Claim(Answerer::kTerminal)) {
            return Status::Error(ErrorKind::kInvalidChars,
                                 "the passcode typed at the terminal is far too long",
                                 "copy the passcode again from " + PasscodeUrl());
          }
          browser_answered = true;
          break;
        case TerminalLine::Event::kEnd:
          Debug("end of input on stdin: waiting for the browser only");
          break;
        case TerminalLine::Event::kNone:
          break;
      }
    }
    if (!browser_answered && Clock::now() >= deadline) {
      if (state_->Claim(Answerer::kTimeout)) {
        std::string hint = saml_mode_
                               ? "run it again and finish the sign-in at the IdP within the time, or allow "
                                 "more with --sso-timeout"
                               : "run it again and finish the sign-in in the browser within the time (or "
                                 "type the passcode from " +
                                     PasscodeUrl() + " at the prompt), or allow more with --sso-timeout";
        if (!url_announced_) hint += "; if no browser appeared, use --no-browser and open the URL it prints";
        if (plan_.remote_session) hint += "; on a remote host, forward the port with ssh -L first";
        return Status::Error(ErrorKind::kSsoTimeout,
                             "no browser sign-in within " + Seconds(config_.timeout) + " (gave up waiting)",
                             hint);
      }
      browser_answered = true;
    }
  }
}

Status FlowRun::Exchange(CredentialKind kind, std::string& credential) {
  Debug(kind == CredentialKind::kSamlAssertion ? "exchanging the SAML assertion at the login server"
                                               : "exchanging the passcode at the login server");
  Status result = exchange_(kind, credential);
  WipeString(credential);
  Debug(result.ok() ? "the login server issued a token" : "the exchange failed: " + result.message());
  return result;
}

Status FlowRun::FinishBrowser(PendingCapture capture) {
  std::string credential;
  if (capture.kind == CredentialKind::kSamlAssertion) {
    saml::ResponseExpectations want;
    want.idp_certificates = idp_->signing_certificates;
    want.idp_entity_id = idp_->entity_id;
    want.audience = config_.sp_entity_id;
    want.recipient = config_.saml_recipient;
    want.destinations = {acs_url_, config_.saml_recipient};
    // Consumed once: a second response can only be refused.
    want.in_response_to = state_->ConsumeRequestId();
    want.acs_url = acs_url_;
    want.clock = deps_.clock;
    want.skew_seconds = deps_.saml_skew_seconds;
    if (!want.in_response_to) want.in_response_to = "(an AuthnRequest already answered)";
    auto validated = saml::ValidateResponse(capture.payload, want);
    WipeString(capture.payload);
    if (!validated.ok()) {
      const Status& why = validated.status();
      if (why.kind() != ErrorKind::kSamlRejected) {
        capture.reply.set_value(Error(500, "Internal error", why.message(), "Look at the terminal."));
        return Status::Error(ErrorKind::kInternal, "SAML validation failed: " + why.message());
      }
      std::string next = why.hint();
      if (!next.empty() && next.back() != '.') next += '.';
      next += (next.empty() ? "" : " ") + std::string("Nothing was sent to the login server. Run ") +
              config_.program +
              " again to retry; if this repeats, show this message to your IdP administrator.";
      capture.reply.set_value(Error(403, "The SAML response was rejected", why.message(), next));
      return Status::Error(ErrorKind::kSamlRejected, "the SAML response was rejected: " + why.message(),
                           why.hint());
    }
    Debug("SAML response valid: NameID \"" + validated->name_id + "\", assertion " + validated->assertion_id);
    credential = std::move(validated->bearer_assertion);
    WipeString(validated->assertion_xml);
  } else {
    credential = std::move(capture.payload);
  }
  Status result = Exchange(capture.kind, credential);
  if (result.ok()) {
    capture.reply.set_value(LoopbackReply::Page(200, SuccessPage(config_.program)));
  } else {
    std::string next = result.hint();
    if (next.empty()) next = "Run " + config_.program + " again; the terminal shows the same message.";
    capture.reply.set_value(
        Error(ExchangeErrorStatus(result.kind()), ExchangeErrorTitle(result.kind()), result.message(), next));
  }
  return result;
}

Status FlowRun::FinishTerminal(std::string line) {
  if (line.empty()) {
    return Status::Error(ErrorKind::kMissingInput, "no passcode was typed",
                         "get a passcode from " + PasscodeUrl() + ", or finish the sign-in in the browser");
  }
  if (!IsValidPasscode(line)) {
    WipeString(line);
    return Status::Error(ErrorKind::kInvalidChars,
                         "the passcode typed has characters other than letters, digits, _ and -",
                         "copy it again from " + PasscodeUrl() + " (no spaces)");
  }
  Debug("passcode typed at the terminal");
  return Exchange(CredentialKind::kPasscode, line);
}

}  // namespace

bool IsValidPasscode(std::string_view passcode) {
  if (passcode.empty()) return false;
  for (char c : passcode) {
    bool ok =
        (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

Status RunSsoFlow(const SsoFlowConfig& config, const SsoFlowDeps& deps, const SsoExchange& exchange) {
  if (!exchange) return Status::Error(ErrorKind::kInternal, "the sign-in flow has no exchange");
  FlowRun run(config, deps, exchange);
  return run.Run();
}

}  // namespace ssocli::sso
