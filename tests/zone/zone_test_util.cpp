#include "zone_test_util.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <fstream>
#include <mutex>

#include "core/base64.h"
#include "core/url.h"
#include "saml/signature_signer.h"

#ifndef SSOCLI_TEST_PKI
#define SSOCLI_TEST_PKI "/tmp/ssocli-test-pki"
#endif
#ifndef SSOCLI_SOURCE_DIR
#define SSOCLI_SOURCE_DIR "."
#endif

namespace ssocli::testing {

std::shared_ptr<const JwtSigner> SharedTestSigner() {
  static std::shared_ptr<const JwtSigner> signer = [] {
    // A test client that hangs up early must not kill the test binary with SIGPIPE.
    std::signal(SIGPIPE, SIG_IGN);
    auto made = JwtSigner::Generate();
    if (!made.ok()) std::abort();
    return std::make_shared<const JwtSigner>(std::move(made).value());
  }();
  return signer;
}

std::string TestPkiDir() {
  static std::once_flag once;
  std::call_once(once, [] {
    std::string cmd =
        std::string("bash '") + SSOCLI_SOURCE_DIR + "/tests/pki/make-test-pki.sh' '" + SSOCLI_TEST_PKI + "'";
    if (std::system(cmd.c_str()) != 0) ADD_FAILURE() << "cannot make the test PKI: " << cmd;
  });
  return SSOCLI_TEST_PKI;
}

const IdpKeyFiles& SharedIdpKeyFiles() {
  static const IdpKeyFiles files = [] {
    IdpKeyFiles f;
    std::string dir = ::testing::TempDir() + "/ssocli-zone-idp-" + std::to_string(::getpid());
    ::mkdir(dir.c_str(), 0700);
    auto key = saml::SigningKey::Generate("zone test IdP", 1700000000);
    if (!key.ok()) std::abort();
    f.key_path = dir + "/idp.key.pem";
    f.cert_path = dir + "/idp.crt.pem";
    f.cert_pem = key->cert_pem();
    std::ofstream(f.key_path) << key->key_pem();
    std::ofstream(f.cert_path) << key->cert_pem();
    return f;
  }();
  return files;
}

ZoneConfig Zone::IdpConfig(bool saml_zone) {
  ZoneConfig config = DefaultConfig();
  config.saml_zone = saml_zone;
  config.idp_key_file = SharedIdpKeyFiles().key_path;
  config.idp_cert_file = SharedIdpKeyFiles().cert_path;
  return config;
}

ZoneConfig Zone::DefaultConfig() {
  ZoneConfig config;
  config.test_hooks = true;
  return config;
}

Zone::Zone(ZoneConfig config, UserDirectory users, std::unique_ptr<SamlBearerValidator> saml)
    : config_(config),
      server_(std::make_unique<ZoneServer>(config, std::move(users), SharedTestSigner(), &clock_)) {
  if (saml) server_->set_saml_bearer_validator(std::move(saml));
  Status started = server_->Start();
  if (!started.ok()) ADD_FAILURE() << "zone did not start: " << started.message();
}

std::unique_ptr<httplib::Client> Zone::Client() const {
  auto client = std::make_unique<httplib::Client>(url());
  if (config_.tls()) {
    client->set_ca_cert_path((TestPkiDir() + "/ca.pem").c_str());
    client->enable_server_certificate_verification(true);
  }
  client->set_read_timeout(20, 0);
  return client;
}

httplib::Result Zone::PostForm(const std::string& path, const std::string& form, const std::string& basic,
                               const httplib::Headers& extra) {
  httplib::Headers headers = extra;
  if (!basic.empty()) headers.emplace("Authorization", BasicHeader(basic));
  return Client()->Post(path.c_str(), headers, form, "application/x-www-form-urlencoded;charset=utf-8");
}

nlohmann::ordered_json Zone::PasswordToken(const std::string& user, const std::string& password) {
  auto res = PostForm("/oauth/token", "grant_type=password&username=" + PercentEncode(user) +
                                          "&password=" + PercentEncode(password));
  if (!res || res->status != 200) {
    ADD_FAILURE() << "password grant failed: " << (res ? res->body : httplib::to_string(res.error()));
    return {};
  }
  return nlohmann::ordered_json::parse(res->body);
}

std::string Zone::Hook(const std::string& hook, const std::string& form) {
  auto res = Client()->Post(("/__test/" + hook).c_str(), form, "application/x-www-form-urlencoded");
  if (!res || res->status != 200) {
    ADD_FAILURE() << "hook " << hook << " failed: " << (res ? res->body : httplib::to_string(res.error()));
    return {};
  }
  return res->body;
}

std::string RawHttp(int port, const std::string& request, bool half_close) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return {};
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string response;
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      send(fd, request.data(), request.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(request.size())) {
    if (half_close) shutdown(fd, SHUT_WR);
    char buf[4096];
    ssize_t n;
    while ((n = recv(fd, buf, sizeof(buf), 0)) > 0) response.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  return response;
}

nlohmann::ordered_json JwtPart(const std::string& jwt, int segment) {
  size_t start = 0;
  for (int i = 0; i < segment; ++i) start = jwt.find('.', start) + 1;
  size_t end = jwt.find('.', start);
  auto decoded = Base64UrlDecode(jwt.substr(start, end - start));
  if (!decoded) return {};
  return nlohmann::ordered_json::parse(*decoded, nullptr, false);
}

std::string BasicHeader(const std::string& id_colon_secret) {
  return "Basic " + Base64Encode(id_colon_secret);
}

std::vector<std::string> Keys(const nlohmann::ordered_json& object) {
  std::vector<std::string> keys;
  for (const auto& item : object.items()) keys.push_back(item.key());
  return keys;
}

}  // namespace ssocli::testing
