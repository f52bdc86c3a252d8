// OpenPGP through GPGME (Debian's libgpgme, engine gnupg): the one place
// that holds a gpgme_ctx_t, wrapped once. The passphrase is gpg-agent's
// business (its pinentry); with `may_prompt` false nothing ever asks, and a
// key that needs a passphrase reports "Cannot decrypt" instead. Plaintext
// stays in memory: GPGME is given and gives back memory buffers only.
#pragma once

#include <memory>
#include <string>

#include "mime/crypto_backend.hpp"

struct gpgme_context;

namespace tern {

class GpgmeBackend final : public CryptoBackend {
public:
    // Nothing is started until a signature or an encrypted part needs it;
    // when GPGME or gpg cannot be used, the parts say so.
    explicit GpgmeBackend(bool may_prompt) : may_prompt_(may_prompt) {}
    ~GpgmeBackend() override;
    GpgmeBackend(const GpgmeBackend&) = delete;
    GpgmeBackend& operator=(const GpgmeBackend&) = delete;

    std::vector<SignatureInfo> verify_detached(std::string_view data, std::string_view signature) override;
    DecryptResult decrypt(std::string_view ciphertext) override;
    DecryptResult verify_clearsigned(std::string_view block) override;

private:
    std::vector<SignatureInfo> signatures();
    bool ready();  // the context made, else why not in unusable_
    bool may_prompt_;
    std::string unusable_;
    struct ContextFree {
        void operator()(gpgme_context* c) const;
    };
    std::unique_ptr<gpgme_context, ContextFree> ctx_;
};

}  // namespace tern
