// libFuzzer target: the MIME side of PGP/MIME (RFC 3156). A stand-in engine
// says every signature is good and "decrypts" an encrypted part into the
// bytes it was given, so nested signed-in-encrypted-in-signed trees of any
// shape are parsed and rendered. Must never crash, hang or print a control
// character. (GPGME itself is not fuzzed here.) The message's Autocrypt
// headers are read too: whatever is read writes back to the same value.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "mime/autocrypt.hpp"
#include "mime/message.hpp"
#include "mime/render.hpp"

namespace {

struct EchoCrypto final : tern::CryptoBackend {
    int depth = 0;
    std::vector<tern::SignatureInfo> verify_detached(std::string_view data, std::string_view, tern::CryptoProtocol) override {
        tern::SignatureInfo s;
        s.status = data.size() % 2 ? tern::SignatureInfo::Status::Good : tern::SignatureInfo::Status::Bad;
        s.name = std::string(data.substr(0, 20));  // hostile text in a user id
        s.address = "a@x";
        s.key_id = "K";
        s.trust = "full";
        return {s};
    }
    tern::DecryptResult verify_clearsigned(std::string_view block, tern::CryptoProtocol) override {
        tern::DecryptResult r;
        r.ok = block.size() % 3 != 0;
        r.plaintext = std::string(block.substr(block.size() / 2));
        r.signatures = verify_detached(block, block, tern::CryptoProtocol::OpenPgp);
        return r;
    }
    tern::DecryptResult decrypt(std::string_view c, tern::CryptoProtocol) override {
        tern::DecryptResult r;
        r.ok = ++depth < 8;  // the plaintext may be another encrypted message: bounded
        r.plaintext = std::string(c);
        r.recipients = {std::string(c.substr(0, 8))};
        r.problem = "no";
        return r;
    }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const tern::Message m(std::string(reinterpret_cast<const char*>(data), size));
    EchoCrypto crypto;
    tern::RenderOptions o;
    o.crypto = &crypto;
    for (const auto& line : tern::render_message(m, o))
        for (const char c : line.text) {
            const auto u = static_cast<unsigned char>(c);
            if ((u < 0x20 && u != '\t') || u == 0x7f) std::abort();
        }
    tern::autocrypt_sender(m.headers());
    for (const std::string* value : m.headers().all(tern::kAutocryptHeader)) {
        const auto h = tern::parse_autocrypt(*value);
        if (!h) continue;
        const auto again = tern::parse_autocrypt(tern::format_autocrypt(*h));
        if (!again || again->addr != h->addr || again->keydata != h->keydata || again->prefer_mutual != h->prefer_mutual) std::abort();
        tern::autocrypt_of(m.headers(), h->addr);
    }
    return 0;
}
