// A message of any size in bounded memory: line ends and transfer encodings
// undone over pieces cut anywhere, a maildir delivery written a piece at a
// time, a mapped message parsed exactly as one read into memory.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "core/error.hpp"
#include "mime/message.hpp"
#include "mime/render.hpp"
#include "mime/transfer_encoding.hpp"
#include "store/maildir.hpp"
#include "file_size_limit.hpp"
#include "temp_dir.hpp"
#include "util/files.hpp"
#include "util/mapped_file.hpp"
#include "util/strings.hpp"

using namespace tern;
namespace fs = std::filesystem;

namespace {

// `text` cut at every position in `cuts` (in order), each piece through `feed`, then `finish`
template <typename Stream>
std::string in_pieces(Stream& stream, std::string_view text, const std::vector<std::size_t>& cuts) {
    std::string out;
    std::size_t from = 0;
    for (const std::size_t cut : cuts) {
        out += stream.feed(text.substr(from, cut - from));
        from = cut;
    }
    out += stream.feed(text.substr(from));
    return out + stream.finish();
}

// Every way of cutting `text` in two and three pieces.
template <typename Make, typename Whole>
void every_cut(std::string_view text, Make make, Whole whole) {
    const std::string expected = whole(text);
    for (std::size_t a = 0; a <= text.size(); ++a) {
        auto two = make();
        CHECK(in_pieces(two, text, {a}) == expected);
        for (std::size_t b = a; b <= text.size(); ++b) {
            auto three = make();
            CHECK(in_pieces(three, text, {a, b}) == expected);
        }
    }
}

std::string big_attachment_message(std::size_t bytes) {
    std::mt19937 random(42);
    std::string data(bytes, '\0');
    for (char& c : data) c = static_cast<char>(random() & 0xFF);
    return "From: Big <big@example.org>\nSubject: big\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b1\"\n\n"
           "--b1\nContent-Type: text/plain\n\nThe file is attached.\n\n--b1\nContent-Type: application/octet-stream\n"
           "Content-Disposition: attachment; filename=\"data.bin\"\nContent-Transfer-Encoding: base64\n\n" +
           encode_base64(data) + "\n--b1--\n";
}

}  // namespace

TEST_CASE("CRLF to LF over pieces cut anywhere, a CRLF split between two included") {
    for (const std::string text : {"a\r\nb\r\n", "\r\n\r\n", "lone\rCR\r", "\r\r\n\r", "x", ""})
        every_cut(text, [] { return CrlfToLfStream(); }, [](std::string_view s) { return crlf_to_lf(s); });
}

TEST_CASE("LF to CRLF and its size, piece by piece, are those of the whole (a CR ending one piece counts)") {
    for (const std::string text : {"a\nb\r\nc\n", "\n\n", "\r\n\r", "x\r", ""})
        for (std::size_t cut = 0; cut <= text.size(); ++cut) {
            CHECK(lf_to_crlf_piece(text, 0, cut) + lf_to_crlf_piece(text, cut, text.size()) == lf_to_crlf(text));
            CHECK(crlf_size_piece(text, 0, cut) + crlf_size_piece(text, cut, text.size()) == crlf_size(text));
            CHECK(crlf_size(text) == lf_to_crlf(text).size());
        }
}

TEST_CASE("two mapped files compared a window at a time") {
    TempDir t;
    std::string a(9 << 20, 'a');
    std::string b = a;
    b[8 << 20] = 'b';  // in the third window
    REQUIRE(write_new_file((t.path / "a").string(), a, 0600, false) == 0);
    REQUIRE(write_new_file((t.path / "a2").string(), a, 0600, false) == 0);
    REQUIRE(write_new_file((t.path / "b").string(), b, 0600, false) == 0);
    REQUIRE(write_new_file((t.path / "short").string(), a.substr(1), 0600, false) == 0);
    const auto map = [&](const char* name) { return *MappedFile::open((t.path / name).string()); };
    CHECK(same_bytes(map("a"), map("a2")));
    CHECK_FALSE(same_bytes(map("a"), map("b")));
    CHECK_FALSE(same_bytes(map("a"), map("short")));
    std::size_t windows = 0;
    map("a").for_each_window([&](std::size_t at, std::string_view window) {
        CHECK(at == windows * (4 << 20));
        CHECK(window == std::string_view(a).substr(at, 4 << 20));
        ++windows;
    });
    CHECK(windows == 3);
}

TEST_CASE("transfer decoding over pieces cut anywhere is the decoding of the whole") {
    const std::string b64 = encode_base64("Any bytes \x01\xff and more bytes to cross a line or two of base64 text.", 20) + "=garbage\n";
    every_cut(b64, [] { return TransferDecoder("base64"); }, [](std::string_view s) { return decode_transfer(s, "base64"); });
    const std::string qp = "caf=C3=A9 soft=\nbreak=\r\nline  \nlast=3D\n=ZZ";
    every_cut(qp, [] { return TransferDecoder("Quoted-Printable"); },
              [](std::string_view s) { return decode_transfer(s, "quoted-printable"); });
    every_cut("8bit as it is\n", [] { return TransferDecoder("8bit"); }, [](std::string_view s) { return decode_transfer(s, "8bit"); });
}

