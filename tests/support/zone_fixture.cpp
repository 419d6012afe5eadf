#include "support/zone_fixture.h"

#include <gtest/gtest.h>
#include <signal.h>

#include "core/url.h"
#include "net/http_client.h"

namespace ssocli::testing {

std::string ZoneServer::CaFile() { return std::string(SSOCLI_TEST_PKI) + "/ca.pem"; }

std::unique_ptr<ZoneServer> ZoneServer::Start(const std::vector<std::string>& extra_args, bool tls) {
  ProcessSpec spec;
  spec.argv = {StagedBin("ssocli"), "zone", "serve", "--port", "0", "--test-hooks"};
  if (tls) {
    spec.argv.insert(spec.argv.end(), {"--tls-cert", std::string(SSOCLI_TEST_PKI) + "/server.pem",
                                       "--tls-key", std::string(SSOCLI_TEST_PKI) + "/server.key"});
  }
  spec.argv.insert(spec.argv.end(), extra_args.begin(), extra_args.end());
  spec.env = BaseEnv();
  auto server = std::unique_ptr<ZoneServer>(new ZoneServer());
  server->process_ = std::make_unique<Background>(spec);
  auto line = server->process_->ReadLine(30000);
  if (!line || line->rfind("http", 0) != 0) {
    ADD_FAILURE() << "zone server did not start: " << line.value_or("(no output)") << "\n"
                  << server->process_->DrainStderr();
    return nullptr;
  }
  server->url_ = *line;
  return server;
}

ZoneServer::~ZoneServer() {
  if (process_) process_->Stop(SIGTERM, 5000);
}

std::pair<long, std::string> ZoneServer::Call(const std::string& method, const std::string& path,
                                              const std::map<std::string, std::string>& form) {
  HttpOptions options;
  options.ca_file = CaFile();
  CurlHttpClient http(options);
  HttpRequest req;
  req.method = method;
  req.url = url_ + path;
  FormFields fields(form.begin(), form.end());
  req.body = FormEncode(fields);
  if (method == "POST") req.headers = {"Content-Type: application/x-www-form-urlencoded"};
  auto resp = http.Send(req);
  if (!resp.ok()) {
    ADD_FAILURE() << method << " " << path << ": " << resp.status().message();
    return {0, ""};
  }
  return {resp->status, resp->body};
}

std::pair<long, std::string> ZoneServer::Get(const std::string& path, const std::vector<std::string>& headers) {
  HttpOptions options;
  options.ca_file = CaFile();
  CurlHttpClient http(options);
  HttpRequest req;
  req.url = url_ + path;
  req.headers = headers;
  auto resp = http.Send(req);
  if (!resp.ok()) return {0, resp.status().message()};
  return {resp->status, resp->body};
}

std::string ZoneServer::MintPasscode(const std::string& user) {
  auto [status, body] = Call("POST", "/__test/passcode", {{"user", user}});
  EXPECT_EQ(status, 200) << body;
  while (!body.empty() && (body.back() == '\n' || body.back() == '\r')) body.pop_back();
  return body;
}

std::string ZoneServer::MintToken(const std::string& user, long lifetime, std::optional<long> iat) {
  std::map<std::string, std::string> form = {{"user", user}, {"lifetime", std::to_string(lifetime)}};
  if (iat) form["iat"] = std::to_string(*iat);
  auto [status, body] = Call("POST", "/__test/token", form);
  EXPECT_EQ(status, 200) << body;
  return body;
}

void ZoneServer::Revoke(const std::string& user) {
  auto [status, body] = Call("POST", "/__test/revoke", {{"user", user}});
  EXPECT_EQ(status, 200) << body;
}

nlohmann::json ZoneServer::Requests() {
  auto [status, body] = Call("GET", "/__test/requests", {});
  EXPECT_EQ(status, 200) << body;
  auto j = nlohmann::json::parse(body, nullptr, false);
  EXPECT_TRUE(j.is_array()) << body;
  return j.is_array() ? j : nlohmann::json::array();
}

std::vector<nlohmann::json> ZoneServer::RequestsTo(const std::string& path_prefix) {
  std::vector<nlohmann::json> out;
  for (const auto& r : Requests()) {
    if (r.value("path", "").rfind(path_prefix, 0) == 0) out.push_back(r);
  }
  return out;
}

void ZoneServer::ClearRequests() {
  auto [status, body] = Call("DELETE", "/__test/requests", {});
  EXPECT_EQ(status, 200) << body;
}

void ZoneServer::Fault(const std::map<std::string, std::string>& params) {
  auto [status, body] = Call("POST", "/__test/fault", params);
  EXPECT_EQ(status, 200) << body;
}

void ZoneServer::ClearFaults() {
  auto [status, body] = Call("DELETE", "/__test/fault", {});
  EXPECT_EQ(status, 200) << body;
}

}  // namespace ssocli::testing
