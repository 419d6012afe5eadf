// libssocli_sso.so as get_token and acurl use it: dlopen(), the entry point, the C structures.
#include <dlfcn.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <cstring>
#include <string>
#include <vector>

#include "sso/sso_plugin_abi.h"
#include "support/process.h"

namespace {

struct Recorded {
  int calls = 0;
  int kind = 0;
  std::string credential;
  int answer = SSOCLI_SSO_OK;
  std::string what;
  std::string hint;
};

int RecordingExchange(void* context, int kind, const char* credential, ssocli_sso_message* out) {
  auto* r = static_cast<Recorded*>(context);
  ++r->calls;
  r->kind = kind;
  r->credential = credential;
  if (r->answer != SSOCLI_SSO_OK) {
    std::snprintf(out->what, sizeof(out->what), "%s", r->what.c_str());
    std::snprintf(out->hint, sizeof(out->hint), "%s", r->hint.c_str());
  }
  return r->answer;
}

class SsoPlugin : public ::testing::Test {
 protected:
  void SetUp() override {
    handle_ = ::dlopen(SSOCLI_SSO_PLUGIN, RTLD_NOW | RTLD_LOCAL);
    ASSERT_NE(handle_, nullptr) << ::dlerror();
    run_ = reinterpret_cast<ssocli_sso_run_fn>(::dlsym(handle_, SSOCLI_SSO_ENTRY_POINT));
    ASSERT_NE(run_, nullptr) << ::dlerror();
    int in[2], err[2];
    ASSERT_EQ(::pipe(in), 0);
    ASSERT_EQ(::pipe(err), 0);
    in_r_ = in[0];
    in_w_ = in[1];
    err_r_ = err[0];
    err_w_ = err[1];
    config_ = {};
    config_.abi_version = SSOCLI_SSO_ABI_VERSION;
    config_.login_url = "https://login.test";
    config_.port = 0;
    config_.timeout_seconds = 20;
    config_.no_browser = 1;
    config_.stdin_fd = in_r_;
    config_.stderr_fd = err_w_;
    config_.program = "get_token";
    std::memset(&out_, 'x', sizeof(out_));  // the plugin must terminate what it fills
  }
  void TearDown() override {
    for (int fd : {in_r_, in_w_, err_r_, err_w_}) {
      if (fd >= 0) ::close(fd);
    }
    if (handle_ != nullptr) ::dlclose(handle_);
  }
  void Type(const std::string& line) {
    ASSERT_EQ(::write(in_w_, line.data(), line.size()), (ssize_t)line.size());
  }
  std::string Stderr() {
    ::close(err_w_);
    err_w_ = -1;
    std::string text;
    char buf[4096];
    ssize_t n;
    while ((n = ::read(err_r_, buf, sizeof(buf))) > 0) text.append(buf, static_cast<size_t>(n));
    return text;
  }

