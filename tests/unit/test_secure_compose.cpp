// The MIME side of writing signed and encrypted mail (RFC 3156, RFC 8551)
// with a stand-in engine that records what it is handed: the signed bytes
// are exactly the part between the delimiters, the body is relay-safe
// before it is signed, Bcc recipients get copies of their own, and a missing
// key stops everything (never a message in the clear).
#include <doctest/doctest.h>

#include "mime/message.hpp"
#include "mime/secure_compose.hpp"
#include "mime/transfer_encoding.hpp"
#include "util/strings.hpp"

using namespace tern;

namespace {

struct RecordingWriter final : CryptoWriter {
    std::vector<std::string> keyless;  // addresses with no key
    std::string signed_data;
    std::vector<std::pair<std::vector<std::string>, std::string>> encryptions;  // keys, signer
    KeyChoice find_key(CryptoProtocol, std::string_view address, bool secret) override {
        KeyChoice k;
        const std::string a(address);
        for (const auto& n : keyless)
            if (n == a) {
                k.problem = "no OpenPGP key for " + a;
                return k;
            }
        k.fingerprint = (secret ? "SEC-" : "FPR-") + a;
        k.user_id = a;
        k.validity = "full";
        return k;
    }
    CryptoOutput sign_detached(CryptoProtocol p, std::string_view data, const std::string&) override {
        signed_data = data;
        return {true, p == CryptoProtocol::Smime ? std::string("\x30\x82 DER") : "-----BEGIN PGP SIGNATURE-----\nSIG\n-----END PGP SIGNATURE-----\n",
                p == CryptoProtocol::Smime ? "sha-256" : "pgp-sha256", ""};
    }
    CryptoOutput encrypt(CryptoProtocol, std::string_view data, const std::vector<std::string>& keys, const std::string& signer) override {
        encryptions.emplace_back(keys, signer);
        return {true, "-----BEGIN PGP MESSAGE-----\n" + encode_base64(data, 76) + "\n-----END PGP MESSAGE-----\n", "", ""};
    }
};

Draft draft() {
    Draft d;
    d.from = {"Alice", "alice@example.org"};
    d.to = {{"Bob", "bob@example.org"}};
    d.cc = {{"", "carol@example.org"}};
    d.bcc = {{"", "dave@example.org"}};
    d.subject = "plans";
    d.body = "From the top.\nA trailing blank \nend\n";
    d.date = 1700000000;
    return d;
}

}  // namespace

TEST_CASE("PGP/MIME signed: the signature covers exactly the first part, made relay-safe before signing") {
    RecordingWriter w;
    Security s;
    s.sign = true;
    const SecuredMail m = secure_mail(draft(), s, w);
    REQUIRE(m.copies.size() == 1);  // signing alone: one message, Bcc in the envelope only
    CHECK(m.copies[0].recipients == std::vector<std::string>{"bob@example.org", "carol@example.org", "dave@example.org"});
    const std::string& bytes = m.copies[0].bytes;
    CHECK(bytes.find("Bcc:") == std::string::npos);
    CHECK(bytes.find("multipart/signed; micalg=pgp-sha256;\r\n protocol=\"application/pgp-signature\"") != std::string::npos);
    // quoted-printable: the "From " line and the trailing blank survive any relay
    CHECK(w.signed_data.find("Content-Transfer-Encoding: quoted-printable\r\n") != std::string::npos);
    CHECK(w.signed_data.find("=46rom the top.") != std::string::npos);
    CHECK(w.signed_data.find("blank=20\r\n") != std::string::npos);
    // the bytes between the first delimiter line and the CRLF before the next are what was signed
    const Message parsed{crlf_to_lf(bytes)};
    REQUIRE(parsed.root().children.size() == 2);
    CHECK(lf_to_crlf(parsed.root().children[0].raw) == w.signed_data);
    CHECK(parsed.root().children[1].type.is("application", "pgp-signature"));
}

