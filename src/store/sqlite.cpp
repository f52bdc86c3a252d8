#include "store/sqlite.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.hpp"

namespace tern {

Database::Database(const std::string& path) : path_(path) {
    // create the file private before SQLite opens it; only when it is not
    // there: open()+close() of a file this process already has open drops
    // every POSIX lock the process holds on it, and another process closing
    // its connection would then take the WAL away from ours
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) ::close(fd);
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    db_.reset(raw);
    if (rc != SQLITE_OK) fail("cannot open");
    sqlite3_busy_timeout(db_.get(), 5000);  // how long a statement waits for another connection's write lock
    // Turning a new file to WAL needs it alone, and SQLite answers "locked" at
    // once, not through the busy handler, when another connection opens it at
    // that moment (the reader's first start: its UI thread and its worker).
    for (int tries = 0;; ++tries) {
        const int wal = sqlite3_exec(db_.get(), "PRAGMA journal_mode=WAL", nullptr, nullptr, nullptr);
        if (wal == SQLITE_OK) break;
        if ((wal & 0xff) != SQLITE_BUSY || tries >= 100) fail("PRAGMA journal_mode=WAL");
        ::usleep(50 * 1000);
    }
    exec("PRAGMA synchronous=NORMAL");
    exec("PRAGMA foreign_keys=ON");
}

void Database::fail(std::string_view what) const {
    const char* msg = db_ ? sqlite3_errmsg(db_.get()) : "out of memory";
    const int code = db_ ? sqlite3_errcode(db_.get()) : SQLITE_NOMEM;
    // SQLite says "disk I/O error" for a write that found no space outside a transaction's pages
    const int os_error = db_ ? sqlite3_system_errno(db_.get()) : 0;
    const bool full = code == SQLITE_FULL || ((code & 0xff) == SQLITE_IOERR && (os_error == ENOSPC || os_error == EDQUOT));
    std::string hint;
    if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB) hint = " (the index is damaged: run tern sync --rebuild)";
    if (full) hint = (code == SQLITE_FULL ? std::string() : " (" + std::string(std::strerror(os_error)) + ")") + ": free some space, then try again";
    const ErrorKind kind = full                                              ? ErrorKind::DiskFull
                           : code == SQLITE_CORRUPT || code == SQLITE_NOTADB ? ErrorKind::Damaged
                           : (code & 0xff) == SQLITE_BUSY                    ? ErrorKind::Busy
                                                                             : ErrorKind::Io;
    throw Failure(kind, "index database " + path_ + ": " + std::string(what) + ": " + msg + hint);
}

void Database::exec(std::string_view sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_.get(), std::string(sql).c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
        sqlite3_free(err);
        fail(sql.substr(0, 40));
    }
}

Statement Database::prepare(std::string_view sql) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db_.get(), sql.data(), static_cast<int>(sql.size()), &s, nullptr) != SQLITE_OK)
        fail(sql.substr(0, 40));
    return Statement(*this, s);
}

std::int64_t Database::last_insert_id() const { return sqlite3_last_insert_rowid(db_.get()); }

int Database::user_version() {
    Statement s = prepare("PRAGMA user_version");
    s.step();
    return static_cast<int>(s.int64(0));
}

Statement& Statement::bind(int index, std::int64_t value) {
    if (sqlite3_bind_int64(stmt_.get(), index, value) != SQLITE_OK) db_->fail("bind");
    return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
    if (sqlite3_bind_text(stmt_.get(), index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT) != SQLITE_OK)
        db_->fail("bind");
    return *this;
}

Statement& Statement::bind_null(int index) {
    if (sqlite3_bind_null(stmt_.get(), index) != SQLITE_OK) db_->fail("bind");
    return *this;
}

Statement& Statement::bind_blob(int index, std::string_view bytes) {
    if (sqlite3_bind_blob64(stmt_.get(), index, bytes.data(), bytes.size(), SQLITE_TRANSIENT) != SQLITE_OK) db_->fail("bind");
    return *this;
}

bool Statement::step() {
    const int rc = sqlite3_step(stmt_.get());
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    db_->fail("step");
}

void Statement::run() {
    while (step()) {
    }
    reset();
}

void Statement::reset() {
    sqlite3_reset(stmt_.get());
    sqlite3_clear_bindings(stmt_.get());
}

std::string_view Statement::text_view(int column) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_.get(), column));
    return p ? std::string_view(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_.get(), column))) : std::string_view();
}

std::string_view Statement::blob_view(int column) const {
    const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_.get(), column));
    return p ? std::string_view(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_.get(), column))) : std::string_view();
}

ScopedPragma::ScopedPragma(Database& db, std::string_view name, std::string_view value) : db_(db), name_(name) {
    Statement now = db_.prepare("PRAGMA " + name_);
    if (now.step()) was_ = now.text(0);
    now.reset();
    db_.exec("PRAGMA " + name_ + " = " + std::string(value));
}

ScopedPragma::~ScopedPragma() {
    if (!was_.empty()) sqlite3_exec(db_.handle(), ("PRAGMA " + name_ + " = " + was_).c_str(), nullptr, nullptr, nullptr);
}

}  // namespace tern
