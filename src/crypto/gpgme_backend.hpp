// OpenPGP and S/MIME through GPGME (Debian's libgpgme, engines gnupg and
// gpgsm): the one place that holds a gpgme_ctx_t, wrapped once, one per
// protocol. The passphrase is gpg-agent's business (its pinentry); tern never
// sees it. Without a terminal nothing ever asks, and a key that needs a
// passphrase reports "Cannot decrypt" instead. Plaintext stays in memory:
// GPGME is given and gives back memory buffers only.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "config/config.hpp"
#include "mime/crypto_backend.hpp"

struct gpgme_context;

namespace tern {

// May gpg-agent ask for a passphrase, and what the screen does around it.
struct Prompting {
    bool allowed = false;
    // The reader: an operation is tried without asking first; only when the
    // key needs its passphrase does `release` hand the terminal over to
    // pinentry, and `reclaim` takes it back afterwards.
    std::function<void()> release, reclaim;
};

class GpgmeBackend final : public CryptoBackend, public CryptoWriter {
public:
    // Nothing is started until a message needs it; when GPGME or an engine
    // cannot be used, the parts say so.
    // `home`: a GnuPG home of its own (Autocrypt's) instead of the user's.
    explicit GpgmeBackend(Prompting prompting, std::string home = {}) : prompting_(std::move(prompting)), home_(std::move(home)) {}
    explicit GpgmeBackend(bool may_prompt, std::string home = {}) : prompting_{may_prompt, {}, {}}, home_(std::move(home)) {}
    ~GpgmeBackend() override;
    GpgmeBackend(const GpgmeBackend&) = delete;
    GpgmeBackend& operator=(const GpgmeBackend&) = delete;

    std::vector<SignatureInfo> verify_detached(std::string_view data, std::string_view signature, CryptoProtocol protocol) override;
    DecryptResult decrypt(std::string_view ciphertext, CryptoProtocol protocol) override;
    DecryptResult verify_clearsigned(std::string_view block, CryptoProtocol protocol) override;
    KeyChoice find_key(CryptoProtocol protocol, std::string_view address, bool secret) override;
    CryptoOutput sign_detached(CryptoProtocol protocol, std::string_view data, const std::string& signer) override;
    CryptoOutput encrypt(CryptoProtocol protocol, std::string_view data, const std::vector<std::string>& recipients,
                         const std::string& signer) override;

    // OpenPGP key management, for Autocrypt's keyring: a new key for an
    // address (no passphrase, Curve25519 as Level 1 asks, never expiring),
    // a key given as bytes added (its fingerprint back), a key's minimal
    // export (binary: the header's keydata). Empty with `problem` set on failure.
    std::string create_key(const std::string& address, std::string& problem);
    std::string import_key(std::string_view keydata, std::string& problem);
    std::string export_key(const std::string& fingerprint, std::string& problem);

private:
    struct ContextFree {
        void operator()(gpgme_context* c) const;
    };
    using Context = std::unique_ptr<gpgme_context, ContextFree>;
    struct Engine {
        Context ctx;
        std::string unusable;  // why it cannot be used, once known
    };
    // The protocol's context, made when first needed; null with the reason in `why`.
    gpgme_context* context(CryptoProtocol protocol, std::string& why);
    // Runs `op` (which returns a gpgme_error_t); when the key wanted its
    // passphrase and the reader may ask, once more with pinentry on the terminal.
    unsigned run(gpgme_context* ctx, const std::function<unsigned()>& op);
    std::vector<SignatureInfo> signatures(gpgme_context* ctx);
    Prompting prompting_;
    std::string home_;
    Engine engines_[2];
};

// What the full-text index decrypts encrypted mail with: nothing unless the
// account says index_decrypted = yes; never asks for a passphrase.
std::unique_ptr<CryptoBackend> index_decryptor(const Account& account);

}  // namespace tern
