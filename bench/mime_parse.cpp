// Benchmark: parse time per message over a generated corpus.
//
//   bench/mime_parse DIR [ROUNDS]
//
// Reads every file under DIR/cur, DIR/new and the maildir folders below it
// into memory once, then times ROUNDS passes of (a) parsing the MIME tree
// and (b) parsing plus rendering what the pager shows. Prints the median
// per-message time and throughput. Reports; passes or fails nothing.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "mime/message.hpp"
#include "mime/render.hpp"

namespace fs = std::filesystem;

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s MAILDIR [ROUNDS]\n", argv[0]);
        return 2;
    }
    const int rounds = argc > 2 ? std::max(1, std::atoi(argv[2])) : 5;
    std::vector<std::string> messages;
    std::size_t bytes = 0;
    for (const auto& e : fs::recursive_directory_iterator(argv[1])) {
        if (!e.is_regular_file()) continue;
        const auto parent = e.path().parent_path().filename();
        if (parent != "cur" && parent != "new") continue;
        std::ifstream in(e.path(), std::ios::binary);
        std::stringstream ss;
        ss << in.rdbuf();
        messages.push_back(ss.str());
        bytes += messages.back().size();
    }
    if (messages.empty()) {
        std::fprintf(stderr, "no messages under %s\n", argv[1]);
        return 1;
    }
    auto time_pass = [&](bool render) {
        std::size_t sink = 0;
        const auto t0 = std::chrono::steady_clock::now();
        for (const auto& m : messages) {
            const tern::Message msg{std::string(m)};
            sink += msg.root().children.size();
            if (render) sink += tern::render_message(msg).size();
        }
        const auto t1 = std::chrono::steady_clock::now();
        if (sink == 0xdeadbeef) std::puts("");  // keep the work observable
        return std::chrono::duration<double>(t1 - t0).count();
    };
    for (const bool render : {false, true}) {
        std::vector<double> times;
        for (int r = 0; r < rounds; ++r) times.push_back(time_pass(render));
        std::sort(times.begin(), times.end());
        const double median = times[times.size() / 2];
        std::printf("%-16s %zu messages, %.1f MB: median %.3f s, %.2f us/message, %.0f MB/s (%d rounds)\n",
                    render ? "parse+render" : "parse", messages.size(), bytes / 1e6, median,
                    median * 1e6 / static_cast<double>(messages.size()), bytes / 1e6 / median, rounds);
    }
    return 0;
}
