// tests/corpus: every NAME.eml renders exactly as the reviewed NAME.txt
// (what `tern render` prints), and rendering rules that the corpus shows.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "mime/render.hpp"

using namespace tern;

namespace {

std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string render_text(const Message& m, const RenderOptions& options = {}) {
    std::string out;
    for (const auto& line : render_message(m, options)) out += line.text + "\n";
    return out;
}

}  // namespace

TEST_CASE("corpus messages render as reviewed") {
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator("tests/corpus"))
        if (e.path().extension() == ".eml") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    REQUIRE(files.size() >= 20);
    for (const auto& f : files) {
        CAPTURE(f.string());
        auto expected_path = f;
        expected_path.replace_extension(".txt");
        REQUIRE(std::filesystem::exists(expected_path));
        const Message m(slurp(f));
        CHECK(render_text(m) == slurp(expected_path));
    }
}

TEST_CASE("no control character survives rendering") {
    const Message m(slurp("tests/corpus/hostile-escapes.eml"));
    for (const auto& line : render_message(m))
        for (const char c : line.text) {
            const auto u = static_cast<unsigned char>(c);
            CHECK((u >= 0x20 || u == '\t'));
            CHECK(u != 0x7f);
        }
    const std::string text = render_text(m);
    CHECK(text.find("\xC2\x9B") == std::string::npos);  // no C1 CSI
}

TEST_CASE("alternative_order chooses the part") {
    const Message m(slurp("tests/corpus/alternative.eml"));
    CHECK(render_text(m).find("the plain version") != std::string::npos);
    RenderOptions html_first;
    html_first.alternative_order = {"text/html", "text/plain"};
    const std::string t = render_text(m, html_first);
    CHECK(t.find("the html version") != std::string::npos);
    CHECK(t.find("plain version") == std::string::npos);
}

TEST_CASE("configurable header list") {
    const Message m(slurp("tests/corpus/forwarded.eml"));
    RenderOptions o;
    o.headers = {"Subject"};
    const auto lines = render_message(m, o);
    REQUIRE(!lines.empty());
    CHECK(lines[0].text == "Subject: Fwd: the plan");
    CHECK(lines[0].kind == LineKind::Header);
    CHECK(lines[1].text.empty());
}

TEST_CASE("mutt's ignore, unignore and hdr_order choose and order the headers") {
    const Message m("Received: from a\nFrom: A <a@x>\nX-Mailer: m1\nX-Spam-Score: 3\nSubject: s\nDate: Mon, 2 Mar 2026 10:00:00 +0000\nTo: b@x\n\nbody\n");
    const auto headers = [&](const RenderOptions& o) {
        std::vector<std::string> out;
        for (const auto& l : render_message(m, o))
            if (l.kind == LineKind::Header) out.push_back(l.text.substr(0, l.text.find(':')));
        return out;
    };
    RenderOptions o;
    o.ignore = {"*"};
    o.unignore = {"from", "to", "subject", "date", "x-"};  // a name begins the headers it names
    CHECK(headers(o) == std::vector<std::string>{"From", "X-Mailer", "X-Spam-Score", "Subject", "Date", "To"});
    o.hdr_order = {"date", "from", "x-spam"};
    CHECK(headers(o) == std::vector<std::string>{"Date", "From", "X-Spam-Score", "X-Mailer", "Subject", "To"});
    RenderOptions some;
    some.ignore = {"received", "x-spam"};  // everything else shows, as the message orders it
    CHECK(headers(some) == std::vector<std::string>{"From", "X-Mailer", "Subject", "Date", "To"});
    GlobalOptions g;
    g.ignore = {"*"};
    g.unignore = {"subject"};
    CHECK(headers(render_options_from(g)) == std::vector<std::string>{"Subject"});
}