TEST_CASE("PGP/MIME encrypted: to To, Cc and the sender; each Bcc recipient alone (and the sender) in a copy of its own") {
    RecordingWriter w;
    Security s;
    s.sign = s.encrypt = true;
    const SecuredMail m = secure_mail(draft(), s, w);
    REQUIRE(m.copies.size() == 2);
    CHECK(m.copies[0].recipients == std::vector<std::string>{"bob@example.org", "carol@example.org"});
    CHECK(m.copies[0].keep_sent_copy);
    CHECK(m.copies[1].recipients == std::vector<std::string>{"dave@example.org"});
    CHECK_FALSE(m.copies[1].keep_sent_copy);  // Sent keeps the message once
    REQUIRE(w.encryptions.size() == 2);
    CHECK(w.encryptions[0].first == std::vector<std::string>{"SEC-alice@example.org", "FPR-bob@example.org", "FPR-carol@example.org"});
    CHECK(w.encryptions[1].first == std::vector<std::string>{"SEC-alice@example.org", "FPR-dave@example.org"});
    CHECK(w.encryptions[0].second == "SEC-alice@example.org");  // signed inside the encryption (RFC 3156 6.2)
    CHECK(w.signed_data.empty());
    for (const auto& c : m.copies) {
        CHECK(c.bytes.find("multipart/encrypted; protocol=\"application/pgp-encrypted\"") != std::string::npos);
        CHECK(c.bytes.find("Version: 1") != std::string::npos);
        CHECK(c.bytes.find("From the top") == std::string::npos);
        CHECK(c.bytes.find("dave@") == std::string::npos);
    }
    // one Message-ID for every copy
    const auto id = [](const std::string& b) { return b.substr(b.find("Message-ID:"), b.find("\r\n", b.find("Message-ID:")) - b.find("Message-ID:")); };
    CHECK(id(m.copies[0].bytes) == id(m.copies[1].bytes));
}

TEST_CASE("a recipient without a key: nothing at all, and the problem names them") {
    RecordingWriter w;
    w.keyless = {"carol@example.org"};
    Security s;
    s.encrypt = true;
    const SecuredMail m = secure_mail(draft(), s, w);
    CHECK(m.copies.empty());
    CHECK(m.problem == "Cannot encrypt: no OpenPGP key for carol@example.org");
    CHECK(w.encryptions.empty());
    const KeyCheck k = check_keys(draft(), s, w);
    CHECK(k.problems == std::vector<std::string>{"no OpenPGP key for carol@example.org"});
    CHECK(k.recipients.size() == 3);
    // no key of one's own: not even signing goes ahead
    w.keyless = {"alice@example.org"};
    Security sign;
    sign.sign = true;
    CHECK(secure_mail(draft(), sign, w).copies.empty());
}

TEST_CASE("S/MIME: multipart/signed with a base64 pkcs7-signature; encrypted as enveloped-data over the signed entity") {
    RecordingWriter w;
    Security s;
    s.sign = true;
    s.protocol = CryptoProtocol::Smime;
    SecuredMail m = secure_mail(draft(), s, w);
    REQUIRE(m.copies.size() == 1);
    const std::string& b = m.copies[0].bytes;
    CHECK(b.find("multipart/signed; protocol=\"application/pkcs7-signature\";\r\n micalg=sha-256;") != std::string::npos);
    CHECK(b.find("Content-Type: application/pkcs7-signature; name=\"smime.p7s\"\r\nContent-Transfer-Encoding: base64") != std::string::npos);
    s.encrypt = true;
    m = secure_mail(draft(), s, w);
    REQUIRE(m.copies.size() == 2);
    CHECK(m.copies[0].bytes.find("Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=\"smime.p7m\"") != std::string::npos);
    CHECK(w.encryptions.back().second.empty());  // S/MIME signs first, then encrypts the signed entity
}

TEST_CASE("nothing asked: the message as compose_message makes it, to everyone") {
    RecordingWriter w;
    const SecuredMail m = secure_mail(draft(), Security{}, w);
    REQUIRE(m.copies.size() == 1);
    CHECK(m.copies[0].bytes.find("Content-Type: text/plain") != std::string::npos);
    CHECK(m.copies[0].recipients.size() == 3);
}

