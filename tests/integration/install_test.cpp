// What `cmake --install` puts under the prefix: the programs, man pages and completions, and that
// the docs and completions know every option the programs' --help lists.
#include <regex>
#include <set>

#include "integration/get_token_fixture.h"

namespace ssocli::testing {
namespace {

const std::string kShare = std::string(SSOCLI_TEST_STAGE) + "/share";

// The long options a --help text documents: those that start one of its lines ("  --json  ...",
// "  -v, --verbose ..."), not those mentioned in prose.
std::set<std::string> LongOptions(const std::string& text) {
  std::set<std::string> out;
  std::regex re(R"(^\s*(?:-[a-zA-Z], )?(--[a-z][a-z-]+))");
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    std::smatch m;
    if (std::regex_search(line, m, re)) out.insert(m[1]);
  }
  return out;
}

std::string HelpOf(const std::vector<std::string>& argv) {
  ProcessSpec spec;
  spec.argv = argv;
  spec.env = BaseEnv();
  return RunProcess(spec).out;
}

TEST(Install, ProgramsManPagesAndCompletions) {
  for (const char* p : {"get_token", "acurl", "ssocli"}) {
    EXPECT_EQ(::access(StagedBin(p).c_str(), X_OK), 0) << p;
    EXPECT_TRUE(fs::exists(kShare + "/man/man1/" + p + ".1")) << p;
    EXPECT_TRUE(fs::exists(kShare + "/bash-completion/completions/" + p)) << p;
  }
}

TEST(Install, ManPagesRender) {
  ProcessSpec spec;
  spec.argv = {"man", "-l", kShare + "/man/man1/get_token.1"};
  spec.env = BaseEnv({{"MANWIDTH", "100"}, {"MANPAGER", "cat"}, {"PAGER", "cat"}});
  auto r = RunProcess(spec);
  SSOCLI_REQUIRE(r.exit_code != 127, "man is not installed");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("print an OAuth2 access token"));
}

TEST(Install, DocsKnowEveryOptionOfTheHelp) {
  ASSERT_GE(LongOptions(HelpOf({StagedBin("get_token"), "-h"})).size(), 10u) << "the probe finds the options";
  std::string man = ReadFile(kShare + "/man/man1/get_token.1");
  // troff escapes the dashes: \-\-json.
  man = std::regex_replace(man, std::regex("\\\\-"), "-");
  std::string completion = ReadFile(kShare + "/bash-completion/completions/get_token");
  for (const auto& opt : LongOptions(HelpOf({StagedBin("get_token"), "-h"}))) {
    EXPECT_THAT(man, HasSubstr(opt)) << "get_token.1 lacks " << opt;
    EXPECT_THAT(completion, HasSubstr(opt)) << "completion lacks " << opt;
  }
  for (const char* command : {"zone serve", "saml verify"}) {
    std::string first = std::string(command).substr(0, std::string(command).find(' '));
    std::string second = std::string(command).substr(first.size() + 1);
    for (const auto& opt : LongOptions(HelpOf({StagedBin("ssocli"), first, second, "--help"}))) {
      EXPECT_THAT(completion, HasSubstr(opt)) << "completion lacks " << command << " " << opt;
    }
  }
}

TEST(Install, CompletionLoadsInBash) {
  ProcessSpec spec;
  spec.argv = {"bash", "-c",
               "source \"$1\" && complete -p get_token acurl ssocli && "
               "COMP_WORDS=(get_token --cle) COMP_CWORD=1 && _ssocli_get_token && echo \"${COMPREPLY[*]}\"",
               "bash", kShare + "/bash-completion/completions/get_token"};
  spec.env = BaseEnv();
  auto r = RunProcess(spec);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("--clear-sso-cache --clear-all-sso-cache"));
}

}  // namespace
}  // namespace ssocli::testing
