// The account worker and its event queue, without a network: commands run
// on the worker's thread and every sync ends with Done, after Failed when it
// failed; the wake-up descriptor turns readable when an event waits.
#include <doctest/doctest.h>

#include <poll.h>

#include "config/parser.hpp"
#include "sync/worker.hpp"
#include "temp_dir.hpp"

using namespace tern;

TEST_CASE("a worker reports a failure and the end of each sync as events") {
    TempDir t;
    const std::string data = t.path.string();
    const EnvLookup env = [data](const std::string& n) -> std::optional<std::string> {
        if (n == "HOME") return data + "/home";
        if (n == "XDG_DATA_HOME") return data;
        return std::nullopt;
    };
    const Config config = parse_config("account home {\n    receive = pop3s://u@pop.example.net\n}\n", "config", env,
                                       real_config_files());
    EventQueue events;
    {
        AccountWorker worker(config.accounts.at(0), env, events);
        worker.sync_now({});
        worker.sync_now({});
        for (int round = 0; round < 2; ++round) {
            const WorkerEvent failed = events.pop();
            CHECK(failed.kind == WorkerEvent::Kind::Failed);
            CHECK(failed.account == "home");
            // no password anywhere: said once, with what to do
            CHECK(failed.error == "account home: no password for u@pop.example.net: set password_command, or add "
                                  "'machine pop.example.net login u password ...' to ~/.netrc");
            CHECK(events.pop().kind == WorkerEvent::Kind::Done);
        }
    }  // the worker stops and joins here
    CHECK_FALSE(events.try_pop().has_value());
    events.push({WorkerEvent::Kind::Done, "x", {}, "", "", 0});
    pollfd p{events.wake_fd(), POLLIN, 0};
    CHECK(::poll(&p, 1, 1000) == 1);  // a UI's poll() wakes up
    CHECK(events.try_pop().has_value());
    CHECK_FALSE(events.try_pop().has_value());
    p.revents = 0;
    CHECK(::poll(&p, 1, 0) == 0);  // drained
}