  void* handle_ = nullptr;
  ssocli_sso_run_fn run_ = nullptr;
  int in_r_ = -1, in_w_ = -1, err_r_ = -1, err_w_ = -1;
  ssocli_sso_config config_;
  ssocli_sso_message out_;
  Recorded recorded_;
};

TEST_F(SsoPlugin, ExportsOnlyTheEntryPoint) {
  ssocli::testing::ProcessSpec p;
  p.argv = {"nm", "-D", "--defined-only", SSOCLI_SSO_PLUGIN};
  p.env = ssocli::testing::BaseEnv();
  auto r = ssocli::testing::RunProcess(p);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> names;
  size_t pos = 0;
  while (pos < r.out.size()) {
    size_t end = r.out.find('\n', pos);
    std::string line = r.out.substr(pos, end - pos);
    if (!line.empty()) names.push_back(line.substr(line.rfind(' ') + 1));
    pos = end == std::string::npos ? r.out.size() : end + 1;
  }
  EXPECT_EQ(names, std::vector<std::string>{SSOCLI_SSO_ENTRY_POINT}) << r.out;
}

TEST_F(SsoPlugin, PasscodeTypedAtTheTerminal) {
  struct sigaction before = {};
  ::sigaction(SIGPIPE, nullptr, &before);
  Type("code-123\n");
  int code = run_(&config_, &RecordingExchange, &recorded_, &out_);
  EXPECT_EQ(code, SSOCLI_SSO_OK) << out_.what;
  EXPECT_STREQ(out_.what, "");
  EXPECT_STREQ(out_.hint, "");
  EXPECT_EQ(recorded_.calls, 1);
  EXPECT_EQ(recorded_.kind, SSOCLI_SSO_PASSCODE);
  EXPECT_EQ(recorded_.credential, "code-123");
  std::string err = Stderr();
  EXPECT_NE(err.find("Open this URL: http://127.0.0.1:"), std::string::npos) << err;
  // httplib ignores SIGPIPE while it serves; the caller gets its disposition back.
  struct sigaction after = {};
  ::sigaction(SIGPIPE, nullptr, &after);
  EXPECT_EQ(after.sa_handler, before.sa_handler);
}

TEST_F(SsoPlugin, ExchangeErrorsComeBackWithTheirCodeAndMessage) {
  recorded_.answer = SSOCLI_SSO_NO_TOKEN;
  recorded_.what = "the passcode was refused";
  recorded_.hint = "get a new one";
  Type("code\n");
  EXPECT_EQ(run_(&config_, &RecordingExchange, &recorded_, &out_), SSOCLI_SSO_NO_TOKEN);
  EXPECT_STREQ(out_.what, "the passcode was refused");
  EXPECT_STREQ(out_.hint, "get a new one");
}

TEST_F(SsoPlugin, FlowErrorsMapToTheirCodes) {
  Type("bad code\n");
  EXPECT_EQ(run_(&config_, &RecordingExchange, &recorded_, &out_), SSOCLI_SSO_INVALID_CHARS);
  EXPECT_NE(std::string(out_.what).find("characters"), std::string::npos) << out_.what;
  EXPECT_EQ(recorded_.calls, 0);

  Type("\n");
  EXPECT_EQ(run_(&config_, &RecordingExchange, &recorded_, &out_), SSOCLI_SSO_MISSING_INPUT);

  config_.stdin_fd = -1;
  config_.timeout_seconds = 1;
  EXPECT_EQ(run_(&config_, &RecordingExchange, &recorded_, &out_), SSOCLI_SSO_TIMEOUT);
  EXPECT_NE(std::string(out_.what).find("1 s"), std::string::npos) << out_.what;
  EXPECT_NE(std::string(out_.hint).find("--sso-timeout"), std::string::npos) << out_.hint;

  config_.idp_metadata_path = "/nonexistent/idp.xml";
  config_.sp_entity_id = "sp";
  config_.saml_recipient = "https://login.test/oauth/token/alias/sp";
  EXPECT_EQ(run_(&config_, &RecordingExchange, &recorded_, &out_), SSOCLI_SSO_USAGE);
  EXPECT_NE(std::string(out_.what).find("/nonexistent/idp.xml"), std::string::npos) << out_.what;
  EXPECT_EQ(recorded_.calls, 0);
}

TEST_F(SsoPlugin, RefusesWhatItCannotUse) {
  config_.abi_version = 99;
  EXPECT_EQ(run_(&config_, &RecordingExchange, &recorded_, &out_), SSOCLI_SSO_USAGE);
  EXPECT_NE(std::string(out_.what).find("ABI"), std::string::npos);
  config_.abi_version = SSOCLI_SSO_ABI_VERSION;
  EXPECT_EQ(run_(&config_, nullptr, nullptr, &out_), SSOCLI_SSO_INTERNAL);
  EXPECT_EQ(run_(nullptr, &RecordingExchange, &recorded_, &out_), SSOCLI_SSO_INTERNAL);
  config_.browser_command = "firefox 'oops";
  config_.no_browser = 0;
  EXPECT_EQ(run_(&config_, &RecordingExchange, &recorded_, &out_), SSOCLI_SSO_USAGE);
}

TEST_F(SsoPlugin, LongMessagesAreCutOnACharacterBoundary) {
  // A message longer than the 1024-byte buffer: "cannot read the IdP metadata file /é/é/...: ...".
  std::string path = "/nonexistent";
  while (path.size() < 1500) path += "/\xC3\xA9";
  config_.idp_metadata_path = path.c_str();
  config_.sp_entity_id = "sp";
  config_.saml_recipient = "https://login.test/oauth/token/alias/sp";
  EXPECT_EQ(run_(&config_, &RecordingExchange, &recorded_, &out_), SSOCLI_SSO_USAGE);
  std::string what(out_.what);
  EXPECT_GT(what.size(), 1000u);
  EXPECT_LE(what.size(), 1023u);
  size_t leads = 0, trails = 0;
  for (unsigned char c : what) {
    leads += c == 0xC3;
    trails += c == 0xA9;
  }
  EXPECT_EQ(leads, trails) << "a character was cut in two";
}

}  // namespace
