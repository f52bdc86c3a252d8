#include "store/outbox_table.hpp"

#include "util/strings.hpp"

namespace tern {
namespace {

std::vector<std::string> lines(std::string_view text) {
    std::vector<std::string> out;
    for (auto& l : split(text, '\n'))
        if (!l.empty()) out.push_back(std::move(l));
    return out;
}

}  // namespace

std::int64_t OutboxTable::add(std::string_view account, std::string_view file, std::string_view sender,
                              const std::vector<std::string>& recipients, std::int64_t now, std::string_view fcc, bool keep_copy) {
    Statement s = db_.prepare("INSERT INTO outbox(account, file, created, sender, recipients, fcc, keep_copy) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    s.bind(1, account).bind(2, file).bind(3, now).bind(4, sender).bind(5, join(recipients, "\n")).bind(6, fcc).bind(7, std::int64_t{keep_copy});
    s.run();
    return db_.last_insert_id();
}

std::vector<OutboxEntry> OutboxTable::entries(std::string_view account) {
    Statement s = db_.prepare("SELECT id, file, sender, recipients, sent_to, created, attempts, coalesce(last_error, ''), copy_owed, fcc, keep_copy"
                              " FROM outbox WHERE account = ?1 ORDER BY id");
    s.bind(1, account);
    std::vector<OutboxEntry> out;
    while (s.step())
        out.push_back({s.int64(0), s.text(1), s.text(2), lines(s.text_view(3)), lines(s.text_view(4)), s.int64(5),
                       static_cast<int>(s.int64(6)), s.text(7), s.int64(8) != 0, s.text(9), s.int64(10) != 0});
    return out;
}

void OutboxTable::update(const OutboxEntry& e) {
    Statement s = db_.prepare("UPDATE outbox SET recipients = ?2, sent_to = ?3, attempts = ?4, last_error = ?5, copy_owed = ?6 WHERE id = ?1");
    s.bind(1, e.id).bind(2, join(e.recipients, "\n")).bind(3, join(e.sent_to, "\n")).bind(4, std::int64_t{e.attempts}).bind(5, e.last_error);
    s.bind(6, std::int64_t{e.copy_owed});
    s.run();
}

void OutboxTable::remove(std::int64_t id) {
    Statement s = db_.prepare("DELETE FROM outbox WHERE id = ?1");
    s.bind(1, id);
    s.run();
}

}  // namespace tern
