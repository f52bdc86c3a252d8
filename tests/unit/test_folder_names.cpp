// The local maildir name of a server folder (sync/imap_sync.hpp): whatever
// a server calls a folder, it becomes a path below the account's root, with
// nothing in it a terminal or a shell would read as more than a name.
#include <doctest/doctest.h>

#include "sync/imap_sync.hpp"

using namespace tern;

namespace {

std::string local(const char* name, char delimiter = '/', const char* role = "") {
    ImapFolder f;
    f.name = name;
    f.delimiter = delimiter;
    f.role = role;
    return local_folder_name(f);
}

}  // namespace

TEST_CASE("a server's folder names become safe paths below the account's root") {
    CHECK(local("INBOX", '/', "inbox") == "INBOX");
    CHECK(local("Lists/rust") == "Lists/rust");
    CHECK(local("Lists.rust", '.') == "Lists/rust");        // the server's delimiter becomes '/'
    CHECK(local("a/b", '.') == "a_b");                      // a '/' inside a level is not one
    CHECK(local("../../escape") == "_../_../escape");        // never above the root
    CHECK(local("/etc/cron.d") == "_/etc/cron.d");           // never absolute
    CHECK(local(".hidden") == "_hidden");                    // not a Maildir++ subfolder or hidden
    CHECK(local("ctl\x01\x1b[2Jname") == "ctl__[2Jname");   // no control characters, no escapes
    CHECK(local("del\x7f") == "del_");
    CHECK(local("flat/name", '\0') == "flat_name");          // a flat namespace: one level
}

TEST_CASE("the personal namespace's prefix is left out of the local name (Cyrus: INBOX.Sent is Sent)") {
    ImapFolder f;
    f.name = "INBOX.Lists.rust";
    f.delimiter = '.';
    f.prefix = "INBOX.";
    CHECK(local_folder_name(f) == "Lists/rust");
    f.name = "INBOX.Sent";
    CHECK(local_folder_name(f) == "Sent");
    f.prefix.clear();  // a server without the prefix keeps the whole name
    CHECK(local_folder_name(f) == "INBOX/Sent");
}
