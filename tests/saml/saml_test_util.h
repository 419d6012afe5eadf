// Shared by the SAML tests: the fixture manifest, files, and expectations built from a vector.
#pragma once

#include <cctype>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "saml/idp_metadata.h"
#include "saml/response_validator.h"
#include "saml/saml_time.h"

namespace ssocli::saml::testing {

inline std::string FixturesDir() {
  return std::string(SSOCLI_FIXTURES) + "/saml";
}

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void WriteFile(const std::string& path, const std::string& data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << data;
  if (!out) throw std::runtime_error("cannot write " + path);
}

struct Vector {
  std::string id;
  nlohmann::json j;
  std::string Path(const std::string& key) const {
    return FixturesDir() + "/" + j.at(key).get<std::string>();
  }
};

// gtest prints parameters in failure messages: the id says it all.
inline void PrintTo(const Vector& v, std::ostream* os) {
  *os << v.id;
}

inline std::vector<Vector> LoadVectors() {
  nlohmann::json manifest = nlohmann::json::parse(ReadFile(FixturesDir() + "/manifest.json"));
  std::vector<Vector> out;
  for (const auto& v : manifest.at("vectors")) out.push_back({v.at("id").get<std::string>(), v});
  return out;
}

// A gtest-safe name for a vector id ("ext:py__valid_response" -> "ext_py__valid_response").
inline std::string TestName(const std::string& id) {
  std::string out;
  for (char c : id) out += (std::isalnum(static_cast<unsigned char>(c)) ? c : '_');
  return out;
}

inline std::optional<std::string> OptString(const nlohmann::json& j, const char* key) {
  if (!j.contains(key) || j.at(key).is_null()) return std::nullopt;
  return j.at(key).get<std::string>();
}

// The expectations of a vector, as `ssocli saml verify` builds them from the manifest's arguments.
inline ResponseExpectations ExpectationsFor(const Vector& v, const Clock* clock) {
  ResponseExpectations want;
  auto certs = ParsePemCertificates(ReadFile(v.Path("idp_cert")));
  if (!certs.ok()) throw std::runtime_error("bad cert in " + v.id);
  want.idp_certificates = certs.value();
  const nlohmann::json& sp = v.j.at("sp");
  want.audience = sp.at("audience").get<std::string>();
  want.recipient = sp.at("recipient").get<std::string>();
  if (auto d = OptString(sp, "destination")) want.destinations.push_back(*d);
  want.in_response_to = OptString(sp, "in_response_to");
  want.idp_entity_id = OptString(sp, "issuer");
  want.clock = clock;
  want.skew_seconds = v.j.at("skew").get<int64_t>();
  want.allow_sha1 = v.j.value("allow_sha1", false);
  return want;
}

inline int64_t NowOf(const Vector& v) {
  return *ParseRfc3339(v.j.at("now").get<std::string>()) / 1000;
}

}  // namespace ssocli::saml::testing