TEST_CASE("auto_view: the listed types go through the viewer, under their marker") {
    const Message m("From: a@x\nSubject: s\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n"
                    "--b\nContent-Type: text/plain\n\nthe text\n"
                    "--b\nContent-Type: text/calendar\n\nBEGIN:VCALENDAR\n"
                    "--b\nContent-Type: text/calendar\nContent-Disposition: attachment; filename=x.ics\n\nBEGIN:VCALENDAR\n"
                    "--b\nContent-Type: text/html\n\n<p>html <b>part</b></p>\n--b--\n");
    std::vector<std::string> asked;
    RenderOptions o;
    o.viewer = [&asked](const ContentType& t, std::string_view data) -> std::optional<std::string> {
        asked.push_back(t.full());
        if (t.full() == "text/calendar") return "Meeting: " + std::string(data.substr(0, 15)) + "\x1b[31m\n";
        return "html by the viewer\n";
    };
    std::string text;
    for (const auto& l : render_message(m, o)) text += l.text + "\n";
    CHECK(asked == std::vector<std::string>{"text/html"});  // by default only text/html
    CHECK(text.find("html by the viewer") != std::string::npos);
    CHECK(text.find("Meeting:") == std::string::npos);

    asked.clear();
    o.auto_view = {"text/*"};
    text.clear();
    for (const auto& l : render_message(m, o)) text += l.text + "\n";
    CHECK(asked == std::vector<std::string>{"text/calendar", "text/html"});  // not the one marked attachment
    INFO(text);
    CHECK(text.find("text/calendar, Encoding: 7bit, Size: 15 --]\n[-- Autoview using mailcap --]\nMeeting: BEGIN:VCALENDAR") != std::string::npos);
    CHECK(text.find('\x1b') == std::string::npos);  // the viewer's output is made terminal-safe too

    o.auto_view = {};  // unauto_view text/html: the built-in converter
    asked.clear();
    text.clear();
    for (const auto& l : render_message(m, o)) text += l.text + "\n";
    CHECK(asked.empty());
    CHECK(text.find("html part") != std::string::npos);
}

namespace {
// A stand-in for GPGME that records what it was given: the MIME side alone.
struct RecordingCrypto final : CryptoBackend {
    std::string signed_data, signature, ciphertext;
    std::vector<SignatureInfo> verify_detached(std::string_view data, std::string_view sig, CryptoProtocol) override {
        signed_data = data;
        signature = sig;
        SignatureInfo s;
        s.status = SignatureInfo::Status::Good;
        s.name = "Alice";
        s.address = "alice@example.org";
        s.key_id = "FPR1";
        s.trust = "full";
        return {s};
    }
    DecryptResult verify_clearsigned(std::string_view block, CryptoProtocol) override {
        clearsigned = block;
        DecryptResult r;
        r.ok = true;
        r.plaintext = "caf\xe9 signed\n";  // latin-1, as the part's charset says
        r.signatures = verify_detached("", "", CryptoProtocol::OpenPgp);
        return r;
    }
    std::string clearsigned;
    DecryptResult decrypt(std::string_view c, CryptoProtocol) override {
        ciphertext = c;
        DecryptResult r;
        r.ok = true;
        r.recipients = {"KEY1", "KEY2"};
        r.plaintext = "Content-Type: text/plain\n\ninner secret\n";
        return r;
    }
};
}  // namespace

TEST_CASE("PGP/MIME: what is handed to the engine, and where the status lines go") {
    const Message signed_msg("From: Mallory <mallory@example.org>\nMIME-Version: 1.0\n"
                             "Content-Type: multipart/signed; protocol=\"application/pgp-signature\"; micalg=pgp-sha256; boundary=s\n\n"
                             "--s\nContent-Type: text/plain\n\nsigned line\n--s\nContent-Type: application/pgp-signature\n\nSIG\n--s--\n");
    RecordingCrypto crypto;
    RenderOptions o;
    o.crypto = &crypto;
    std::string text;
    for (const auto& l : render_message(signed_msg, o)) text += l.text + "\n";
    CHECK(crypto.signed_data == "Content-Type: text/plain\r\n\r\nsigned line");  // canonical CRLF, without the boundary's line break
    CHECK(crypto.signature == "SIG");
    CHECK(text.find("[-- Good signature from Alice <alice@example.org> (key FPR1, trust full) --]\n"
                    "[-- Signer alice@example.org does not match the From address mallory@example.org --]\n"
                    "[-- Begin signed data --]\nsigned line\n[-- End of signed data --]") != std::string::npos);

    const Message enc("From: a@x\nMIME-Version: 1.0\nContent-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=e\n\n"
                      "--e\nContent-Type: application/pgp-encrypted\n\nVersion: 1\n--e\nContent-Type: application/octet-stream\n\nARMOR\n--e--\n");
    text.clear();
    for (const auto& l : render_message(enc, o)) text += l.text + "\n";
    CHECK(crypto.ciphertext == "ARMOR");
    CHECK(text.find("[-- Decrypted (encrypted for KEY1, KEY2) --]\ninner secret\n[-- End of decrypted data --]") != std::string::npos);

    // inline PGP in a latin-1 text part: the block framed, the text around it outside
    const Message inline_msg("From: alice@example.org\nContent-Type: text/plain; charset=iso-8859-1\n\nBefore.\n"
                             "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\ncaf\xe9 signed\n-----BEGIN PGP SIGNATURE-----\nAAA\n"
                             "-----END PGP SIGNATURE-----\nAfter, unsigned.\n");
    text.clear();
    for (const auto& l : render_message(inline_msg, o)) text += l.text + "\n";
    CHECK(crypto.clearsigned.rfind("-----BEGIN PGP SIGNED MESSAGE-----", 0) == 0);
    CHECK(crypto.clearsigned.size() > 30);
    CHECK(crypto.clearsigned.substr(crypto.clearsigned.size() - 28) == "-----END PGP SIGNATURE-----\n");
    CHECK(text.find("Before.\n[-- Good signature from Alice <alice@example.org> (key FPR1, trust full) --]\n[-- Begin signed data --]\n"
                    "café signed\n[-- End of signed data --]\nAfter, unsigned.") != std::string::npos);

    text.clear();  // no engine: nothing pretends to be checked, nothing is opened
    for (const auto& l : render_message(enc, RenderOptions{})) text += l.text + "\n";
    CHECK(text.find("[-- Cannot decrypt: no OpenPGP engine here --]") != std::string::npos);
    CHECK(text.find("inner secret") == std::string::npos);
}

