#include "sync/outbox.hpp"

#include <algorithm>

#include "crypto/gpgme_backend.hpp"

#include <ctime>
#include <functional>
#include <system_error>

#include "mime/address.hpp"
#include "mime/encoded_words.hpp"
#include "mime/envelope.hpp"
#include "mime/headers.hpp"
#include "mime/message.hpp"
#include "net/credentials.hpp"
#include "net/smtp_client.hpp"
#include "store/folder_scan.hpp"
#include "store/maildir.hpp"
#include "store/outbox_table.hpp"
#include "util/files.hpp"
#include "util/lock_file.hpp"
#include "util/strings.hpp"
#include "util/utf8.hpp"

namespace tern {
namespace {

std::string outbox_root(const Account& account) { return account.maildir + "/.outbox"; }

int utc_offset_minutes(std::int64_t now) {
    const std::time_t t = static_cast<std::time_t>(now);
    std::tm local{};
    localtime_r(&t, &local);
    return static_cast<int>(local.tm_gmtoff / 60);
}

// The local folder for a role: what the server named at the last sync (or
// the config), else the usual name.
std::string role_folder(const Account& account, IndexDb& index, std::string_view role) {
    std::string folder = index.role_folder(account.name, role);
    if (folder.empty()) folder = role == "sent" ? account.roles.sent : account.roles.drafts;
    if (folder.empty()) folder = role == "sent" ? "Sent" : "Drafts";
    return folder;
}

// A copy in one of the account's own folders, recorded in the index (with
// `also`, in the same transaction); an IMAP sync then appends it to the
// server's folder.
std::string keep_copy(const Account& account, IndexDb& index, std::string_view role, const std::string& bytes, Flags flags,
                      const std::function<void()>& also = {}, const std::string& folder_chosen = {}) {
    const std::string folder = folder_chosen.empty() ? role_folder(account, index, role) : folder_chosen;
    Maildir box(account.maildir + "/" + folder, true);
    const MaildirEntry e = box.deliver(bytes, flags, true);
    Transaction t(index.db());
    index_delivered(index, index.folder_id(account.name, folder), Message(bytes), e.key, e.subdir + "/" + e.name, flags,
                    static_cast<std::int64_t>(bytes.size()), static_cast<std::int64_t>(std::time(nullptr)), "", index_decryptor(account).get());
    if (also) also();
    t.commit();
    return folder;
}

void remove_file(Maildir& box, const std::string& file) {
    MaildirEntry e;
    const auto slash = file.find('/');
    e.subdir = file.substr(0, slash);
    e.name = file.substr(slash + 1);
    box.remove(e);
}

// "'Subject'" of a queued message, decoded and safe to show, for the notes.
std::string subject_of(const std::string& bytes) {
    const Headers headers = parse_headers(bytes).headers;
    const std::string* s = headers.get("Subject");
    return s ? "'" + terminal_safe(first_line(decode_header_text(*s), 60)) + "'" : std::string("(no subject)");
}

}  // namespace

QueuedMessage queue_message(const Account& account, IndexDb& index, std::string_view message, const std::vector<std::string>& recipients,
                            const std::string& fcc, bool keep_sent_copy) {
    return queue_messages(account, index, {{std::string(message), recipients, keep_sent_copy}}, fcc).front();
}

std::vector<QueuedMessage> queue_messages(const Account& account, IndexDb& index, const std::vector<OutgoingCopy>& copies, const std::string& fcc) {
    const std::int64_t now = static_cast<std::int64_t>(std::time(nullptr));
    const auto from = parse_address_list(account.from);
    Maildir box(outbox_root(account), true);
    std::vector<MaildirEntry> files;
    std::vector<QueuedMessage> queued;
    try {
        std::vector<std::string> senders;
        for (const auto& c : copies) {
            const std::string bytes = with_submission_headers(crlf_to_lf(c.bytes), account.from, now, utc_offset_minutes(now));
            senders.push_back(!from.empty() && !from.front().email.empty() ? from.front().email : header_sender(bytes));
            files.push_back(box.deliver(bytes, Flags(), true));  // fsynced before the record says it is there
        }
        Transaction t(index.db());
        for (std::size_t i = 0; i < copies.size(); ++i) {
            const std::int64_t id = OutboxTable(index.db()).add(account.name, files[i].subdir + "/" + files[i].name, senders[i], copies[i].recipients, now,
                                                                fcc, copies[i].keep_sent_copy);
            queued.push_back({id, senders[i], copies[i].recipients});
        }
        t.commit();
    } catch (...) {
        for (const auto& e : files) box.remove(e);  // all or nothing: a retry must not send the first copies twice
        throw;
    }
    return queued;
}

std::size_t outbox_size(const Account& account, IndexDb& index) { return OutboxTable(index.db()).entries(account.name).size(); }

OutboxReport drain_outbox(const Account& account, const EnvLookup& env, IndexDb& index, OnRefusal on_refusal, const std::vector<std::int64_t>& only) {
    OutboxReport report;
    OutboxTable table(index.db());
    const auto waiting = [&] {
        auto all = table.entries(account.name);
        if (!only.empty()) std::erase_if(all, [&](const OutboxEntry& e) { return std::find(only.begin(), only.end(), e.id) == only.end(); });
        return all;
    };
    if (waiting().empty()) return report;
    if (!account.send) {
        report.unreachable = Error{ErrorKind::Config, "account " + account.name + " has no send server: add send = smtp://... to it"};
        report.queued = waiting().size();
        return report;
    }
    const std::string dir = default_data_dir(env);
    if (const int err = make_private_dirs(dir)) throw std::system_error(err, std::generic_category(), "cannot make " + dir);
    const LockFile lock = LockFile::lock(dir + "/" + account.name + ".outbox.lock");
    std::vector<OutboxEntry> entries = waiting();  // again: a drain before ours may have sent them
    if (entries.empty()) return report;

    const auto still_waits = [&](OutboxEntry& e, const std::string& why) {
        ++e.attempts;
        e.last_error = why;
        table.update(e);
        ++report.queued;
    };
    std::optional<SmtpClient> client;
    SessionCapture capture;
    try {
        client.emplace(endpoint_for(account, Service::Send, obtain_credentials(account, Service::Send, env)), capture);
    } catch (const Failure& f) {
        report.unreachable = f.error();
        for (auto& e : entries) still_waits(e, f.error().summary);
        return report;
    }
    Maildir box(outbox_root(account), true);
    // What follows the server taking a message: its Sent copy, kept with the record that it is
    // kept, then the entry and its file gone once nobody is owed the message.
    const auto settle = [&](OutboxEntry& e, const std::string& bytes) {
        const auto record = [&] {
            e.copy_owed = false;
            if (e.recipients.empty()) table.remove(e.id);
            else table.update(e);
        };
        if (e.copy_owed) keep_copy(account, index, "sent", bytes, Flags().with(Flags::Seen), record, e.fcc);
        else if (e.recipients.empty()) table.remove(e.id);
        if (e.recipients.empty()) remove_file(box, e.file);
    };
    for (std::size_t i = 0; i < entries.size(); ++i) {
        OutboxEntry& e = entries[i];
        const auto bytes = read_file(box.root() + "/" + e.file);
        if (!bytes) {
            report.notes.push_back("outbox entry " + std::to_string(e.id) + ": its file " + e.file + " is gone; nothing to send");
            table.remove(e.id);
            continue;
        }
        if (e.recipients.empty()) {  // taken by the server before a crash: only its Sent copy may be owed
            settle(e, *bytes);
            ++report.sent;
            continue;
        }
        SmtpOutcome outcome;
        try {
            outcome = client->send(e.sender, e.recipients, without_bcc(*bytes));
        } catch (const Failure& f) {  // the connection broke: this and the rest wait
            report.unreachable = f.error();
            for (std::size_t j = i; j < entries.size(); ++j) still_waits(entries[j], f.error().summary);
            return report;
        }
        const std::string what = subject_of(*bytes);
        // per recipient: refused for good is reported and dropped; refused for now stays owed
        std::vector<std::string> owed;
        const bool first_delivery = e.sent_to.empty();
        for (const auto& r : outcome.recipients) {
            if (r.reply.positive()) {
                if (outcome.result == SmtpOutcome::Result::Sent) e.sent_to.push_back(r.address);
                else owed.push_back(r.address);
            } else if (r.reply.permanent()) {
                report.notes.push_back(what + ": " + terminal_safe(r.address) + " refused by " + client->host_port() + ": " + terminal_safe(first_line(r.reply.line())));
            } else {
                owed.push_back(r.address);
                report.notes.push_back(what + ": " + terminal_safe(r.address) + " refused for now (" + terminal_safe(first_line(r.reply.line())) + "); tried again by the next tern sync");
            }
        }
        if (outcome.recipients.empty()) owed = e.recipients;  // refused before any recipient was asked
        if (outcome.result == SmtpOutcome::Result::Sent) {
            // recorded first, in one commit: the window in which a crash makes tern send again is
            // the server's answer to this commit, and the Sent copy is never lost nor kept twice
            e.recipients = owed;
            e.copy_owed = e.copy_owed || (first_delivery && e.keep_copy);
            if (owed.empty()) {
                table.update(e);
                ++report.sent;
            } else {
                still_waits(e, "waiting for " + join(owed, ", "));
            }
            settle(e, *bytes);
        } else if (outcome.result == SmtpOutcome::Result::Deferred) {
            e.recipients = owed;
            still_waits(e, outcome.reason);
            report.notes.push_back(what + ": waits in the outbox: " + outcome.reason);
        } else {
            std::string note = what + ": not sent: " + outcome.reason;
            if (on_refusal == OnRefusal::KeepAsDraft) note += "; kept in " + keep_copy(account, index, "drafts", *bytes, Flags().with(Flags::Draft));
            report.notes.push_back(note);
            table.remove(e.id);
            remove_file(box, e.file);
            ++report.refused;
        }
    }
    client->quit();
    return report;
}

}  // namespace tern
