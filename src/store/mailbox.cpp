#include "store/mailbox.hpp"

#include "crypto/gpgme_backend.hpp"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <functional>

#include "core/error.hpp"
#include "mime/address.hpp"
#include "store/folder_scan.hpp"
#include "store/folder_snapshot.hpp"
#include "util/files.hpp"
#include "util/two_halves.hpp"

namespace tern {

IndexDb& AccountIndexes::of(const Account& account) {
    auto& slot = open_[account.name];
    if (!slot) slot = std::make_unique<IndexDb>(IndexDb::path_for(env_, account.name));
    return *slot;
}

std::vector<std::string> local_folders(const Account& account) {
    std::vector<std::string> out;
    const std::function<void(const std::string&, const std::string&, int)> walk = [&](const std::string& dir, const std::string& rel, int depth) {
        DIR* d = ::opendir(dir.c_str());
        if (!d) return;
        std::vector<std::string> names;
        while (const dirent* e = ::readdir(d)) {
            const std::string n = e->d_name;
            if (n.empty() || n[0] == '.' || n == "cur" || n == "new" || n == "tmp") continue;
            names.push_back(n);
        }
        ::closedir(d);
        for (const auto& n : names) {
            const std::string path = dir + "/" + n;
            struct stat st {};
            if (::stat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) continue;
            const std::string name = rel.empty() ? n : rel + "/" + n;
            struct stat cur {};
            if (::stat((path + "/cur").c_str(), &cur) == 0) out.push_back(name);
            if (depth < 8) walk(path, name, depth + 1);
        }
    };
    walk(account.maildir, "", 0);
    std::sort(out.begin(), out.end(), [](const std::string& a, const std::string& b) {
        if ((a == "INBOX") != (b == "INBOX")) return a == "INBOX";
        return a < b;
    });
    return out;
}

Mailbox::Mailbox(std::vector<FolderRef> folders, AccountIndexes& indexes, const Config& config, Scan scan)
    : config_(config), indexes_(indexes), refs_(std::move(folders)), sort_(config.options.sort), my_addresses_({}, config.options.alternates),
      scan_(scan) {
    for (const auto& ref : refs_) {
        Source s;
        s.ref = ref;
        s.root = ref.account->maildir + "/" + ref.folder;
        if (ref.folder.find("..") != std::string::npos || ref.folder.empty() || ref.folder[0] == '/')
            throw Failure(ErrorKind::Usage, "bad folder name '" + ref.folder + "'");
        struct stat st {};
        if (::stat((s.root + "/cur").c_str(), &st) != 0)
            throw Failure(ErrorKind::NotFound, "no folder '" + ref.folder + "' here for account " + ref.account->name +
                                                   " (looked in " + s.root + "): sync it first with $, or check the name");
        s.index = &indexes_.of(*ref.account);
        sourcelist_.push_back(std::move(s));
        for (const auto& a : parse_address_list(ref.account->from))
            my_addresses_.add(a.email);
    }
    load();
}

std::string Mailbox::name() const {
    if (unified()) return "unified inbox";
    return refs_[0].account->name + "/" + refs_[0].folder;
}

namespace {
bool purged_before(const Mailbox::RowKey& a, const Mailbox::RowKey& b) { return a.source != b.source ? a.source < b.source : a.id < b.id; }
}  // namespace

void Mailbox::load() {
    threads_kept_.reset();  // other rows: another thread order
    // the rows and order shown until now given back first, memory and all: a reload at a million
    // messages would otherwise hold two of each (350 MB, not 290)
    // (swapped with empty ones: `v = {}` assigns an empty list, which keeps the capacity)
    std::vector<MessageRow>().swap(rows_);
    std::vector<std::uint16_t>().swap(sources_);
    std::vector<IndexEntry>().swap(ordered_);
    std::vector<std::uint32_t>().swap(shown_);
    std::vector<std::uint32_t>().swap(thread_of_);
    seed_.reset();
    seeded_fingerprint_.reset();
    // the order of the rows as the store worker's snapshot has it, when they came from one made for this sort
    std::vector<IndexEntry> snapshot_order;
    bool as_stored = true;  // the rows as the database has them (none purged here is left out)
    bool snapshot_of_sort = false;  // a current snapshot made for this sort was read: nothing for the worker to write
    for (std::size_t i = 0; i < sourcelist_.size(); ++i) {
        Source& s = sourcelist_[i];
        s.text_indexed = false;
        if (scan_ == Scan::Here) scan_folder(*s.index, folder_id_of(s), Maildir(s.root, false));
        std::vector<MessageRow> rows;
        s.generation = 0;
        if (folder_id_of(s)) {
            // the generation first: rows written after it make the mailbox behind(), never wrongly current
            s.generation = s.index->folder_generation(s.folder_id).value_or(0);
            auto snap = read_folder_snapshot(folder_snapshot_path(s.index->path(), s.folder_id), s.generation, sort_,
                                             config_.options.sort_aux);
            if (snap) {
                rows = std::move(snap->rows);
                snapshot_of_sort = !snap->order.empty();
                const bool moved = apply_snapshot_moves(*s.index, s.folder_id, rows) > 0;
                // flags changed since: the order stands, unless the sort reads the flags
                if (sourcelist_.size() == 1 && !(moved && order_reads_flags(sort_, config_.options.sort_aux)))
                    snapshot_order = std::move(snap->order);
            } else {
                rows = s.index->messages(s.folder_id);
            }
        }
        if (!purged_.empty()) {
            const std::size_t before = rows.size();
            std::erase_if(rows, [&](const MessageRow& r) {
                return std::binary_search(purged_.begin(), purged_.end(), RowKey{i, r.id}, purged_before);
            });
            if (rows.size() != before) snapshot_order.clear(), as_stored = false;  // its row numbers are of the rows before
        }
        sources_.insert(sources_.end(), rows.size(), static_cast<std::uint16_t>(i));
        if (rows_.empty()) {
            rows_ = std::move(rows);  // one folder: its rows as they are, not copied into a second growing vector
            continue;
        }
        rows_.reserve(rows_.size() + rows.size());
        for (auto& r : rows) rows_.push_back(std::move(r));
    }
    tags_.assign(rows_.size(), false);
    collapsed_roots_.assign(rows_.size(), false);
    limited_.assign(rows_.size(), true);
    if (limit_) {
        if (limit_->uses_message_text()) ensure_text_indexed();
        const auto hits = match_rows(*limit_, rows_.size(), [](std::size_t i) { return i; });
        for (std::size_t r = 0; r < rows_.size(); ++r) limited_[r] = hits[r];
    }
    rebuild_order(std::move(snapshot_order));
    // the order made here, for the store worker to write the snapshot from (the one it keeps is of the configured sort)
    if (scan_ == Scan::Elsewhere && !snapshot_of_sort && as_stored && sourcelist_.size() == 1 && !rows_.empty() &&
        sort_ == config_.options.sort) {
        auto seed = std::make_shared<SnapshotSeed>(make_snapshot_seed(rows_, ordered_, sort_, config_.options.sort_aux));
        seeded_fingerprint_ = seed->fingerprint;
        seed_ = std::move(seed);
    }
}

void Mailbox::snapshot_seeded(std::uint64_t fingerprint, std::int64_t generation) {
    if (sourcelist_.size() == 1 && seeded_fingerprint_ == fingerprint) sourcelist_[0].generation = generation;
}

bool Mailbox::behind() {
    for (Source& s : sourcelist_)
        if (folder_id_of(s) && s.index->folder_generation(s.folder_id).value_or(0) != s.generation) return true;
    return false;
}

std::int64_t Mailbox::folder_id_of(Source& s) {
    // the reader does not write the database: a folder never scanned has no id until its scan made one
    if (!s.folder_id)
        s.folder_id = scan_ == Scan::Here ? s.index->folder_id(s.ref.account->name, s.ref.folder)
                                          : s.index->find_folder_id(s.ref.account->name, s.ref.folder).value_or(0);
    return s.folder_id;
}

void Mailbox::reload(bool scanned) {
    if (scanned || scan_ == Scan::Here) forget_renames_scanned();
    if (scanned) purged_.clear();
    std::vector<RowKey> tagged, collapsed;
    for (std::size_t r = 0; r < rows_.size(); ++r) {
        if (tags_[r]) tagged.push_back(key_of(r));
        if (collapsed_roots_[r]) collapsed.push_back(key_of(r));
    }
    std::vector<std::pair<RowKey, Flags>> undo_rows;
    load();
    for (const auto& k : tagged)
        if (auto r = row_of(k)) tags_[*r] = true;
    for (const auto& k : collapsed)
        if (auto r = row_of(k)) collapsed_roots_[*r] = true;
    rebuild_shown();
}

std::optional<std::size_t> Mailbox::find_row(std::size_t source, std::int64_t id) const {
    // rows of one source come in id order from the database, so a binary search finds them
    std::size_t lo = 0, hi = rows_.size();
    while (lo < hi) {
        const std::size_t mid = (lo + hi) / 2;
        if (sources_[mid] < source || (sources_[mid] == source && rows_[mid].id < id)) lo = mid + 1;
        else hi = mid;
    }
    if (lo < rows_.size() && sources_[lo] == source && rows_[lo].id == id) return lo;
    for (std::size_t r = 0; r < rows_.size(); ++r)  // not sorted after all: look everywhere
        if (sources_[r] == source && rows_[r].id == id) return r;
    return std::nullopt;
}

bool Mailbox::threaded() const { return sort_ == "threads" || sort_ == "reverse-threads"; }

void Mailbox::set_sort(std::string sort) {
    // threading is the one costly order (a second at a million messages): the order left is kept, and a
    // sort back to it takes it again as long as the rows are the same
    // (not when flags order the threads' messages: a flag changes without a reload)
    const std::string& aux = config_.options.sort_aux;
    if (threaded() && sort != sort_ && !order_reads_flags(sort_, aux))
        threads_kept_ = KeptOrder{sort_, aux, std::move(ordered_), std::move(thread_of_)};
    sort_ = std::move(sort);
    if (threads_kept_ && threads_kept_->sort == sort_ && threads_kept_->sort_aux == aux) {
        ordered_ = std::move(threads_kept_->ordered);
        thread_of_ = std::move(threads_kept_->thread_of);
        threads_kept_.reset();
        return rebuild_shown();
    }
    rebuild_order();
}

void Mailbox::rebuild_order(std::vector<IndexEntry> ready) {
    ordered_ = ready.size() == rows_.size() && !ready.empty() ? std::move(ready) : order_index(rows_, sort_, config_.options.sort_aux);
    if (!threaded()) {  // no threads to find roots of (and 4 MB at a million rows)
        std::vector<std::uint32_t>().swap(thread_of_);
        return rebuild_shown();
    }
    thread_of_.resize(ordered_.size());
    std::uint32_t root = 0;
    for (std::size_t i = 0; i < ordered_.size(); ++i) {
        if (ordered_[i].shape.depth == 0) root = static_cast<std::uint32_t>(i);
        thread_of_[i] = root;
    }
    rebuild_shown();
}

void Mailbox::rebuild_shown() {
    shown_.clear();
    shown_.reserve(ordered_.size());
    const bool threads = threaded();
    for (std::size_t i = 0; i < ordered_.size(); ++i) {
        const std::size_t r = ordered_[i].row;
        if (!limited_[r]) continue;
        if (threads && ordered_[i].shape.depth > 0) {
            const std::size_t root_row = ordered_[thread_of_[i]].row;
            if (collapsed_roots_[root_row] && limited_[root_row]) continue;
        }
        shown_.push_back(static_cast<std::uint32_t>(i));
    }
}

std::optional<std::size_t> Mailbox::position_of_row(std::size_t row) const {
    for (std::size_t p = 0; p < shown_.size(); ++p)
        if (ordered_[shown_[p]].row == row) return p;
    return std::nullopt;
}

std::size_t Mailbox::hidden_under(std::size_t pos) const {
    if (!collapsed(pos)) return 0;
    std::size_t n = 0;
    for (std::size_t j = shown_[pos] + 1; j < ordered_.size() && ordered_[j].shape.depth > 0; ++j)
        if (limited_[ordered_[j].row]) ++n;
    return n;
}

bool Mailbox::collapsed(std::size_t pos) const {
    const IndexEntry& e = entry_at(pos);
    return threaded() && e.shape.depth == 0 && collapsed_roots_[e.row];
}

Mailbox::Counts Mailbox::counts() const {
    Counts c;
    c.total = rows_.size();
    c.shown = shown_.size();
    for (std::size_t r = 0; r < rows_.size(); ++r) {
        const Flags f = rows_[r].flags;
        if (!f.has(Flags::Seen)) ++c.unread;
        if (f.has(Flags::Trashed)) ++c.deleted;
        if (f.has(Flags::Flagged)) ++c.flagged;
        if (tags_[r]) ++c.tagged;
    }
    return c;
}

void Mailbox::ensure_text_indexed() {
    if (scan_ == Scan::Elsewhere) return;  // the store worker fills the index: search what is there
    // ~h ~b ~B need every message's text in the full-text index; checked once per load, not per key
    for (auto& s : sourcelist_)
        if (!s.text_indexed) {
            index_message_text(*s.index, s.folder_id, Maildir(s.root, false), index_decryptor(*s.ref.account).get());
            s.text_indexed = true;
        }
}

MatchContext Mailbox::match_context() {
    MatchContext ctx;
    ctx.my_addresses = my_addresses_;
    ctx.lists = AddressSet({}, config_.options.lists);  // subscribe's are in lists too
    ctx.subscribed = AddressSet({}, config_.options.subscribe);
    ctx.message_text = [this](const MessageRow& r, char part) {
        const std::size_t row = static_cast<std::size_t>(&r - rows_.data());
        IndexDb& index = *sourcelist_[sources_[row]].index;
        if (part == 'h') return index.header_text(r.id);
        if (part == 'b') return index.body_text(r.id);
        return index.header_text(r.id) + "\n" + index.body_text(r.id);
    };
    if (sourcelist_.size() == 1) {
        IndexDb* index = sourcelist_[0].index;
        ctx.search_text = [index](std::string_view literal, char part) { return index->search_text(literal, part); };
    }
    return ctx;
}

void Mailbox::set_limit(const std::string& pattern) {
    if (pattern.empty() || pattern == "all" || pattern == "~A") {
        searched_text_ = false;
        limit_.reset();
        limit_text_.clear();
        limited_.assign(rows_.size(), true);
        rebuild_shown();
        return;
    }
    Pattern p = parse_pattern(pattern, static_cast<std::int64_t>(std::time(nullptr)));
    searched_text_ = p.uses_message_text();
    if (searched_text_) ensure_text_indexed();
    {
        const auto hits = match_rows(p, rows_.size(), [](std::size_t i) { return i; });
        for (std::size_t r = 0; r < rows_.size(); ++r) limited_[r] = hits[r];
    }
    limit_ = std::move(p);
    limit_text_ = pattern;
    rebuild_shown();
}

std::vector<std::size_t> Mailbox::matching(const std::string& pattern) {
    Pattern p = parse_pattern(pattern, static_cast<std::int64_t>(std::time(nullptr)));
    searched_text_ = p.uses_message_text();
    if (searched_text_) ensure_text_indexed();
    const auto row_of_shown = [this](std::size_t k) { return ordered_[shown_[k]].row; };
    const auto hits = match_rows(p, shown_.size(), row_of_shown);
    std::vector<std::size_t> out;
    for (std::size_t k = 0; k < shown_.size(); ++k)
        if (hits[k]) out.push_back(row_of_shown(k));
    return out;
}

std::vector<std::uint8_t> Mailbox::match_rows(const Pattern& p, std::size_t count, const std::function<std::size_t(std::size_t)>& row_of) {
    std::vector<std::uint8_t> hits(count);
    // one pass of one matcher over [begin, end), with its own context (its ~T changes per row)
    const auto pass = [&](std::size_t begin, std::size_t end, MatchContext ctx) {
        PatternMatcher m(p, ctx);
        for (std::size_t k = begin; k < end; ++k) {
            const std::size_t r = row_of(k);
            ctx.is_tagged = tags_[r];
            hits[k] = m.matches(rows_[r]);
        }
    };
    // A big folder is matched in two halves on two cores. Only a pattern of
    // header fields and flags: message text (~h ~b ~B) is read through this
    // thread's database connection, which is not to be shared. Each half its
    // own context, made here.
    const bool split = count > kTwoHalvesAbove && !p.uses_message_text();
    const MatchContext first = match_context();
    const std::optional<MatchContext> second = split ? std::optional(match_context()) : std::nullopt;
    in_two_halves(count, split ? kTwoHalvesAbove : SIZE_MAX,
                  [&](std::size_t begin, std::size_t end) { pass(begin, end, begin == 0 ? first : *second); });
    return hits;
}

std::vector<bool> Mailbox::matches(const Pattern& p, const std::vector<std::size_t>& rows) {
    const auto hits = match_rows(p, rows.size(), [&rows](std::size_t k) { return rows[k]; });
    return std::vector<bool>(hits.begin(), hits.end());
}

std::vector<std::size_t> Mailbox::thread_rows(std::size_t pos, bool subthread_only) const {
    const std::size_t at_entry = shown_[pos];
    std::size_t start = subthread_only || !threaded() ? at_entry : thread_of_[at_entry];
    std::vector<std::size_t> out;
    if (!threaded()) return {ordered_[at_entry].row};
    const std::uint32_t depth = ordered_[start].shape.depth;
    for (std::size_t j = start; j < ordered_.size(); ++j) {
        if (j != start && ordered_[j].shape.depth <= depth) break;
        out.push_back(ordered_[j].row);
    }
    return out;
}

std::optional<std::size_t> Mailbox::thread_start(std::size_t pos, int direction) const {
    if (shown_.empty()) return std::nullopt;
    if (direction > 0) {
        for (std::size_t p = pos + 1; p < shown_.size(); ++p)
            if (entry_at(p).shape.depth == 0) return p;
        return std::nullopt;
    }
    bool passed_own = entry_at(pos).shape.depth == 0;
    for (std::size_t p = pos; p-- > 0;) {
        if (entry_at(p).shape.depth != 0) continue;
        if (passed_own) return p;
        passed_own = true;
        // the start of this thread is where "previous" goes first, as in mutt
        return p;
    }
    return std::nullopt;
}

std::optional<std::size_t> Mailbox::parent_of(std::size_t pos) const {
    const std::uint32_t depth = entry_at(pos).shape.depth;
    if (depth == 0) return std::nullopt;
    for (std::size_t p = pos; p-- > 0;)
        if (entry_at(p).shape.depth == depth - 1) return p;
    return std::nullopt;
}

void Mailbox::toggle_collapse(std::size_t pos) {
    if (!threaded() || shown_.empty()) return;
    const std::size_t root_row = ordered_[thread_of_[shown_[pos]]].row;
    collapsed_roots_[root_row] = !collapsed_roots_[root_row];
    rebuild_shown();
}

void Mailbox::toggle_collapse_all() {
    if (!threaded()) return;
    const bool any = std::find(collapsed_roots_.begin(), collapsed_roots_.end(), true) != collapsed_roots_.end();
    for (std::size_t i = 0; i < ordered_.size(); ++i)
        if (ordered_[i].shape.depth == 0) collapsed_roots_[ordered_[i].row] = !any;
    rebuild_shown();
}

void Mailbox::set_tag(std::size_t row, bool on) { tags_[row] = on; }
void Mailbox::clear_tags() { tags_.assign(rows_.size(), false); }

std::vector<std::size_t> Mailbox::tagged_rows() const {
    std::vector<std::size_t> out;
    for (const std::size_t i : shown_)
        if (tags_[ordered_[i].row]) out.push_back(ordered_[i].row);
    // tagged messages hidden in a collapsed thread count too
    for (std::size_t r = 0; r < rows_.size(); ++r)
        if (tags_[r] && limited_[r] && std::find(out.begin(), out.end(), r) == out.end()) out.push_back(r);
    return out;
}

std::string Mailbox::file_of(std::size_t row) const {
    const auto renamed = renamed_.find({sources_[row], rows_[row].id});
    if (renamed != renamed_.end()) return renamed->second;
    return sourcelist_[sources_[row]].index->file_of(rows_[row].id);
}

void Mailbox::forget_renames_scanned() {
    // a scan since: the database knows the name now (or a newer one, if another program renamed it too)
    std::erase_if(renamed_, [&](const auto& r) {
        return sourcelist_[r.first.first].index->file_of(r.first.second) == r.second ||
               ::access((sourcelist_[r.first.first].root + "/" + r.second).c_str(), F_OK) != 0;
    });
}

std::string Mailbox::path_of(std::size_t row) const {
    const std::string file = file_of(row);
    if (file.empty()) return "";
    return sourcelist_[sources_[row]].root + "/" + file;
}

IndexDb& Mailbox::index_of(std::size_t row) const { return *sourcelist_[sources_[row]].index; }

std::optional<MaildirEntry> Mailbox::entry_of(std::size_t row) const {
    const std::string file = file_of(row);
    if (file.find('/') == std::string::npos) return std::nullopt;  // headers only: no file
    return maildir_entry(file);
}

void Mailbox::begin_action(std::string description) {
    if (!undo_.empty() && undo_.back().steps.empty()) undo_.pop_back();
    undo_.push_back({std::move(description), {}});
    if (undo_.size() > 200) undo_.erase(undo_.begin());
}

std::optional<std::string> Mailbox::set_flags(std::size_t row, Flags flags, bool record_undo) {
    MessageRow& r = rows_[row];
    if (r.flags == flags) return std::nullopt;
    auto entry = entry_of(row);
    if (!entry) return "only the headers of this message are here: open it to fetch it, then try again";
    const Source& s = sourcelist_[sources_[row]];
    Maildir maildir(s.root, false);
    MaildirEntry renamed;
    try {
        renamed = maildir.set_flags(*entry, flags);
    } catch (const Failure&) {
        // another program renamed it since (mutt, a sync): find it by its key and try once more
        std::optional<MaildirEntry> found;
        for (auto& e : maildir.list())
            if (e.key == entry->key) found = e;
        if (!found) return "the message is gone from " + s.root + " (another program removed it): press $ to sync";
        try {
            renamed = maildir.set_flags(*found, flags);
        } catch (const Failure& f) {
            return f.error().summary;
        }
    }
    if (record_undo) {
        if (undo_.empty()) begin_action("change");
        undo_.back().steps.push_back({UndoStep::Kind::Flags, sources_[row], r.id, r.flags, "", {}});
    }
    renamed_[{sources_[row], r.id}] = renamed.subdir + "/" + renamed.name;
    r.in_new = renamed.subdir == "new";
    r.in_cur = renamed.subdir == "cur";
    r.flags = flags;
    return std::nullopt;
}

std::optional<std::string> Mailbox::copy_to(std::size_t row, const FolderRef& target, bool then_delete) {
    const std::string path = path_of(row);
    if (path.empty()) return "only the headers of this message are here: open it to fetch it, then try again";
    if (target == folder_of(row) && then_delete) return "the message is already in " + target.folder;
    int err = 0;
    auto bytes = read_file(path, &err);
    if (!bytes) return "cannot read " + path + ": " + std::strerror(err);
    const std::string root = target.account->maildir + "/" + target.folder;
    MaildirEntry copy;
    try {
        Maildir dest(root, true);
        copy = dest.deliver(*bytes, rows_[row].flags.without(Flags::Trashed), true);
    } catch (const Failure& f) {
        // the status line is one terminal line: what to do first, the file's long path not at all
        if (f.error().kind == ErrorKind::DiskFull)
            return "Disk full: not " + std::string(then_delete ? "saved" : "copied") + " to " + target.folder +
                   ", nothing changed; free some space, try again";
        return f.error().summary + " (nothing was changed)";
    }
    if (undo_.empty()) begin_action("copy");
    undo_.back().steps.push_back({UndoStep::Kind::RemoveCopy, 0, 0, Flags(), root, copy});
    if (then_delete) return set_flags(row, rows_[row].flags.with(Flags::Trashed));
    return std::nullopt;
}

std::optional<std::string> Mailbox::undo() {
    while (!undo_.empty() && undo_.back().steps.empty()) undo_.pop_back();
    if (undo_.empty()) return std::nullopt;
    UndoGroup group = std::move(undo_.back());
    undo_.pop_back();
    bool copies_removed = false;
    for (auto it = group.steps.rbegin(); it != group.steps.rend(); ++it) {
        if (it->kind == UndoStep::Kind::Flags) {
            if (auto r = find_row(it->source, it->id)) set_flags(*r, it->flags, false);
        } else {
            try {
                Maildir(it->copy_root, false).remove(it->copy);
                copies_removed = true;
            } catch (const Failure&) {
            }
        }
    }
    if (copies_removed) {
        for (const auto& s : sourcelist_)
            if (s.root == group.steps.front().copy_root) {
                reload();
                break;
            }
    }
    return group.description;
}

Mailbox::HeldPurge Mailbox::purge_holding(const std::string& hold_dir) {
    HeldPurge out;
    for (const auto& group : undo_)
        for (const auto& step : group.steps)
            if (step.kind == UndoStep::Kind::RemoveCopy) out.copies.push_back(step.copy.path(step.copy_root));
    if (const int err = make_private_dirs(hold_dir)) throw Failure(ErrorKind::Io, "cannot make " + hold_dir + ": " + std::strerror(err));
    for (std::size_t r = 0; r < rows_.size(); ++r) {
        if (!rows_[r].flags.has(Flags::Trashed)) continue;
        const auto entry = entry_of(r);
        if (!entry) continue;
        const Source& src = sourcelist_[sources_[r]];
        Held h;
        h.original = entry->path(src.root);
        h.held = hold_dir + "/" + entry->name;
        h.folder_id = src.folder_id;
        if (const auto loc = src.index->location(rows_[r].id)) {
            h.uidvalidity = loc->uidvalidity;
            h.uid = loc->uid;
        }
        if (::rename(h.original.c_str(), h.held.c_str()) == 0) out.held.push_back(std::move(h));
    }
    undo_.clear();
    if (!out.held.empty()) reload();
    return out;
}

std::size_t Mailbox::purge() {
    std::size_t removed = 0;
    for (std::size_t r = 0; r < rows_.size(); ++r) {
        if (!rows_[r].flags.has(Flags::Trashed)) continue;
        const auto entry = entry_of(r);
        if (!entry) continue;
        try {
            Maildir(sourcelist_[sources_[r]].root, false).remove(*entry);
            ++removed;
            if (scan_ == Scan::Elsewhere) purged_.push_back(key_of(r));
        } catch (const Failure&) {
        }
    }
    std::sort(purged_.begin(), purged_.end(), purged_before);
    undo_.clear();
    if (removed) reload();
    return removed;
}

}  // namespace tern
