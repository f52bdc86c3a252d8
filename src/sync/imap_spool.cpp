#include "sync/imap_spool.hpp"

#include <string>

#include "net/imap_mailbox.hpp"
#include "util/strings.hpp"

namespace tern {

std::optional<SpooledMessage> fetch_into_maildir(ImapConnection& conn, Maildir& maildir, std::uint32_t uid,
                                                 const std::function<Flags(const FetchData&)>& flags_of, bool into_cur) {
    Maildir::Spool spool = maildir.spool();  // removed from tmp/ unless committed
    CrlfToLfStream lf;  // a maildir keeps LF line ends, as mutt, mbsync and Dovecot's own store do
    std::optional<FetchData> about =
        fetch_message_in_pieces(conn, uid, kFetchPiece, [&](std::string_view piece) {
        spool.write(lf.feed(piece));
        return true;
    });
    if (!about) return std::nullopt;
    spool.write(lf.finish());
    const Flags flags = flags_of(*about);
    MaildirEntry entry = spool.commit(flags, into_cur || flags.bits() != 0, ",U=" + std::to_string(uid));
    return SpooledMessage{std::move(entry), std::move(*about)};
}

}  // namespace tern
