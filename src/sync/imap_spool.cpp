#include "sync/imap_spool.hpp"

#include <string>

#include "net/imap_mailbox.hpp"
#include "util/strings.hpp"

namespace tern {

std::optional<FetchData> fetch_lf_pieces(ImapConnection& conn, std::uint32_t uid, const std::function<bool(std::string_view)>& sink) {
    CrlfToLfStream lf;  // a maildir keeps LF line ends, as mutt, mbsync and Dovecot's own store do
    bool go_on = true;
    std::optional<FetchData> about =
        fetch_message_in_pieces(conn, uid, kFetchPiece, [&](std::string_view piece) { return go_on = sink(lf.feed(piece)); });
    if (about && go_on) sink(lf.finish());
    return about;
}

std::optional<SpooledMessage> fetch_into_maildir(ImapConnection& conn, Maildir& maildir, std::uint32_t uid,
                                                 const std::function<Flags(const FetchData&)>& flags_of, bool into_cur) {
    Maildir::Spool spool = maildir.spool();  // removed from tmp/ unless committed
    std::optional<FetchData> about = fetch_lf_pieces(conn, uid, [&](std::string_view piece) {
        spool.write(piece);
        return true;
    });
    if (!about) return std::nullopt;
    const Flags flags = flags_of(*about);
    MaildirEntry entry = spool.commit(flags, into_cur || flags.bits() != 0, ",U=" + std::to_string(uid));
    return SpooledMessage{std::move(entry), std::move(*about)};
}

}  // namespace tern
