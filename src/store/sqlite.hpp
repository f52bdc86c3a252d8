// SQLite, wrapped once: a connection and prepared statements with RAII,
// errors as Failure(Io) that name the database file. One connection per
// thread; WAL mode so readers and the sync writer do not block each other.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace tern {

class Statement;

class Database {
public:
    // Opens (creating when missing; the file is made 0600) in WAL mode.
    explicit Database(const std::string& path);
    Database(Database&&) noexcept = default;
    Database& operator=(Database&&) noexcept = default;

    void exec(std::string_view sql);
    Statement prepare(std::string_view sql);
    std::int64_t last_insert_id() const;
    int user_version();
    const std::string& path() const { return path_; }
    sqlite3* handle() const { return db_.get(); }
    [[noreturn]] void fail(std::string_view what) const;

private:
    struct Closer {
        void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
    };
    std::unique_ptr<sqlite3, Closer> db_;
    std::string path_;
};

class Statement {
public:
    Statement(const Database& db, sqlite3_stmt* stmt) : db_(&db), stmt_(stmt) {}

    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, std::string_view value);
    Statement& bind_null(int index);
    // Bytes stored as a BLOB (never read as text: no encoding, NULs kept).
    Statement& bind_blob(int index, std::string_view bytes);
    // Steps once: true while there is a row.
    bool step();
    // Steps to completion (for INSERT/UPDATE/DELETE), then resets.
    void run();
    void reset();

    std::int64_t int64(int column) const { return sqlite3_column_int64(stmt_.get(), column); }
    std::string text(int column) const { return std::string(text_view(column)); }
    // Valid until the next step, reset or read of the same column as another type.
    std::string_view text_view(int column) const;
    std::string_view blob_view(int column) const;  // the same lifetime as text_view's
    bool is_null(int column) const { return sqlite3_column_type(stmt_.get(), column) == SQLITE_NULL; }

private:
    struct Finalizer {
        void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
    };
    const Database* db_;
    std::unique_ptr<sqlite3_stmt, Finalizer> stmt_;
};

// One of the connection's PRAGMA settings changed for a scope, and set back
// to what it was when the scope ends (a smaller page cache for one pass over
// a folder, no wait for another connection's lock for one try, a migration
// that need not zero the pages it frees).
class ScopedPragma {
public:
    ScopedPragma(Database& db, std::string_view name, std::string_view value);
    ~ScopedPragma();
    ScopedPragma(const ScopedPragma&) = delete;
    ScopedPragma& operator=(const ScopedPragma&) = delete;

private:
    Database& db_;
    std::string name_, was_;
};

// BEGIN IMMEDIATE ... COMMIT, rolled back when left by an exception.
class Transaction {
public:
    explicit Transaction(Database& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }
    ~Transaction() {
        if (!done_) sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
    }
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit() {
        db_.exec("COMMIT");
        done_ = true;
    }

private:
    Database& db_;
    bool done_ = false;
};

}  // namespace tern
