// The cached-token path must cost about one process start (docs/performance.md): get_token and acurl
// link nothing but libc at load time and load libcurl only when they talk to the login server.
#include "integration/get_token_fixture.h"

namespace ssocli::testing {
namespace {

std::vector<std::string> NeededLibraries(const std::string& binary) {
  ProcessSpec spec;
  spec.argv = {"readelf", "-d", binary};
  spec.env = BaseEnv();
  auto r = RunProcess(spec);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> libs;
  std::istringstream in(r.out);
  for (std::string line; std::getline(in, line);) {
    size_t open = line.find("Shared library: [");
    if (open == std::string::npos) continue;
    open += 17;
    libs.push_back(line.substr(open, line.find(']', open) - open));
  }
  return libs;
}

TEST(BinaryShape, GetTokenAndAcurlNeedOnlyLibc) {
  for (const char* program : {"get_token", "acurl"}) {
    auto libs = NeededLibraries(StagedBin(program));
    ASSERT_FALSE(libs.empty()) << program;
    for (const auto& lib : libs) {
      EXPECT_TRUE(lib == "libc.so.6" || lib == "libm.so.6" || lib.rfind("ld-linux", 0) == 0)
          << program << " links " << lib << " at load time";
    }
  }
}

TEST_F(GetTokenTest, CachedPathLoadsNoLibraryAndSignInLoadsLibcurl) {
  // LD_DEBUG=libs makes the dynamic loader report every library it loads, dlopen included.
  SignIn("bob@example.com", "bob-pw");
  auto cached = GetToken({}, std::nullopt, {{"LD_DEBUG", "libs"}});
  ASSERT_EQ(cached.exit_code, 0) << cached.err;
  EXPECT_THAT(cached.err, Not(HasSubstr("libcurl"))) << "the cached path loaded libcurl";
  EXPECT_THAT(cached.err, Not(HasSubstr("libstdc++"))) << "libstdc++ is linked statically";
  EXPECT_THAT(cached.err, Not(HasSubstr("libssl")));
  // --sso with a valid token: the browser sign-in plugin is not loaded either.
  auto sso = GetToken({"--sso"}, std::nullopt, {{"LD_DEBUG", "libs"}});
  ASSERT_EQ(sso.exit_code, 0) << sso.err;
  EXPECT_THAT(sso.err, Not(HasSubstr("libssocli_sso"))) << "the cached --sso path loaded the plugin";
  EXPECT_THAT(sso.err, Not(HasSubstr("libcurl")));

  fs::remove_all(CacheRoot());
  auto network = GetToken({"-u", "bob@example.com:bob-pw", "-m", ""}, std::nullopt, {{"LD_DEBUG", "libs"}});
  ASSERT_EQ(network.exit_code, 0);
  EXPECT_THAT(network.err, HasSubstr("libcurl.so.4")) << "sanity check of the probe itself";
}

}  // namespace
}  // namespace ssocli::testing
