// Autocrypt Level 1: the header read and written, a peer's state brought up
// to date, the recommendation, and harvesting into the index database.
#include <doctest/doctest.h>

#include "mime/autocrypt.hpp"
#include "mime/header_encode.hpp"
#include "store/folder_scan.hpp"
#include "store/index_db.hpp"
#include "store/maildir.hpp"
#include "util/strings.hpp"
#include "temp_dir.hpp"

using namespace tern;

namespace {

const std::string kKey(300, '\x99');  // bytes enough to fold over several lines

std::string header_line(const std::string& addr, bool mutual, const std::string& key = kKey) {
    return encode_header("Autocrypt", format_autocrypt({addr, mutual, key})) + "\r\n";
}

Headers headers_of(const std::string& text) { return parse_headers(text).headers; }

constexpr std::int64_t kDay = 86400;
constexpr std::int64_t kNow = 1'800'000'000;

}  // namespace

TEST_CASE("an Autocrypt header is read by its attributes") {
    auto h = parse_autocrypt("addr=Alice@Example.org; prefer-encrypt=mutual; keydata=AAEC AwQF");
    REQUIRE(h);
    CHECK(h->addr == "alice@example.org");
    CHECK(h->prefer_mutual);
    CHECK(h->keydata == std::string("\x00\x01\x02\x03\x04\x05", 6));
    CHECK(parse_autocrypt("addr=a@b.org; keydata=AAEC")->prefer_mutual == false);
    CHECK(parse_autocrypt("addr=a@b.org; _comment=x; type=1; keydata=AAEC"));
    CHECK_FALSE(parse_autocrypt("addr=a@b.org; critical=x; keydata=AAEC"));  // unknown, no underscore
    CHECK_FALSE(parse_autocrypt("addr=a@b.org; type=2; keydata=AAEC"));
    CHECK_FALSE(parse_autocrypt("addr=a@b.org"));
    CHECK_FALSE(parse_autocrypt("keydata=AAEC"));
    CHECK_FALSE(parse_autocrypt("garbage"));
}

TEST_CASE("the header written folds its key and reads back whole") {
    const std::string field = header_line("bob@example.org", true);
    for (const auto& line : split(field, '\n')) CHECK(line.size() <= 79);  // 78 and the CR
    const Headers h = headers_of("From: Bob <bob@example.org>\r\n" + field + "\r\n");
    const auto got = autocrypt_of(h, "BOB@example.org");
    REQUIRE(got);
    CHECK(got->keydata == kKey);
    CHECK(got->prefer_mutual);
}

TEST_CASE("only one valid header for the From address counts") {
    CHECK_FALSE(autocrypt_of(headers_of(header_line("mallory@example.org", false) + "\r\n"), "bob@example.org"));
    CHECK_FALSE(autocrypt_of(headers_of(header_line("bob@example.org", false) + header_line("bob@example.org", true) + "\r\n"), "bob@example.org"));
    CHECK(autocrypt_of(headers_of(header_line("mallory@example.org", false) + header_line("bob@example.org", true) + "\r\n"), "bob@example.org"));
}

TEST_CASE("a peer's state follows the newest message") {
    AutocryptPeer p;
    p.addr = "bob@example.org";
    const AutocryptHeader first{"bob@example.org", false, "key1"}, second{"bob@example.org", true, "key2"};
    CHECK(update_peer(p, kNow - 10 * kDay, kNow, first));
    CHECK(p.keydata == "key1");
    CHECK(p.autocrypt_timestamp == kNow - 10 * kDay);
    CHECK_FALSE(update_peer(p, kNow - 20 * kDay, kNow, second));  // older: nothing changes
    CHECK(p.keydata == "key1");
    CHECK(update_peer(p, kNow - 5 * kDay, kNow, std::nullopt));  // newer, no header: only last_seen
    CHECK(p.last_seen == kNow - 5 * kDay);
    CHECK(p.keydata == "key1");
    CHECK(update_peer(p, kNow + 100 * kDay, kNow, second));  // a Date in the future counts as now
    CHECK(p.autocrypt_timestamp == kNow);
    CHECK(p.keydata == "key2");
    CHECK(p.prefer_mutual);
}

TEST_CASE("bounces and mail from several senders take no part") {
    CHECK(autocrypt_sender(headers_of("From: A <A@b.org>\r\n\r\n")) == "a@b.org");
    CHECK_FALSE(autocrypt_sender(headers_of("From: a@b.org, c@d.org\r\n\r\n")));
    CHECK_FALSE(autocrypt_sender(headers_of("From: a@b.org\r\nContent-Type: multipart/report; report-type=delivery-status\r\n\r\n")));
    CHECK_FALSE(autocrypt_sender(headers_of("Subject: x\r\n\r\n")));
}

