// A message fetched from the selected IMAP folder a piece at a time straight
// into a maildir's tmp/, its line ends made LF on the way, then delivered
// (fsync, rename): memory stays bounded whatever the message's size. Used for
// every message from kSpoolMessagesFrom up and for bodies fetched on demand.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>

#include "core/flags.hpp"
#include "net/imap_connection.hpp"
#include "net/imap_response.hpp"
#include "store/maildir.hpp"

namespace tern {

// One command's piece (BODY.PEEK[]<offset.length>).
inline constexpr std::size_t kFetchPiece = 2 << 20;

// fetch_message_in_pieces (kFetchPiece at a time) with the pieces' line ends
// made LF, as a maildir keeps them; the last piece (a CR held back between
// two pieces) included. `sink` returning false stops it.
std::optional<FetchData> fetch_lf_pieces(ImapConnection& conn, std::uint32_t uid, const std::function<bool(std::string_view)>& sink);

struct SpooledMessage {
    MaildirEntry entry;
    FetchData about;  // UID, FLAGS, INTERNALDATE, RFC822.SIZE as the server gave them
};

// Message `uid` into `maildir`, delivered with the flags `flags_of` gives
// for what the server said of it (",U=uid" ends its name), into cur/ when it
// has flags or `into_cur` says so, else new/. Nothing when the
// server no longer has it (nothing is left behind then). Throws Failure: the
// connection, the server, the disk (the partial file is removed).
std::optional<SpooledMessage> fetch_into_maildir(ImapConnection& conn, Maildir& maildir, std::uint32_t uid,
                                                 const std::function<Flags(const FetchData&)>& flags_of, bool into_cur = false);

}  // namespace tern
