#include "core/markup.h"

#include <gtest/gtest.h>

namespace ssocli {
namespace {

TEST(EscapeMarkup, EscapesWhatEndsTextOrAttributes) {
  EXPECT_EQ(EscapeMarkup(R"(<a href="x">'&'</a>)"), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  EXPECT_EQ(EscapeMarkup("a\tb\nc\rd"), "a&#9;b&#10;c&#13;d");
  EXPECT_EQ(EscapeMarkup("caf\xc3\xa9 plain"), "caf\xc3\xa9 plain");
  EXPECT_EQ(EscapeMarkup(""), "");
}

}  // namespace
}  // namespace ssocli