TEST_CASE("the recommendation per recipient and per message") {
    using R = AutocryptRecommendation;
    CHECK(peer_recommendation(std::nullopt) == R::Disable);
    AutocryptPeer fresh;
    fresh.addr = "a@b.org", fresh.last_seen = fresh.autocrypt_timestamp = kNow, fresh.keydata = "k", fresh.prefer_mutual = true;
    CHECK(peer_recommendation(fresh) == R::Available);
    AutocryptPeer stale = fresh;
    stale.autocrypt_timestamp = kNow - 36 * kDay;  // mail kept coming without the header
    CHECK(peer_recommendation(stale) == R::Discourage);
    AutocryptPeer gossip;
    gossip.addr = "g@b.org", gossip.gossip_timestamp = kNow, gossip.gossip_keydata = "g";
    CHECK(peer_recommendation(gossip) == R::Discourage);
    AutocryptPeer plain = fresh;
    plain.prefer_mutual = false;
    CHECK(message_recommendation({}, true, false) == R::Disable);
    CHECK(message_recommendation({fresh}, true, false) == R::Encrypt);  // both sides mutual
    CHECK(message_recommendation({fresh}, false, false) == R::Available);
    CHECK(message_recommendation({fresh, plain}, true, false) == R::Available);
    CHECK(message_recommendation({fresh, std::nullopt}, true, true) == R::Disable);  // one without a key
    CHECK(message_recommendation({plain, stale}, false, false) == R::Discourage);
    CHECK(message_recommendation({plain, stale}, false, true) == R::Encrypt);  // a reply to encrypted mail
}

TEST_CASE("peers are harvested into the index database") {
    TempDir dir;
    IndexDb db((dir.path / "index.sqlite").string());
    const std::int64_t inbox = db.folder_id("acct", "INBOX");
    AutocryptPeers& peers = db.autocrypt_of_folder(inbox);
    const auto message = [](const std::string& date, const std::string& extra) {
        return headers_of("From: Bob <bob@example.org>\r\nDate: " + date + "\r\n" + extra + "\r\n");
    };
    // no header from someone unknown: no peer
    CHECK_FALSE(peers.harvest(message("Tue, 1 Dec 2026 10:00:00 +0000", ""), kNow));
    CHECK_FALSE(peers.peer("bob@example.org"));
    CHECK(peers.harvest(message("Tue, 1 Dec 2026 10:00:00 +0000", header_line("bob@example.org", true)), kNow));
    auto bob = peers.peer("Bob@Example.org");
    REQUIRE(bob);
    CHECK(bob->keydata == kKey);
    CHECK(bob->prefer_mutual);
    // a later message without it moves last_seen only; an older one changes nothing
    CHECK(peers.harvest(message("Wed, 2 Dec 2026 10:00:00 +0000", ""), kNow));
    CHECK_FALSE(peers.harvest(message("Mon, 30 Nov 2026 10:00:00 +0000", header_line("bob@example.org", false, "other")), kNow));
    bob = peers.peer("bob@example.org");
    CHECK(bob->last_seen - bob->autocrypt_timestamp == kDay);
    CHECK(bob->keydata == kKey);
    // a bounce carrying a header is not a message from the peer
    CHECK_FALSE(peers.harvest(message("Thu, 3 Dec 2026 10:00:00 +0000",
                                      "Content-Type: multipart/report; boundary=x\r\n" + header_line("bob@example.org", false, "other")),
                              kNow));
    // the state is the account's: another account's database view has no Bob
    CHECK_FALSE(db.autocrypt("other").peer("bob@example.org"));
    peers.save_own({"me@example.org", "ABCDEF0123456789", "mykey", true});
    CHECK(db.autocrypt("acct").own("ME@example.org")->fingerprint == "ABCDEF0123456789");
}

TEST_CASE("a folder scan harvests the peers of new files") {
    TempDir dir;
    IndexDb db((dir.path / "index.sqlite").string());
    Maildir maildir((dir.path / "mail").string(), true);
    maildir.deliver("From: carol@example.org\nDate: Tue, 1 Dec 2026 10:00:00 +0000\n" + crlf_to_lf(header_line("carol@example.org", false)) +
                        "Subject: hi\n\nbody\n",
                    Flags(), false);
    const std::int64_t folder = db.folder_id("acct", "INBOX");
    scan_folder(db, folder, maildir);
    const auto carol = db.autocrypt("acct").peer("carol@example.org");
    REQUIRE(carol);
    CHECK(carol->keydata == kKey);
    CHECK_FALSE(carol->prefer_mutual);
}
