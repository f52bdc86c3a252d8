// The outbox: mail that is to be sent waits here, durably, until the SMTP
// server has taken it for every recipient. A message is a file in the
// account's outbox maildir (<maildir>/.outbox, fsynced) plus its envelope
// in the index database; `tern send` queues and then drains its message at
// once, `tern sync` drains whatever is left. Per recipient: those accepted
// are never sent to again, those refused for good are reported and dropped,
// those refused for now are retried. After the first successful delivery
// the message is copied, read, into the local Sent folder (an IMAP sync
// appends it to the server's). Nothing here prints; results are values.
//
// SMTP's one unavoidable window: a crash after the server accepted the
// data and before the database recorded it sends that message again.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "core/error.hpp"
#include "mime/secure_compose.hpp"
#include "store/index_db.hpp"
#include "util/paths.hpp"

namespace tern {

// A message put into the outbox.
struct QueuedMessage {
    std::int64_t id = 0;
    std::string sender;
    std::vector<std::string> recipients;
};

// Stores `message` (its line ends made LF, as the maildir keeps them; From,
// Date and Message-ID added when missing) in the account's outbox, to be sent
// from the account's address to `recipients`. Throws Failure(Io) when it
// cannot be stored (a full disk): then nothing is queued. `fcc`: the folder
// its copy is kept in once sent (an fcc-hook's choice); empty: the Sent folder.
// `keep_sent_copy` false: none is kept (another queued copy of the same message is).
QueuedMessage queue_message(const Account& account, IndexDb& index, std::string_view message, const std::vector<std::string>& recipients,
                            const std::string& fcc = {}, bool keep_sent_copy = true);

// The copies of one message (a Bcc recipient's own encrypted copy, say), all
// queued or none: a disk that fills after the first stores nothing, so
// sending again does not send the first twice.
std::vector<QueuedMessage> queue_messages(const Account& account, IndexDb& index, const std::vector<OutgoingCopy>& copies, const std::string& fcc = {});

struct OutboxReport {
    std::size_t sent = 0;     // messages delivered to every recipient still owed
    std::size_t queued = 0;   // messages still waiting (server unreachable, refused for now)
    std::size_t refused = 0;  // messages refused for good
    std::vector<std::string> notes;  // one line each: a recipient refused, a message refused, why mail waits
    std::optional<Error> unreachable;  // the server could not be reached or logged in to: all wait
};

// What becomes of a message the server refuses for good: `tern send` drops
// it (its caller still has it and learns of the failure by the exit status);
// a sync, which has no caller, keeps it as a draft in the local Drafts folder.
enum class OnRefusal { Drop, KeepAsDraft };

// Sends what waits in the account's outbox (only the entries `only` names,
// when it names any) over one SMTP login. One drain at a time per account (a lock file).
OutboxReport drain_outbox(const Account& account, const EnvLookup& env, IndexDb& index, OnRefusal on_refusal,
                          const std::vector<std::int64_t>& only = {});

// How many messages wait in the account's outbox.
std::size_t outbox_size(const Account& account, IndexDb& index);

}  // namespace tern
