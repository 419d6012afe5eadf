// Times whole commands the way a script runs them (fork + exec + wait), alternating between them
// run after run so that drift on a busy machine hits each alike (hyperfine runs them in blocks).
// Usage: interleaved_timer RUNS -- CMD_A ARGS... -- CMD_B ARGS... [-- CMD_C ...]
// Prints a markdown table: median and 10th/90th percentiles per command, and the ratio of medians
// to the first command.
#include <fcntl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

double NowMs() {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

// Runs argv with stdin/stdout/stderr on /dev/null; returns elapsed milliseconds, or -1 on failure.
double RunOnce(const std::vector<char*>& argv) {
  double start = NowMs();
  pid_t pid = fork();
  if (pid == 0) {
    int null = open("/dev/null", O_RDWR);
    dup2(null, 0);
    dup2(null, 1);
    dup2(null, 2);
    execvp(argv[0], argv.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  double elapsed = NowMs() - start;
  return (WIFEXITED(status) && WEXITSTATUS(status) == 0) ? elapsed : -1;
}

double Percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[static_cast<size_t>(p * (v.size() - 1))];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4 || std::string(argv[2]) != "--") {
    std::fprintf(stderr, "usage: %s RUNS -- CMD_A ARGS... -- CMD_B ARGS...\n", argv[0]);
    return 2;
  }
  int runs = std::atoi(argv[1]);
  std::vector<std::vector<char*>> commands;
  for (int i = 2; i < argc; ++i) {
    if (std::string(argv[i]) == "--") {
      commands.emplace_back();
    } else {
      commands.back().push_back(argv[i]);
    }
  }
  for (auto& c : commands) c.push_back(nullptr);
  std::vector<std::vector<double>> times(commands.size());
  for (int warm = 0; warm < 10; ++warm) {
    for (auto& c : commands) RunOnce(c);
  }
  for (int r = 0; r < runs; ++r) {
    for (size_t k = 0; k < commands.size(); ++k) {
      size_t i = (r % 2 == 0) ? k : commands.size() - 1 - k;  // alternate the order too
      double t = RunOnce(commands[i]);
      if (t < 0) {
        std::fprintf(stderr, "command %zu failed\n", i + 1);
        return 1;
      }
      times[i].push_back(t);
    }
  }
  double base = Percentile(times[0], 0.5);
  std::printf("| Command | Median [ms] | p10 [ms] | p90 [ms] | Relative (medians) |\n|:---|---:|---:|---:|---:|\n");
  for (size_t i = 0; i < commands.size(); ++i) {
    // The program's base name, then its arguments as given.
    std::string name = commands[i][0];
    name = name.substr(name.rfind('/') + 1);
    for (size_t a = 1; commands[i][a] != nullptr; ++a) name += std::string(" ") + commands[i][a];
    std::printf("| `%s` | %.2f | %.2f | %.2f | %.2f |\n", name.c_str(), Percentile(times[i], 0.5),
                Percentile(times[i], 0.1), Percentile(times[i], 0.9), Percentile(times[i], 0.5) / base);
  }
  return 0;
}