TEST_CASE("line kinds and quote levels for colors") {
    const Message m(slurp("tests/corpus/flowed.eml"));
    const auto lines = render_message(m);
    auto find = [&](const std::string& text) {
        for (const auto& l : lines)
            if (l.text == text) return l;
        return RenderedLine{LineKind::Marker, -1, ""};
    };
    CHECK(find(">> deep quote that continues").quote_level == 2);
    CHECK(find("> shallow quote").kind == LineKind::Quoted);
    CHECK(find("-- ").kind == LineKind::Signature);
    CHECK(find("sig line stays").kind == LineKind::Signature);
}

TEST_CASE("attachment list with decoded names, types and sizes") {
    const Message m(slurp("tests/corpus/rfc2231-names.eml"));
    const auto list = list_attachments(m);
    REQUIRE(list.size() == 4);
    CHECK(list[0].type == "text/plain");
    CHECK(list[1].filename == "Übersicht 2026.pdf");
    CHECK(list[1].type == "application/pdf");
    CHECK(list[1].size == 9);
    CHECK(list[2].filename == "日本-notes.txt");
    CHECK(list[3].filename == "éphoto.png");
}

TEST_CASE("format=flowed") {
    CHECK(unflow("a \nb\nc", false) == "a b\nc");
    CHECK(unflow("a \nb\n", true) == "ab\n");       // DelSp=yes removes the space
    CHECK(unflow("> a \n> b\n", false) == "> a b\n");
    CHECK(unflow("> a \nb\n", false) == "> a \nb\n");  // a quote depth change ends the paragraph
    CHECK(unflow(" From here\n", false) == "From here\n");  // space stuffing
    CHECK(unflow("-- \nsig\n", false) == "-- \nsig\n");  // the signature separator is not flowed
}

TEST_CASE("safe file names for saving attachments") {
    CHECK(safe_filename("report.pdf") == "report.pdf");
    CHECK(safe_filename("../../.bashrc") == "bashrc");
    CHECK(safe_filename("C:\\Windows\\evil.exe") == "evil.exe");
    CHECK(safe_filename("/etc/passwd") == "passwd");
    CHECK(safe_filename("a\x1b[2Jb") == "a_[2Jb");
    CHECK(safe_filename("-rf") == "rf");
    CHECK(safe_filename("...") == "attachment");
    CHECK(safe_filename("") == "attachment");
    CHECK(safe_filename("Übersicht.pdf") == "Übersicht.pdf");
    CHECK(safe_filename(std::string(300, 'x')).size() == 200);
}

TEST_CASE("human sizes") {
    CHECK(human_size(512) == "512");
    CHECK(human_size(1536) == "1.5K");
    CHECK(human_size(200 * 1024) == "200K");
    CHECK(human_size(3 * 1024 * 1024 + 512 * 1024) == "3.5M");
}

TEST_CASE("rendering stays linear on hostile HTML and many headers") {
    using Clock = std::chrono::steady_clock;
    std::string html = "Content-Type: text/html\n\n";
    html += std::string(200000, '&');
    html += std::string(20000, '<');
    std::string to;
    for (int i = 0; i < 20000; ++i) to += "To: a@x\n";
    const auto t0 = Clock::now();
    (void)render_message(Message(html));
    (void)render_message(Message(to + "\nbody\n"));
    CHECK(std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count() < 2000);
}
