// One maildir folder (tmp/ new/ cur/), read and written by the maildir
// specification so that mutt, neomutt, mbsync and notmuch can share it:
// delivery writes to tmp/, fsyncs, then renames into new/ or cur/ and fsyncs
// the directory; flags live in the ":2,FLAGS" suffix; other programs' adds,
// removals and renames are seen by the next list().
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/flags.hpp"
#include "util/fd.hpp"

namespace tern {

struct MaildirEntry {
    std::string subdir;  // "new" or "cur"
    std::string name;    // file name, with its ":2," suffix when there is one
    std::string key;     // the unique part before ':' (stable across flag changes)
    Flags flags;
    std::int64_t mtime = 0;   // from stat_entry() (list() leaves it 0 when it need not stat)
    std::uint64_t size = 0;
    bool stat_done = false;
    std::string path(const std::string& root) const { return root + "/" + subdir + "/" + name; }
};

// The parts of a maildir file name: unique key and flags (pure).
struct MaildirName {
    std::string key;
    Flags flags;
    bool has_info = false;  // ":2," present
};
MaildirName parse_maildir_name(std::string_view name);

// The entry of a file of a maildir (pure, not stat()ed): its directory
// ("new" or "cur") and name, the key and flags read from the name; or from
// its name relative to the maildir ("cur/NAME").
MaildirEntry maildir_entry(std::string_view subdir, std::string_view name);
MaildirEntry maildir_entry(std::string_view file);

// Messages this big and bigger are never held whole in memory by a sync:
// they go through a Maildir::Spool as they arrive.
inline constexpr std::uint64_t kSpoolMessagesFrom = 8 << 20;

class Maildir {
public:
    // Opens (and with create, makes: 0700 directories) the maildir at root.
    // Throws Failure(Io) with the path and reason.
    Maildir(std::string root, bool create);

    const std::string& root() const { return root_; }

    // Every message in new/ and cur/ (dot files and tmp/ skipped), without
    // a stat per file where the directory tells the file type.
    std::vector<MaildirEntry> list() const;
    // The same one entry at a time, none of them kept: a folder of 100,000
    // listed whole is 17 MB of names.
    void for_each(const std::function<void(MaildirEntry&)>& visit) const;
    // Fills size and mtime; false when the file is gone or not a file.
    bool stat_entry(MaildirEntry& entry) const;

    // Stores a message durably: tmp/ + fsync + rename + directory fsync.
    // Returns the entry; a full disk or any error throws and leaves no file
    // behind in new/ or cur/.
    // `key_suffix` ends the unique name (",U=42": the IMAP UID, so a file
    // whose index row was lost in a crash is recognised, not fetched twice).
    MaildirEntry deliver(std::string_view bytes, Flags flags, bool seen_by_reader, std::string_view key_suffix = "");

    // Several messages stored as durably as by deliver(), with one flush of
    // the file system (syncfs) and one fsync per directory instead of two
    // fsyncs per message: what a sync that fetches thousands needs.
    struct Delivery {
        std::string bytes;
        Flags flags;
        bool seen_by_reader = true;
        std::string key_suffix;
    };
    std::vector<MaildirEntry> deliver_all(const std::vector<Delivery>& messages);

    // A message too big to hold in memory, written into tmp/ a piece at a
    // time as it arrives, then delivered as durably as by deliver(). Left
    // without commit() (an error, a dropped connection), its file in tmp/ is
    // removed; a killed process's is removed by remove_stale_tmp().
    class Spool {
    public:
        Spool(Spool&&) noexcept = default;
        Spool& operator=(Spool&&) = delete;
        Spool(const Spool&) = delete;
        Spool& operator=(const Spool&) = delete;
        ~Spool();
        // Buffered (pieces may be a line each: curl's POP3); throws
        // Failure(Io) (a full disk: the file is removed).
        void write(std::string_view bytes);
        std::uint64_t size() const { return size_; }
        // fsync, into new/ or cur/, directory fsync. Throws Failure(Io).
        MaildirEntry commit(Flags flags, bool seen_by_reader, std::string_view key_suffix = "");

    private:
        friend class Maildir;
        Spool(Maildir& box, std::string unique, UniqueFd fd);
        void abandon();
        void flush();
        void write_now(std::string_view bytes);
        Maildir* box_;
        std::string buffer_;
        std::string unique_, tmp_;
        UniqueFd fd_;
        std::uint64_t size_ = 0;
    };
    Spool spool();
    // Renames to carry new flags (and moves new/ to cur/); returns the new entry.
    MaildirEntry set_flags(const MaildirEntry& entry, Flags flags);

    // Removes a message file (only after it is stored elsewhere).
    void remove(const MaildirEntry& entry);

    // A name no other delivery can have: time, microseconds, pid, counter, host.
    std::string unique_name();

    // Removes what killed deliveries left in tmp/: files of this host whose
    // writer (the pid in the name unique_name() gives) is no longer running,
    // and, as the specification says, any file there older than 36 hours.
    // Returns how many went.
    std::size_t remove_stale_tmp();

private:
    // A batch's file in tmp/, not yet synced (deliver_all syncs them together).
    std::string write_tmp(std::string_view bytes, const std::string& key);
    MaildirEntry entry_for(const std::string& key, std::size_t size, Flags flags, bool seen_by_reader) const;
    void move_into_place(const std::string& tmp, const MaildirEntry& e);
    std::string root_;
    std::string host_;
    std::uint64_t counter_ = 0;
};

}  // namespace tern
