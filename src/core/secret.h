// Handling of secrets held in memory: wipe them when done.
#pragma once

#include <string>

namespace ssocli {

// Overwrites the string's bytes (so they do not linger in freed memory) and clears it.
void WipeString(std::string& s);

// Overwrites a C string in place, e.g. a secret in argv, with 'x' characters (same length, so the
// rest of /proc/PID/cmdline keeps its shape).
void WipeCString(char* s);

}  // namespace ssocli
