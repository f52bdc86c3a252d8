// The configuration as an immutable value: what the config file says, already
// checked. Everything above config/ reads these types; nothing writes them
// after load_config() returns.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/vocabulary.hpp"
#include "config/server_url.hpp"

namespace tern {

// POP3: when a downloaded message is deleted on the server.
struct LeaveOnServer {
    enum class Mode { Forever, Never, Days } mode = Mode::Forever;
    int days = 0;  // Mode::Days only
};

// Which message bodies are kept in the local maildir.
struct CacheBodies {
    enum class Mode { All, Days, Opened } mode = Mode::All;
    int days = 0;
};

// Folder roles; an empty name means "ask the server (SPECIAL-USE), else the
// usual name".
struct FolderRoles {
    std::string sent, drafts, trash, junk, archive;
};

// Signing and encrypting what is written (mutt's crypt_* options). Set
// globally; an account may change any of them for its own mail.
struct CryptSettings {
    bool autosign = false;               // every message signed
    bool autoencrypt = false;            // every message encrypted
    bool replyencrypt = true;            // a reply to an encrypted message encrypted
    bool opportunistic_encrypt = false;  // encrypted when every recipient has a usable key
    bool smime_is_default = false;       // S/MIME rather than OpenPGP
    std::string pgp_default_key;         // the key that signs and is encrypted to (empty: the From address's)
    std::string smime_default_key;       // the same for S/MIME
    bool autocrypt = false;              // Autocrypt Level 1: the header on outgoing mail, peers harvested, the recommendation
    bool autocrypt_prefer_encrypt = false;  // the header says prefer-encrypt=mutual
};

// An account's own values, over the global ones.
struct CryptOverrides {
    std::optional<bool> autosign, autoencrypt, replyencrypt, opportunistic_encrypt, smime_is_default, autocrypt, autocrypt_prefer_encrypt;
    std::optional<std::string> pgp_default_key, smime_default_key;
};

struct Account {
    std::string name;
    std::string from;
    ServerUrl receive;
    std::optional<ServerUrl> send;
    std::string receive_user;          // from the URL, else `user`
    std::string send_user;             // from the URL, else `send_user`, else receive_user
    std::string password_command;      // empty: netrc
    std::string send_password_command; // empty: password_command
    std::string oauth2_token_command;  // non-empty: XOAUTH2/OAUTHBEARER instead of a password
    std::string ca_file;               // empty: the system store
    // a server key trusted by `tern check --trust` ("sha256//BASE64", libcurl's pin):
    // it replaces the CA check for that server
    std::string pinned_key, send_pinned_key;
    std::string maildir;               // absolute
    FolderRoles roles;
    LeaveOnServer leave_on_server;
    CacheBodies cache_bodies;
    std::uint64_t max_download_size = 0;  // POP3: larger messages stay on the server (0: no limit)
    std::string signature;
    CryptOverrides crypt;
    // the full-text index (~b) holds the plaintext of encrypted mail: the
    // global index_decrypted unless the account sets its own (off by default)
    bool index_decrypted = false;
    int connect_timeout = 30;  // seconds
    int timeout = 60;          // seconds without progress
    std::string defined_at;    // "file:line"
};

struct Binding {
    std::string menu;
    std::string key;
    std::string function;
    std::string defined_at;
};

// macro MENU KEY SEQUENCE [DESCRIPTION]
struct Macro {
    std::string menu;
    std::string key;
    std::string sequence;  // mutt notation: keys and <function-name>s
    std::string description;
    std::string defined_at;
    std::vector<MacroStep> steps;  // the sequence read for this menu
};

struct ColorRule {
    std::string object;
    std::vector<std::string> attributes;
    std::string foreground;
    std::string background;
    std::string pattern;  // for index/header/body objects; empty otherwise
    std::string defined_at;
};

// A housekeeping rule: what `tern sync --rules` does to the messages of a
// folder that match a pattern (`rule work INBOX ~d >90d ~R !~F move Archive`).
struct Rule {
    std::string account, folder;
    std::string pattern;  // mutt's pattern language, checked when the rule runs
    enum class Action { Delete, Move, Copy, Read, Flag } action = Action::Delete;
    std::string target;   // Move, Copy: the folder
    std::string defined_at;
};

// mutt's hooks. When the event happens to what `pattern` matches, `command`
// runs as if typed at the ':' prompt; save-, fcc- and fcc-save-hook name a
// folder instead. folder-hook and account-hook match a regular expression
// against the folder ("account/folder") or the account (its name and
// receive URL); the others a message pattern, where a bare regular
// expression means mutt's default: "~f RE !~P | (~P ~C RE)".
struct Hook {
    enum class Event { Folder, Account, Message, Send, Send2, Reply, Save, Fcc, FccSave };
    Event event = Event::Folder;
    bool negated = false;  // "!PATTERN"
    std::string pattern;
    std::string command;
    std::string defined_at;
};

// A header the user adds to every message written (mutt's my_hdr).
struct MyHeader {
    std::string name, value;
};

struct GlobalOptions {
    std::string editor;                // empty: $VISUAL, $EDITOR, vi
    std::string sort = "threads";
    std::string sort_aux = "date";
    int check_interval = 60;           // seconds; 0 = never poll
    int connect_timeout = 30;          // seconds
    int timeout = 60;                  // seconds
    std::string default_account;       // empty: the first account
    // the pager: which headers it shows, in this order
    std::vector<std::string> header_display = {"From", "To", "Cc", "Date", "Subject"};
    // multipart/alternative: the first of these types present is shown
    std::vector<std::string> alternative_order = {"text/plain", "text/enriched", "text/html"};
    // the reader: the index line (mutt's %-expandos, see tern(5)), the sidebar
    std::string index_format = "%4C %Z %{%b %d} %-15.15L (%4c) %s";
    bool sidebar_visible = false;
    int sidebar_width = 24;
    // what quitting or syncing does with messages marked deleted (mutt's $delete)
    std::string purge = "ask-yes";
    // addresses: mutt's alias file (empty: $XDG_CONFIG_HOME/tern/aliases) and an external address book
    std::string alias_file;
    std::string query_command;  // %s: the query, shell-quoted
    // new mail: a command run with the folder and counts, and the terminal bell
    std::string new_mail_command;
    bool beep_new = false;
    // writing: mutt's signature (a file, or a command ending in '|'; an
    // account's `signature` comes first), its "-- " line, the reply's
    // attribution, the forward's subject, the From of a reply
    std::string signature;
    bool sig_dashes = true;
    std::string attribution = "On %d, %n wrote:";
    std::string forward_format;  // empty: "Fwd: SUBJECT"; else mutt's %-expandos (%s %a %n)
    bool reverse_name = false;   // a reply is From the address of mine the message was sent to
    // the URL list: what opens a link (%s: the URL, shell-quoted; else it is
    // appended); empty: xdg-open, or over SSH $BROWSER, else the link is shown
    std::string url_command;
    std::vector<MyHeader> my_headers;
    // addresses: more of mine (regular expressions), mailing lists (regular expressions)
    std::vector<std::string> alternates, lists, subscribe;
    // the pager's headers mutt's way: ignore/unignore name prefixes; hdr_order
    // orders those shown. Empty `ignore`: header_display decides.
    std::vector<std::string> ignore, unignore, hdr_order;
    // folders listed first in the sidebar and folder list, in this order ("account/folder" or "folder")
    std::vector<std::string> mailboxes;
    // MIME types shown inline through a mailcap copiousoutput entry
    std::vector<std::string> auto_view = {"text/html"};
    // MIME types whose real type is looked up from the file name (mime.types)
    std::vector<std::string> mime_lookup = {"application/octet-stream"};
    CryptSettings crypt;
    bool index_decrypted = false;  // the default of each account's
};

// The crypt settings an account's mail is written with.
CryptSettings crypt_settings(const GlobalOptions& options, const Account& account);
struct Config;
// Whether any account has autocrypt = yes (reading then looks in Autocrypt's keyring too).
bool uses_autocrypt(const Config& config);

struct Config {
    std::string path;
    GlobalOptions options;
    std::vector<Account> accounts;
    std::vector<Binding> bindings;
    std::vector<Macro> macros;
    std::vector<ColorRule> colors;
    std::vector<Rule> rules;
    std::vector<Hook> hooks;

    const Account* find_account(std::string_view name) const;
    // The account named by default_account, else the first one.
    const Account* default_account() const;
    std::vector<std::string> account_names() const;
};

}  // namespace tern
