#include "net/imap_mailbox.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>

#include "mime/headers.hpp"
#include "net/imap_utf7.hpp"
#include "util/strings.hpp"

namespace tern {

PersonalNamespace personal_namespace(ImapConnection& conn) {
    PersonalNamespace out;
    if (!conn.has_capability("NAMESPACE")) return out;
    // * NAMESPACE (("INBOX." ".")) NIL NIL: the first personal namespace is the user's own folders
    conn.run_ok("NAMESPACE", "NAMESPACE", [&out](const ImapResponse& r) {
        if (r.name != "NAMESPACE" || r.data.empty() || r.data[0].kind != ImapValue::Kind::List || r.data[0].items.empty()) return;
        const ImapValue& first = r.data[0].items[0];
        if (first.kind != ImapValue::Kind::List || first.items.size() < 2) return;
        const std::string& delimiter = first.items[1].text;
        const std::string prefix = decode_imap_utf7(first.items[0].text).value_or(first.items[0].text);
        out.delimiter = first.items[1].kind == ImapValue::Kind::Nil || delimiter.empty() ? '\0' : delimiter[0];
        // only a prefix that is a whole level ("INBOX."), not "" and not "~"
        if (out.delimiter != '\0' && prefix.size() > 1 && prefix.back() == out.delimiter) out.prefix = prefix;
    });
    return out;
}

std::vector<ImapFolder> list_folders(ImapConnection& conn) { return list_folders(conn, personal_namespace(conn)); }

std::vector<ImapFolder> list_folders(ImapConnection& conn, const PersonalNamespace& personal) {
    std::vector<ImapFolder> out;
    const bool special_use = conn.has_capability("SPECIAL-USE");
    // LIST-EXTENDED marks the subscribed folders in the same answer; else LSUB says which
    const bool extended = conn.has_capability("LIST-EXTENDED");
    std::vector<std::string> returns;
    if (extended) returns.emplace_back("SUBSCRIBED");
    if (special_use) returns.emplace_back("SPECIAL-USE");
    const std::string command = "LIST \"\" \"*\"" + (returns.empty() ? std::string() : " RETURN (" + join(returns, " ") + ")");
    conn.run_ok(command, "LIST", [&out, &personal](const ImapResponse& r) {
        if (r.name != "LIST" || r.data.size() < 3) return;
        ImapFolder f;
        for (const auto& a : r.data[0].items) f.attributes.push_back(a.text);
        f.delimiter = r.data[1].kind == ImapValue::Kind::Nil || r.data[1].text.empty() ? '\0' : r.data[1].text[0];
        f.wire_name = r.data[2].text;
        f.name = decode_imap_utf7(f.wire_name).value_or(f.wire_name);
        for (const auto& a : f.attributes) {
            const std::string lower = to_lower(a);
            if (lower == "\\noselect" || lower == "\\nonexistent") f.selectable = false;
            if (lower == "\\subscribed") f.subscribed = true;
            for (const char* role : {"sent", "drafts", "trash", "junk", "archive"})
                if (lower == std::string("\\") + role) f.role = role;
        }
        if (iequals(f.name, "INBOX")) {
            f.name = "INBOX";
            f.role = "inbox";
        } else if (!personal.prefix.empty() && f.name.size() > personal.prefix.size() && f.name.starts_with(personal.prefix)) {
            f.prefix = personal.prefix;
        }
        out.push_back(std::move(f));
    });
    if (!extended) {
        std::vector<std::string> subscribed;
        conn.run_ok("LSUB \"\" \"*\"", "LSUB", [&subscribed](const ImapResponse& r) {
            if (r.name == "LSUB" && r.data.size() >= 3) subscribed.push_back(r.data[2].text);
        });
        for (auto& f : out) f.subscribed = std::find(subscribed.begin(), subscribed.end(), f.wire_name) != subscribed.end();
    }
    return out;
}

void create_folder(ImapConnection& conn, const std::string& name, const PersonalNamespace& personal) {
    std::string wire = name;
    if (personal.delimiter != '\0' && personal.delimiter != '/') std::replace(wire.begin(), wire.end(), '/', personal.delimiter);
    wire = encode_imap_utf7(personal.prefix + wire);
    const ImapResponse r = conn.run("CREATE " + imap_quote(wire));
    // a folder another client made meanwhile is as good as ours
    if (r.name != "OK" && r.code != "ALREADYEXISTS")
        throw Failure(ErrorKind::Protocol, "IMAP server " + conn.host_port() + " refused to create folder " + name + ": " + first_line(r.text));
    conn.run("SUBSCRIBE " + imap_quote(wire));
}

SelectedFolder select_folder(ImapConnection& conn, const ImapFolder& folder, bool read_only, std::optional<KnownFolderState> known) {
    const bool condstore = conn.has_capability("CONDSTORE");
    const bool qresync = known && known->uidvalidity && known->modseq && conn.enable("QRESYNC");
    SelectedFolder s;
    std::string command = std::string(read_only ? "EXAMINE " : "SELECT ") + imap_quote(folder.wire_name);
    if (qresync) command += " (QRESYNC (" + std::to_string(known->uidvalidity) + " " + std::to_string(known->modseq) + "))";
    else if (condstore) command += " (CONDSTORE)";
    conn.run_ok(command, (read_only ? "EXAMINE " : "SELECT ") + folder.name, [&](const ImapResponse& r) {
        if (r.name == "EXISTS" && r.number) s.exists = *r.number;
        if (r.name == "VANISHED" && !r.data.empty()) {
            const ImapValue& set = r.data.back();
            if (const auto uids = parse_uid_set(set.kind == ImapValue::Kind::Number ? std::to_string(set.number) : set.text)) {
                s.vanished.insert(s.vanished.end(), uids->begin(), uids->end());
            }
        }
        if (r.name == "FETCH") {
            const FetchData f = parse_fetch(r);
            if (f.uid && f.flags) s.changed.emplace_back(*f.uid, flags_from_imap(*f.flags));
        }
        if (r.name != "OK" || r.code_data.empty()) return;
        const std::uint64_t n = r.code_data[0].number;
        if (r.code == "UIDVALIDITY") s.uidvalidity = static_cast<std::uint32_t>(n);
        else if (r.code == "UIDNEXT") s.uidnext = static_cast<std::uint32_t>(n);
        else if (r.code == "HIGHESTMODSEQ") s.highest_modseq = n;
    });
    // a server that renumbered the folder ignores what we knew: then there is no report
    s.resynced = qresync && s.uidvalidity == known->uidvalidity;
    return s;
}

Flags flags_from_imap(const std::vector<std::string>& flags) {
    Flags f;
    for (const auto& name : flags) {
        if (iequals(name, "\\Seen")) f = f.with(Flags::Seen);
        else if (iequals(name, "\\Answered")) f = f.with(Flags::Replied);
        else if (iequals(name, "\\Flagged")) f = f.with(Flags::Flagged);
        else if (iequals(name, "\\Deleted")) f = f.with(Flags::Trashed);
        else if (iequals(name, "\\Draft")) f = f.with(Flags::Draft);
        else if (iequals(name, "$Forwarded")) f = f.with(Flags::Passed);
    }
    return f;
}

std::string flags_to_imap(Flags f) {
    std::vector<std::string> out;
    if (f.has(Flags::Seen)) out.emplace_back("\\Seen");
    if (f.has(Flags::Replied)) out.emplace_back("\\Answered");
    if (f.has(Flags::Flagged)) out.emplace_back("\\Flagged");
    if (f.has(Flags::Trashed)) out.emplace_back("\\Deleted");
    if (f.has(Flags::Draft)) out.emplace_back("\\Draft");
    if (f.has(Flags::Passed)) out.emplace_back("$Forwarded");
    return join(out, " ");
}

std::string uid_set(std::vector<std::uint32_t> uids) {
    std::sort(uids.begin(), uids.end());
    uids.erase(std::unique(uids.begin(), uids.end()), uids.end());
    std::string out;
    for (std::size_t i = 0; i < uids.size();) {
        std::size_t j = i;
        while (j + 1 < uids.size() && uids[j + 1] == uids[j] + 1) ++j;
        if (!out.empty()) out += ',';
        out += std::to_string(uids[i]);
        if (j > i) out += ':' + std::to_string(uids[j]);
        i = j + 1;
    }
    return out;
}

std::optional<std::vector<std::uint32_t>> parse_uid_set(std::string_view set) {
    std::vector<std::uint32_t> out;
    const auto number = [](std::string_view t) -> std::optional<std::uint32_t> {
        if (t.empty() || t.size() > 10) return std::nullopt;
        std::uint64_t n = 0;
        for (const char c : t) {
            if (c < '0' || c > '9') return std::nullopt;
            n = n * 10 + static_cast<std::uint64_t>(c - '0');
        }
        if (n == 0 || n > 0xFFFFFFFFu) return std::nullopt;
        return static_cast<std::uint32_t>(n);
    };
    for (const auto& part : split(set, ',')) {
        const auto colon = part.find(':');
        const auto a = number(std::string_view(part).substr(0, colon));
        const auto b = colon == std::string::npos ? a : number(std::string_view(part).substr(colon + 1));
        if (!a || !b) return std::nullopt;
        const std::uint32_t step = *a <= *b ? 1 : static_cast<std::uint32_t>(-1);  // "5:3" is 5 4 3
        for (std::uint32_t u = *a;; u += step) {
            out.push_back(u);
            if (out.size() > 1000000) return std::nullopt;
            if (u == *b) break;
        }
    }
    return out;
}

std::optional<CopiedUids> transfer_messages(ImapConnection& conn, const std::vector<std::uint32_t>& uids, const ImapFolder& destination,
                                            bool keep_source) {
    const std::string set = uid_set(uids);
    std::optional<CopiedUids> copied;
    const auto note_copyuid = [&copied](const ImapResponse& r) {
        if (r.code != "COPYUID" || r.code_data.size() < 3) return;
        const auto from = parse_uid_set(r.code_data[1].text.empty() ? std::to_string(r.code_data[1].number) : r.code_data[1].text);
        const auto to = parse_uid_set(r.code_data[2].text.empty() ? std::to_string(r.code_data[2].number) : r.code_data[2].text);
        if (!from || !to || from->size() != to->size()) return;
        copied.emplace();
        copied->uidvalidity = static_cast<std::uint32_t>(r.code_data[0].number);
        for (std::size_t i = 0; i < from->size(); ++i) copied->uids.emplace_back((*from)[i], (*to)[i]);
    };
    const std::string target = imap_quote(destination.wire_name);
    // a moved message arrives as an ordinary one: a \Deleted it carried (marked deleted here until the
    // purge) must not follow it into the destination
    if (!keep_source) store_flags(conn, set, false, Flags().with(Flags::Trashed));
    if (!keep_source && conn.has_capability("MOVE")) {
        note_copyuid(conn.run_ok("UID MOVE " + set + " " + target, "UID MOVE to " + destination.name, note_copyuid));
        return copied;
    }
    note_copyuid(conn.run_ok("UID COPY " + set + " " + target, "UID COPY to " + destination.name, note_copyuid));
    if (!keep_source) {
        store_flags(conn, set, true, Flags().with(Flags::Trashed));
        conn.run_ok(conn.has_capability("UIDPLUS") ? "UID EXPUNGE " + set : std::string("EXPUNGE"), "EXPUNGE");
    }
    return copied;
}

void fetch_all_flags(ImapConnection& conn, const std::function<void(std::uint32_t, Flags)>& each) {
    conn.run_ok("UID FETCH 1:* (UID FLAGS)", "UID FETCH of flags", [&each](const ImapResponse& r) {
        if (r.name != "FETCH") return;
        const FetchData f = parse_fetch(r);
        if (f.uid && f.flags) each(*f.uid, flags_from_imap(*f.flags));
    });
}

void fetch_messages(ImapConnection& conn, std::string_view uids, bool headers_only, const std::function<void(const FetchData&)>& each) {
    const char* section = headers_only ? "BODY[HEADER]" : "BODY[]";
    conn.run_ok("UID FETCH " + std::string(uids) + " (UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[" + (headers_only ? "HEADER" : "") + "])",
                "UID FETCH of messages", [&each, section](const ImapResponse& r) {
                    if (r.name != "FETCH") return;
                    const FetchData f = parse_fetch(r);
                    if (f.uid && f.section(section)) each(f);  // a FETCH of flags alone (another client's change) is not a message
                });
}

std::vector<std::pair<std::uint32_t, std::uint64_t>> fetch_sizes(ImapConnection& conn, std::string_view uids) {
    std::vector<std::pair<std::uint32_t, std::uint64_t>> out;
    conn.run_ok("UID FETCH " + std::string(uids) + " (UID RFC822.SIZE)", "UID FETCH of sizes", [&out](const ImapResponse& r) {
        if (r.name != "FETCH") return;
        const FetchData f = parse_fetch(r);
        if (f.uid && f.size) out.emplace_back(*f.uid, *f.size);
    });
    return out;
}

std::optional<FetchData> fetch_message_in_pieces(ImapConnection& conn, std::uint32_t uid, std::size_t piece,
                                                 const std::function<bool(std::string_view)>& sink) {
    std::optional<FetchData> about;
    bool go_on = true;
    for (std::uint64_t offset = 0;;) {
        // the first piece also asks what the message is; the rest only its bytes
        const std::string items = about ? "UID BODY.PEEK[]<" : "UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[]<";
        std::optional<std::size_t> got;
        conn.run_ok("UID FETCH " + std::to_string(uid) + " (" + items + std::to_string(offset) + "." + std::to_string(piece) + ">)",
                    "UID FETCH of a message piece", [&](const ImapResponse& r) {
                        if (r.name != "FETCH") return;
                        FetchData f = parse_fetch(r);
                        if (f.uid != uid) return;  // another message's unsolicited FETCH
                        const std::string* bytes = f.section("BODY[]");
                        if (!bytes) return;  // a FETCH of flags alone
                        got = bytes->size();
                        go_on = sink(*bytes);
                        if (!about) {
                            f.sections.clear();
                            about = std::move(f);
                        }
                    });
        if (!got) return std::nullopt;  // gone from the server, maybe half way: not the message
        offset += *got;
        // a piece shorter than asked is the last; RFC822.SIZE says where the end is in any case
        if (*got < piece || !go_on || (about && about->size && offset >= *about->size)) return about;
    }
}

std::optional<std::string> fetch_message(ImapConnection& conn, std::uint32_t uid) {
    std::optional<std::string> bytes;
    fetch_messages(conn, std::to_string(uid), false, [&](const FetchData& f) {
        if (f.uid != uid) return;  // another message's unsolicited FETCH
        if (const std::string* body = f.section("BODY[]")) bytes = *body;
    });
    return bytes;
}

std::vector<std::uint32_t> uid_search(ImapConnection& conn, std::string_view criteria) {
    std::vector<std::uint32_t> uids;
    conn.run_ok("UID SEARCH " + std::string(criteria), "UID SEARCH", [&uids](const ImapResponse& r) {
        if (r.name != "SEARCH") return;
        for (const auto& v : r.data)
            if (v.kind == ImapValue::Kind::Number) uids.push_back(static_cast<std::uint32_t>(v.number));
    });
    return uids;
}

std::vector<std::uint32_t> search_since(ImapConnection& conn, std::int64_t epoch) {
    const std::string date = imap_date(epoch);
    return uid_search(conn, "SINCE " + date.substr(0, date.find(' ')));  // the day: "22-Nov-2026"
}

void store_flags(ImapConnection& conn, std::string_view uids, bool add, Flags flags) {
    if (flags.bits() == 0 || uids.empty()) return;
    conn.run_ok("UID STORE " + std::string(uids) + (add ? " +FLAGS.SILENT (" : " -FLAGS.SILENT (") + flags_to_imap(flags) + ")",
                "UID STORE");
}

std::string imap_date(std::int64_t epoch) {
    static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const std::time_t t = static_cast<std::time_t>(epoch);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[40];
    std::snprintf(buf, sizeof buf, "%02d-%s-%04d %02d:%02d:%02d +0000", tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour,
                  tm.tm_min, tm.tm_sec);
    return buf;
}

std::optional<AppendedUid> append_message(ImapConnection& conn, const ImapFolder& folder, std::string_view bytes, std::uint64_t wire_size,
                                          Flags flags, std::int64_t internal_date, const std::function<void(std::string_view)>& sent) {
    const std::string head = "APPEND " + imap_quote(folder.wire_name) + " (" + flags_to_imap(flags) + ") " + imap_quote(imap_date(internal_date));
    // CRLF made a piece at a time: a big message is not copied whole
    constexpr std::size_t kPiece = 1 << 20;
    const ImapResponse r = conn.run_with_literal(head, wire_size, [&](const auto& send) {
        for (std::size_t at = 0; at < bytes.size(); at += kPiece) {
            send(lf_to_crlf_piece(bytes, at, kPiece));
            if (sent) sent(bytes.substr(at, kPiece));
        }
    });
    if (r.name != "OK") throw Failure(ErrorKind::Protocol, "IMAP server " + conn.host_port() + " refused APPEND to " + folder.name + ": " + first_line(r.text));
    if (r.code != "APPENDUID" || r.code_data.size() < 2) return std::nullopt;
    return AppendedUid{static_cast<std::uint32_t>(r.code_data[0].number), static_cast<std::uint32_t>(r.code_data[1].number)};
}

std::vector<MessageIdentity> fetch_identities(ImapConnection& conn, std::string_view uids) {
    std::vector<MessageIdentity> out;
    conn.run_ok("UID FETCH " + std::string(uids) + " (UID FLAGS RFC822.SIZE BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])", "UID FETCH of Message-IDs",
                [&out](const ImapResponse& r) {
                    if (r.name != "FETCH") return;
                    const FetchData f = parse_fetch(r);
                    if (!f.uid || f.sections.empty()) return;
                    const HeaderBlock block = parse_headers(f.sections.front().second);
                    const std::string* id = block.headers.get("Message-ID");
                    out.push_back({*f.uid, id ? std::string(trim(*id)) : std::string(), f.size.value_or(0),
                                   f.flags ? flags_from_imap(*f.flags) : Flags()});
                });
    return out;
}

std::vector<std::uint32_t> search_message_id(ImapConnection& conn, std::string_view message_id) {
    return uid_search(conn, "HEADER Message-ID " + imap_quote(message_id));
}

}  // namespace tern
