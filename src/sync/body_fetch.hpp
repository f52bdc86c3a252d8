// Opening a message whose body is not kept here (cache_bodies = opened or
// N days): its body is fetched from the server with BODY.PEEK[] (nothing is
// marked read), fsynced into the folder's maildir under the name a sync
// would give it, and kept: its row gains the file and the full-text index
// its body text. The reader calls this through the account's worker; `tern
// show` calls it directly.
#pragma once

#include <cstdint>
#include <string>

#include "config/config.hpp"
#include "mime/message.hpp"
#include "store/index_db.hpp"
#include "util/paths.hpp"

namespace tern {

// The message of row `id` of the local `folder`, fetched and stored when
// only its headers are here (a piece at a time: bounded memory). Throws Failure with one line (the server
// unreachable, the message gone from the server, a renumbered folder).
Message fetch_body_on_demand(const Account& account, const EnvLookup& env, IndexDb& index, const std::string& folder, std::int64_t id);

}  // namespace tern