TEST_CASE("a mapped message file parses as the same file read into memory") {
    TempDir t;
    const std::string path = (t.path / "big.eml").string();
    const std::string bytes = big_attachment_message(6 << 20);  // over kMapMessagesFrom: from_file maps it
    REQUIRE(bytes.size() >= kMapMessagesFrom);
    REQUIRE(write_new_file(path, bytes, 0600, false) == 0);
    const auto mapped = Message::from_file(path);
    REQUIRE(mapped);
    const Message read(bytes);
    CHECK(mapped->bytes() == read.bytes());
    CHECK(mapped->bytes().data() != read.bytes().data());
    REQUIRE(mapped->root().children.size() == 2);
    CHECK(mapped->root().children[1].body == read.root().children[1].body);
    CHECK(mapped->root().children[1].filename == "data.bin");
    CHECK(render_message(*mapped).size() == render_message(read).size());
    const auto attachments = list_attachments(*mapped);
    REQUIRE(attachments.size() == 2);
    // estimated from the line length, not counted: within a line of base64
    CHECK(attachments[1].size <= std::size_t{6 << 20});
    CHECK(attachments[1].size + 57 >= std::size_t{6 << 20});
    // moved, it still points at its mapping
    const Message moved = std::move(*const_cast<std::optional<Message>&>(mapped));
    CHECK(moved.root().children[1].filename == "data.bin");
    CHECK(moved.bytes() == bytes);
    int err = 0;
    CHECK_FALSE(Message::from_file((t.path / "missing").string(), &err));
    CHECK(err == ENOENT);
}

TEST_CASE("an attachment is decoded a piece at a time into what decoding it whole gives") {
    const std::string bytes = big_attachment_message(3 << 20);
    const Message message(bytes);
    const Part& part = message.root().children[1];
    std::string out;
    std::size_t pieces = 0;
    CHECK(decode_body_to(message, part, [&](std::string_view piece) {
        out += piece;
        ++pieces;
        return true;
    }));
    CHECK(out == part.decoded_body());
    CHECK(pieces > 2);
    // a writer that fails stops it
    std::size_t calls = 0;
    CHECK_FALSE(decode_body_to(message, part, [&](std::string_view) { return ++calls < 2; }));
    CHECK(calls == 2);
}

TEST_CASE("a spooled delivery: written in pieces, delivered durably, or gone when abandoned") {
    TempDir t;
    Maildir md((t.path / "INBOX").string(), true);
    {
        Maildir::Spool spool = md.spool();
        for (int i = 0; i < 3000; ++i) spool.write("line " + std::to_string(i) + "\n");
        CHECK(spool.size() > 20000);
        const MaildirEntry e = spool.commit(Flags().with(Flags::Seen), true, ",U=7");
        CHECK(e.subdir == "cur");
        CHECK(e.key.find(",S=" + std::to_string(e.size) + ",U=7") != std::string::npos);
        const auto stored = read_file(e.path(md.root()));
        REQUIRE(stored);
        CHECK(stored->size() == e.size);
        CHECK(stored->starts_with("line 0\nline 1\n"));
        CHECK(stored->ends_with("line 2999\n"));
    }
    {
        Maildir::Spool spool = md.spool();
        spool.write(std::string(100000, 'x'));
        CHECK_FALSE(fs::is_empty(t.path / "INBOX" / "tmp"));  // being written
    }  // not committed: a connection lost half way
    CHECK(fs::is_empty(t.path / "INBOX" / "tmp"));
    CHECK(md.list().size() == 1);
}

TEST_CASE("a spooled delivery on a full disk says why and leaves no file") {
    TempDir t;
    Maildir md(t.path.string(), true);
    bool threw = false;
    {
        Maildir::Spool spool = md.spool();
        const FileSizeLimit full(64 << 10);
        try {
            for (int i = 0; i < 100; ++i) spool.write(std::string(16 << 10, 'x'));
            spool.commit(Flags(), false);
        } catch (const Failure& f) {
            threw = true;
            CHECK(f.kind() == ErrorKind::Io);
            CHECK(f.error().summary.find("cannot write") != std::string::npos);
        }
    }
    CHECK(threw);
    CHECK(fs::is_empty(t.path / "tmp"));
    CHECK(md.list().empty());
}

TEST_CASE("a file written a piece at a time: whole and fsynced, or removed") {
    TempDir t;
    const std::string path = (t.path / "out").string();
    CHECK(write_new_file_by_pieces(path, 0600, false, [](const PieceWriter& write) { return write("one ") && write("two"); }) == 0);
    CHECK(read_file(path) == "one two");
    CHECK((fs::status(path).permissions() & fs::perms::all) == (fs::perms::owner_read | fs::perms::owner_write));
    CHECK(write_new_file_by_pieces(path, 0600, false, [](const PieceWriter& write) { return write("x"); }) == EEXIST);
    CHECK(write_new_file_by_pieces(path, 0600, true, [](const PieceWriter& write) { return write("half") && false; }) == EIO);
    CHECK_FALSE(fs::exists(path));
}
