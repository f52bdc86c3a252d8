// What the reader does per key press on an open folder, timed in process
// through the same Mailbox and IndexFormat the screens use (no terminal):
// opening the folder (rows and threads: the reader leaves the maildir scan
// to its store worker, which this leaves out), drawing a screen of
// index lines, paging, limiting by header and body patterns and back,
// collapsing every thread, a sort change, tagging by pattern, deleting a
// message (a maildir rename) and undoing it.
//
//   ui_keys DATA_HOME MAILDIR ACCOUNT FOLDER WORD [ROUNDS]
//
// Prints one line per key: median milliseconds, the rows shown after it and
// the peak memory so far; then the worst key (the open left out) and its
// slowest single run, and the peak memory.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "store/index_format.hpp"
#include "store/mailbox.hpp"

#include "timing.hpp"

using namespace tern;

namespace {

// The most memory held at once so far (each line prints it: the key that raised it shows).
double peak_mb() {
    rusage usage{};
    ::getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) / 1024;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 6) {
        std::fprintf(stderr, "usage: ui_keys DATA_HOME MAILDIR ACCOUNT FOLDER WORD [ROUNDS]\n");
        return 2;
    }
    const std::string data_home = argv[1], maildir = argv[2], account_name = argv[3], folder = argv[4], word = argv[5];
    const int rounds = argc > 6 ? std::max(1, std::atoi(argv[6])) : 5;
    Config config;
    config.options.sort = "threads";
    config.options.sort_aux = "last-date-received";
    Account account;
    account.name = account_name;
    account.maildir = maildir;
    config.accounts.push_back(account);
    AccountIndexes indexes([&data_home](const std::string& name) -> std::optional<std::string> {
        if (name == "XDG_DATA_HOME") return data_home;
        return std::nullopt;
    });
    std::string worst_key;
    double worst_median = 0, worst_single = 0;
    bool is_key = false;  // the open is not a key press
    const auto report = [&](const std::string& what, const std::function<std::size_t()>& op) {
        std::size_t result = 0;
        double slowest = 0;
        const double ms = median_ms(rounds, [&] {
            const auto t0 = std::chrono::steady_clock::now();
            const std::size_t r = op();
            slowest = std::max(slowest, std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
            return r;
        }, result);
        std::printf("%-40s %9.1f ms %9zu %7.1f MB\n", what.c_str(), ms, result, peak_mb());
        if (is_key && ms > worst_median) worst_median = ms, worst_key = what;
        if (is_key) worst_single = std::max(worst_single, slowest);
    };
    std::unique_ptr<Mailbox> box;
    report("open the folder (rows, threads)", [&] {
        box.reset();  // each round as the reader's first open: no folder held meanwhile
        box = std::make_unique<Mailbox>(std::vector<FolderRef>{{&config.accounts[0], folder}}, indexes, config, Mailbox::Scan::Elsewhere);
        return box->size();
    });
    is_key = true;
    IndexFormat format(config.options.index_format);
    std::size_t top = 0;
    const auto draw = [&] {  // what App::draw_index does for a 50-row terminal
        std::string line;
        std::size_t bytes = 0;
        for (std::size_t p = top; p < std::min(top + 50, box->size()); ++p) {
            line.clear();
            format.append(line, box->row_at(p), box->entry_at(p), {p + 1, box->tagged(p), box->hidden_under(p)});
            bytes += line.size();
        }
        const auto counts = box->counts();  // the status line
        return bytes + counts.total;
    };
    report("draw a screen (50 lines + status)", draw);
    report("next-page and draw", [&] {
        top = (top + 50) % std::max<std::size_t>(1, box->size());
        return draw();
    });
    report("limit ~f alice ~s plan, draw", [&] {
        box->set_limit("~f alice ~s plan");
        top = 0;
        draw();
        return box->size();
    });
    report("limit ~b " + word + ", draw", [&] {
        box->set_limit("~b " + word);
        top = 0;
        draw();
        return box->size();
    });
    report("limit all (back to everything), draw", [&] {
        box->set_limit("");
        draw();
        return box->size();
    });
    report("collapse-all (toggled twice), draw", [&] {
        box->toggle_collapse_all();
        draw();
        const std::size_t n = box->size();
        box->toggle_collapse_all();
        return n;
    });
    {
        // a sort and the way back, each round from the one before (a sort to the order already shown is not a key anyone presses)
        std::vector<double> to_date, to_threads;
        const auto timed = [&](const char* sort) {
            const auto t0 = std::chrono::steady_clock::now();
            box->set_sort(sort);
            draw();
            return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        };
        for (int i = 0; i < rounds; ++i) {
            to_date.push_back(timed("reverse-date"));
            to_threads.push_back(timed("threads"));
        }
        for (auto* ms : {&to_date, &to_threads}) {
            const bool threads = ms == &to_threads;
            const char* what = threads ? "sort-mailbox: back to threads, draw" : "sort-mailbox: reverse-date, draw";
            worst_single = std::max(worst_single, *std::max_element(ms->begin(), ms->end()));
            std::sort(ms->begin(), ms->end());
            const double median = (*ms)[ms->size() / 2];
            std::printf("%-40s %9.1f ms %9zu %7.1f MB\n", what, median, box->size(), peak_mb());
            if (median > worst_median) worst_median = median, worst_key = what;
        }
    }
    report("tag-pattern ~s plan", [&] {
        std::size_t n = 0;
        for (auto r : box->matching("~s plan")) box->set_tag(r, true), ++n;
        return n;
    });
    report("delete-message (rename) + undo, draw", [&] {
        const std::size_t r = box->row_index(0);
        box->begin_action("delete");
        box->set_flags(r, box->row(r).flags.with(Flags::Trashed));
        draw();
        box->undo();
        return draw();
    });
    std::printf("%-40s %9.1f ms (%s; slowest single run of any key %.1f ms)\n", "worst key (median)", worst_median, worst_key.c_str(),
                worst_single);
    // the most memory held at once, the open and every key (no terminal, no workers: the reader holds a little more)
    std::printf("%-40s %9.1f MB\n", "peak memory (maxrss)", peak_mb());
    return 0;
}
