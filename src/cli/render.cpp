// tern render FILE.eml: print a message exactly as the pager shows it, with
// no terminal needed ("-" reads standard input).
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <optional>

#include "cli/cli.hpp"
#include "config/parser.hpp"
#include "core/error.hpp"
#include "crypto/gpgme_backend.hpp"
#include "crypto/two_keyrings.hpp"
#include "mime/address.hpp"
#include "mime/mailcap.hpp"
#include "mime/render.hpp"
#include "store/autocrypt_keys.hpp"
#include "store/index_db.hpp"
#include "util/files.hpp"

namespace tern {
namespace {

// The sender's key, when an account's Autocrypt knows it, into Autocrypt's
// keyring, so that its signature verifies; an account without an index yet
// is left alone (render makes none).
void learn_autocrypt_sender(const Config& config, const EnvLookup& env, const Message& message, GpgmeBackend& keyring) {
    const std::string* from = message.headers().get("From");
    const auto senders = from ? parse_address_list(*from) : std::vector<Address>{};
    if (senders.size() != 1) return;
    for (const auto& account : config.accounts) {
        if (!crypt_settings(config.options, account).autocrypt) continue;
        try {
            const std::string path = IndexDb::path_for(env, account.name);
            if (::access(path.c_str(), F_OK) != 0) continue;
            IndexDb index(path);
            AutocryptKeys keys(keyring, index.autocrypt(account.name));
            std::string problem;
            if (!keys.import_peer(senders[0].email, problem).empty()) return;
        } catch (const Failure&) {
            // an index that cannot be read: nothing learnt from it
        }
    }
}

}  // namespace

std::string render_for_pager(const Message& message, const CliContext& ctx, const Config* config) {
    RenderOptions options = config ? render_options_from(config->options) : RenderOptions{};
    // the mailcap files are read only when a message has HTML to show
    std::optional<MailcapViewer> viewer;
    options.viewer = [&viewer, &ctx](const ContentType& type, std::string_view data) {
        if (!viewer) viewer = MailcapViewer::from_files(ctx.env);
        return viewer->render(type, data);
    };
    GpgmeBackend crypto(::isatty(STDIN_FILENO) != 0);  // never asks for a passphrase without a terminal
    options.crypto = &crypto;
    // Autocrypt's keys are looked in after the user's own
    std::optional<GpgmeBackend> autocrypt;
    std::optional<TwoKeyrings> both;
    if (config && uses_autocrypt(*config)) {
        autocrypt.emplace(false, autocrypt_home(ctx.env));
        options.crypto = &both.emplace(crypto, *autocrypt);
        learn_autocrypt_sender(*config, ctx.env, message, *autocrypt);
    }
    std::string out;
    for (const auto& line : render_message(message, options)) {
        out += line.text;
        out += '\n';
    }
    return out;
}

int cmd_render(const CliContext& ctx) {
    if (ctx.args.size() != 1) {
        std::cerr << "tern render: name one message file, or - for standard input (usage: tern render FILE.eml)\n";
        return kExitUsage;
    }
    const std::string& path = ctx.args[0];
    std::optional<Message> message;
    if (path == "-") {
        std::string bytes;
        if (!read_fd(0, bytes)) {
            std::cerr << "tern render: cannot read standard input: " << std::strerror(errno) << "\n";
            return kExitFailure;
        }
        message.emplace(std::move(bytes));
    } else {
        int err = 0;
        message = Message::from_file(path, &err);  // a big file is mapped, not read
        if (!message) {
            std::cerr << "tern render: cannot read " << path << ": " << std::strerror(err) << "\n";
            return kExitFailure;
        }
    }
    // the pager's settings, when there is a config file
    std::optional<Config> config;
    if (ctx.config_given || ::access(ctx.config_path.c_str(), F_OK) == 0) config = load_config(ctx.config_path, ctx.env);
    const std::string out = render_for_pager(*message, ctx, config ? &*config : nullptr);
    std::cout << out << std::flush;
    return kExitOk;
}

}  // namespace tern
