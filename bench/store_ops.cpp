// What the index screen does per key press on an open folder, timed in
// process (no start-up, no output): load the rows from the index database,
// thread them, sort by date, limit by a header pattern and by a body word
// (~b through the full-text index), and re-thread after a sort change.
//
//   store_ops DATA_HOME ACCOUNT FOLDER WORD [ROUNDS]
//
// DATA_HOME is the $XDG_DATA_HOME that a `tern ls` of the folder has filled.
// Prints one line per operation: median milliseconds and the result size.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "store/index_db.hpp"
#include "store/index_view.hpp"
#include "store/pattern.hpp"

#include "timing.hpp"

using namespace tern;

int main(int argc, char** argv) {
    if (argc < 5) {
        std::fprintf(stderr, "usage: store_ops DATA_HOME ACCOUNT FOLDER WORD [ROUNDS [PATTERN...]]\n");
        return 2;
    }
    const std::string data_home = argv[1], account = argv[2], folder = argv[3], word = argv[4];
    const int rounds = argc > 5 ? std::max(1, std::atoi(argv[5])) : 5;
    const EnvLookup env = [&data_home](const std::string& name) -> std::optional<std::string> {
        if (name == "XDG_DATA_HOME") return data_home;
        return std::nullopt;
    };
    IndexDb index(IndexDb::path_for(env, account));
    const std::int64_t folder_id = index.folder_id(account, folder);
    const std::int64_t now = static_cast<std::int64_t>(std::time(nullptr));

    std::vector<MessageRow> rows;
    std::vector<IndexEntry> threaded;
    auto report = [rounds](const std::string& what, const std::function<std::size_t()>& op) {
        std::size_t result = 0;
        const double ms = median_ms(rounds, op, result);
        std::printf("%-36s %9.1f ms %9zu\n", what.c_str(), ms, result);
    };

    report("load rows from the index", [&] { rows = index.messages(folder_id); return rows.size(); });
    report("thread (sort = threads)", [&] {
        threaded = order_index(rows, "threads", "last-date-received");
        return threaded.size();
    });
    report("sort by date", [&] { return order_index(rows, "date", "date").size(); });
    MatchContext ctx;
    ctx.message_text = [&index](const MessageRow& r, char part) {
        if (part == 'h') return index.header_text(r.id);
        if (part == 'b') return index.body_text(r.id);
        return index.header_text(r.id) + "\n" + index.body_text(r.id);
    };
    ctx.search_text = [&index](std::string_view literal, char part) { return index.search_text(literal, part); };
    auto limit = [&](const std::string& text) {
        return [&, p = std::make_shared<Pattern>(parse_pattern(text, now))] {
            const PatternMatcher matcher(*p, ctx);
            std::size_t hits = 0;
            for (const IndexEntry& e : threaded) hits += matcher.matches(rows[e.row]);
            return hits;
        };
    };
    report("limit ~f alice ~s plan", limit("~f alice ~s plan"));
    report(("limit ~b " + word).c_str(), limit("~b " + word));
    for (int i = 6; i < argc; ++i) report(std::string("limit ") + argv[i], limit(argv[i]));  // more patterns asked for
    report("re-thread after a sort change", [&] {
        return order_index(rows, "reverse-threads", "date").size();
    });
    report("format a screen (50 index lines)", [&] {
        IndexLineFormatter formatter;
        std::string screen;
        for (std::size_t i = 0; i < std::min<std::size_t>(50, threaded.size()); ++i)
            formatter.append(screen, rows[threaded[i].row], threaded[i], i + 1);
        return screen.size();
    });
    report("format every index line", [&] {
        IndexLineFormatter formatter;
        std::string line;
        std::size_t bytes = 0, number = 0;
        for (const IndexEntry& e : threaded) {
            line.clear();
            formatter.append(line, rows[e.row], e, ++number);
            bytes += line.size();
        }
        return bytes;
    });
    return 0;
}