TEST_CASE("a finished message (tern send): Content-* fields go inside, the rest stays out; blind recipients get their own copy") {
    RecordingWriter w;
    Security s;
    s.encrypt = true;
    const std::string msg =
        "From: Alice <alice@example.org>\nTo: bob@example.org\nBcc: dave@example.org\nSubject: s\nMIME-Version: 1.0\n"
        "Content-Type: text/plain;\n charset=utf-8\nContent-Transfer-Encoding: 8bit\n\nbody caf\xc3\xa9\n";
    const SecuredMail m = secure_message(msg, {"bob@example.org", "dave@example.org"}, s, w);
    REQUIRE(m.copies.size() == 2);
    CHECK(m.copies[0].recipients == std::vector<std::string>{"bob@example.org"});
    CHECK(m.copies[1].recipients == std::vector<std::string>{"dave@example.org"});
    const std::string& outer = m.copies[0].bytes;
    CHECK(outer.find("Subject: s\r\nMIME-Version: 1.0\r\nContent-Type: multipart/encrypted") != std::string::npos);
    CHECK(outer.find("Bcc") == std::string::npos);
    CHECK(outer.find("charset=utf-8") == std::string::npos);  // inside the encryption now
    // what was encrypted: the entity, folded Content-Type line and all
    const std::string armored = outer.substr(outer.find("-----BEGIN PGP MESSAGE-----\r\n") + 29);
    const std::string inner = decode_base64(armored.substr(0, armored.find("\r\n-----END")));
    CHECK(inner == "Content-Type: text/plain;\r\n charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nbody caf\xc3\xa9\r\n");
}

TEST_CASE("a finished message signed: a single 8-bit part made quoted-printable first; an 8-bit multipart refused") {
    RecordingWriter w;
    Security s;
    s.sign = true;
    const SecuredMail m = secure_message("From: a@example.org\nTo: b@example.org\n\nFrom me, caf\xc3\xa9\n", {"b@example.org"}, s, w);
    REQUIRE(m.copies.size() == 1);
    CHECK(w.signed_data == "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n=46rom me, caf=C3=A9\r\n");
    const SecuredMail bad = secure_message(
        "From: a@example.org\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\ncaf\xc3\xa9\n--b--\n", {"b@example.org"}, s, w);
    CHECK(bad.copies.empty());
    CHECK(bad.problem.find("Cannot sign: a part of the message is 8-bit") == 0);
    CHECK(secure_message("To: b@example.org\n\nx\n", {"b@example.org"}, s, w).problem == "Cannot sign: the message has no From address");
}

TEST_CASE("a draft remembers its choice (X-Tern-Security) and, to be encrypted, is encrypted to the sender alone") {
    Security s;
    s.sign = s.encrypt = true;
    s.protocol = CryptoProtocol::Smime;
    s.sign_as = "0xABCDEF12";
    CHECK(security_header(s) == "sign, encrypt; smime; as 0xABCDEF12");
    const Security back = parse_security_header(security_header(s), Security{});
    CHECK(back.sign);
    CHECK(back.encrypt);
    CHECK(back.protocol == CryptoProtocol::Smime);
    CHECK(back.sign_as == "0xABCDEF12");
    CHECK_FALSE(parse_security_header("none; pgp", s).any());
    RecordingWriter w;
    Draft d = draft();
    d.write_bcc = true;
    const SecuredMail kept = encrypt_to_self(d, Security{false, true, CryptoProtocol::OpenPgp, ""}, w);
    REQUIRE(kept.copies.size() == 1);
    CHECK(w.encryptions.back().first == std::vector<std::string>{"SEC-alice@example.org"});
    CHECK(kept.copies[0].bytes.find("Bcc: dave@example.org\r\n") != std::string::npos);  // a draft keeps its Bcc
    CHECK(kept.copies[0].bytes.find("From the top") == std::string::npos);
}
