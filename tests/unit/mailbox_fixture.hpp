// One account "t" with three messages in INBOX (a thread of two and one
// other) and an empty Archive, its data (index database) in its own
// temporary directory: the store and reader tests' common ground.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "config/config.hpp"
#include "store/index_db.hpp"
#include "store/mailbox.hpp"
#include "store/maildir.hpp"
#include "temp_dir.hpp"
#include "util/paths.hpp"

struct MailboxFixture {
    TempDir tmp;
    tern::Config config;
    std::unique_ptr<tern::AccountIndexes> indexes;
    MailboxFixture() {
        tern::Account a;
        a.name = "t";
        a.from = "Me <me@example.com>";
        a.maildir = (tmp.path / "mail").string();
        config.accounts.push_back(a);
        indexes = std::make_unique<tern::AccountIndexes>(env());
        tern::Maildir inbox(a.maildir + "/INBOX", true);
        inbox.deliver("From: Alice <alice@example.com>\nSubject: first\nMessage-ID: <1@x>\nDate: Mon, 2 Mar 2026 10:00:00 +0000\n\nbody one\n",
                      tern::Flags(), false);
        inbox.deliver("From: Bob <bob@example.com>\nSubject: Re: first\nMessage-ID: <2@x>\nIn-Reply-To: <1@x>\n"
                      "Date: Mon, 2 Mar 2026 11:00:00 +0000\n\nbody two\n",
                      tern::Flags().with(tern::Flags::Seen), true);
        inbox.deliver("From: Carol <carol@example.com>\nSubject: other\nMessage-ID: <3@x>\nDate: Tue, 3 Mar 2026 10:00:00 +0000\n\nthree\n",
                      tern::Flags().with(tern::Flags::Seen), true);
        tern::Maildir(a.maildir + "/Archive", true);
    }
    const tern::Account& account() const { return config.accounts[0]; }
    // XDG_DATA_HOME is the fixture's own
    tern::EnvLookup env() const {
        return [data = (tmp.path / "data").string()](const std::string& n) -> std::optional<std::string> {
            if (n == "XDG_DATA_HOME") return data;
            return std::nullopt;
        };
    }
    std::string db_path() const { return tern::IndexDb::path_for(env(), "t"); }
};
