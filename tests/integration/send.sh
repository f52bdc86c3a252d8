# tern send and the outbox against the real SMTP server of the "mta" server
# instance (aiosmtpd, SIZE 2,000,000, delivering into Dovecot), read back by
# tern over IMAP (testuser) and POP3 (other); then POP3 on its own:
# leave_on_server both ways, max_download_size, a server stopped and a tern
# killed in the middle of a download. With SEND_INSTANCE=mta-cyrus
# (tests/integration/send-cyrus.sh) the same with Cyrus for IMAP and POP3.
. "$(dirname "$0")/../lib.sh"

T=$TERN_TEST_TMP
INSTANCE=${SEND_INSTANCE:-mta}
SRV=$T/$INSTANCE
SAVED_IMAP_SERVER=dovecot
# shellcheck disable=SC1090
. "$SRV/ports"
KIND=$SAVED_IMAP_SERVER
CA=$SRV/tls/ca.pem
W=$T/$INSTANCE-send-work
rm -rf "$W"; mkdir -p "$W"
export XDG_DATA_HOME=$W/data
SPOOL=$SRV/spool
OTHER_SERVER=$SRV/mail/other/Maildir
servers() { MAILTEST_DIR=$SRV MAILTEST_SMTP_SIZE_LIMIT=2000000 bash tests/servers/mailservers.sh "$@" > "$W/servers.log" 2>&1 < /dev/null; }

# me: testuser over IMAP, sending over SMTP with STARTTLS; pop: other over POP3, sending over SMTPS
imap_account() {  # imap_account [PASSWORD]
  cat <<EOF2
account me {
    from = "Test User <testuser@localhost>"
    receive = imaps://testuser@127.0.0.1:$SAVED_IMAPS_PORT
    send = smtp://testuser@127.0.0.1:$SAVED_SUBMISSION_PORT
    password_command = "printf %s ${1:-testpass}"
    send_password_command = "printf %s ${2:-testpass}"
    ca_file = $CA
    maildir = $W/me
}
EOF2
}
pop_account() {  # pop_account NAME LEAVE [EXTRA LINE]
  cat <<EOF2
account $1 {
    from = "Other <other@localhost>"
    receive = pop3s://other@127.0.0.1:$SAVED_POP3S_PORT
    send = smtps://other@127.0.0.1:$SAVED_SMTPS_PORT
    password_command = "printf %s otherpass"
    ca_file = $CA
    maildir = $W/$1
    leave_on_server = $2
    ${3:-}
}
EOF2
}
imap_account > "$W/me.conf"
pop_account pop yes > "$W/pop.conf"
spooled() { find "$SPOOL" -name '*.eml' 2>/dev/null | wc -l; }
last_json() { cat "$(ls "$SPOOL"/*.json | sort | tail -1)"; }
outbox_count() { sqlite3 "$XDG_DATA_HOME/tern/index/$1.sqlite" 'SELECT count(*) FROM outbox' 2>/dev/null || echo 0; }
other_imap() { IMAP_CLIENT_LOGIN=other:otherpass python3 tests/integration/imap_client.py "$SAVED_IMAPS_PORT" "$CA" "$@"; }
if [ "$KIND" = cyrus ]; then  # Cyrus's spool is not a maildir: count and add over IMAP
  server_count() { other_imap uids INBOX | wc -w; }
else
  server_count() { find "$OTHER_SERVER/cur" "$OTHER_SERVER/new" -type f 2>/dev/null | wc -l; }
fi

local_files() { find "$1/cur" "$1/new" -type f 2>/dev/null | wc -l; }

# a message with every trap: lone dots, leading dots, 8-bit UTF-8 in a header and the body
TRIP_ID="round-trip-$$-$(date +%s)@localhost"   # unique, also on a server that kept an earlier run's mail
printf 'To: Test User <testuser@localhost>\nBcc: other@localhost\nSubject: Grüße, round trip\nMessage-ID: <%s>\n' "$TRIP_ID" > "$W/trip.eml"
printf 'Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\nfirst line\n.\n..two dots\n.leading dot\nÄpfel und Birnen\nlast\n' >> "$W/trip.eml"

begin "send -t: delivered to To and Bcc, no Bcc header on the wire, 8BITMIME declared, the UTF-8 Subject encoded (no SMTPUTF8 needed), a Sent copy kept"
before=$(spooled)
run_tern -F "$W/me.conf" send -t < "$W/trip.eml"
expect_rc 0
[ -z "$ERR" ] || bad "not quiet: $ERR"
[ "$(spooled)" = $((before + 1)) ] || bad "the server got $(( $(spooled) - before )) messages, expected 1"
json=$(last_json)
case "$json" in *'"other@localhost"'*'"testuser@localhost"'*|*'"testuser@localhost"'*'"other@localhost"'*) ;; *) bad "recipients: $json" ;; esac
case "$json" in *BODY=8BITMIME*) ;; *) bad "no BODY=8BITMIME: $json" ;; esac
case "$json" in *SMTPUTF8*) bad "SMTPUTF8 asked for, but no address needs it: $json" ;; esac
grep -qi '^Bcc:' "$(ls "$SPOOL"/*.eml | sort | tail -1)" && bad "the Bcc header went out"
grep -q '^Subject: =?UTF-8?' "$(ls "$SPOOL"/*.eml | sort | tail -1)" || bad "the Subject went out as raw UTF-8"
sent=$(find "$W/me/Sent/cur" -type f | head -1)
[ -n "$sent" ] || bad "no Sent copy"
case "$sent" in *:2,S) ;; *) bad "Sent copy not marked read: $sent" ;; esac
grep -q '^Bcc: other@localhost' "$sent" || bad "the Sent copy lost its Bcc (mutt keeps it)"
[ "$(outbox_count me)" = 0 ] || bad "outbox not empty"
end

begin "round trip: the same bytes read back over IMAP (To) and POP3 (Bcc), the Sent copy on the IMAP server"
run_tern -F "$W/me.conf" sync
expect_rc 0
got=$(grep -l "$TRIP_ID" "$W"/me/INBOX/cur/* "$W"/me/INBOX/new/* 2>/dev/null | head -1)
run_tern -F "$W/pop.conf" sync
expect_rc 0
got_pop=$(grep -l "$TRIP_ID" "$W"/pop/INBOX/new/* 2>/dev/null | head -1)
if [ -z "$got" ] || [ -z "$got_pop" ]; then bad "not received (IMAP: ${got:-none}, POP3: ${got_pop:-none})"; else
  grep -v '^Bcc: ' "$sent" > "$W/expected"
  for f in "$got" "$got_pop"; do
    without_trace "$f" > "$W/received"
    head -1 "$f" | grep -q '^Return-Path: <testuser@localhost>' || bad "$f: no Return-Path first"
    cmp -s "$W/expected" "$W/received" || bad "$f differs from what was sent: $(diff "$W/expected" "$W/received" | head -5)"
  done
  grep -qi '^Bcc:' "$got_pop" && bad "the Bcc recipient sees a Bcc header"
fi
run_tern -F "$W/me.conf" ls Sent
expect_out "Grüße, round trip"
python3 tests/integration/imap_client.py "$SAVED_IMAPS_PORT" "$CA" uids Sent | grep -q '[0-9]' || bad "the Sent copy did not reach the server's Sent"
end

begin "a refused recipient is named; the others get it, once"
before=$(spooled)
printf 'To: testuser@localhost, nosuchuser@localhost\nSubject: partly\n\nbody\n' > "$W/msg"
run_tern -F "$W/me.conf" send -t < "$W/msg"
expect_rc 1
expect_err "'partly': nosuchuser@localhost refused by 127.0.0.1:$SAVED_SUBMISSION_PORT: 550 5.1.1"
[ "$(spooled)" = $((before + 1)) ] || bad "expected one delivery"
case "$(last_json)" in *nosuchuser*) bad "refused recipient in the envelope" ;; esac
[ "$(outbox_count me)" = 0 ] || bad "a refused-for-good recipient was kept"
end

begin "a UTF-8 address asks for SMTPUTF8 (the server has it); the address is named when refused"
before=$(spooled)
printf 'To: testuser@localhost\nCc: Jörg <jörg@localhost>\nSubject: eai\n\nbody\n' > "$W/msg"
run_tern -F "$W/me.conf" send -t < "$W/msg"
expect_rc 1
expect_err "jörg@localhost refused by 127.0.0.1:$SAVED_SUBMISSION_PORT: 550 5.1.1"
[ "$(spooled)" = $((before + 1)) ] || bad "expected one delivery"
case "$(last_json)" in *SMTPUTF8*) ;; *) bad "no SMTPUTF8 for a UTF-8 address: $(last_json)" ;; esac
grep -q '^Cc: Jörg <jörg@localhost>' "$(ls "$SPOOL"/*.eml | sort | tail -1)" || bad "the UTF-8 address was changed"
[ "$(outbox_count me)" = 0 ] || bad "a refused-for-good recipient was kept"
end

begin "a recipient refused for now stays owed; the retry goes to it alone"
before=$(spooled)
printf 'To: testuser@localhost\nCc: tempfail-1@localhost\nSubject: later\n\nbody\n' > "$W/msg"
run_tern -F "$W/me.conf" send -t < "$W/msg"
expect_rc 1
expect_err "tempfail-1@localhost refused for now (450 4.2.1"
[ "$(spooled)" = $((before + 1)) ] || bad "expected one delivery to testuser"
[ "$(outbox_count me)" = 1 ] || bad "not kept for the deferred recipient"
run_tern -F "$W/me.conf" sync
expect_err "tempfail-1@localhost refused for now"
[ "$(spooled)" = $((before + 1)) ] || bad "testuser got it twice"
[ "$(sqlite3 "$XDG_DATA_HOME/tern/index/me.sqlite" 'SELECT recipients FROM outbox')" = "tempfail-1@localhost" ] || bad "owed to the wrong recipients"
sqlite3 "$XDG_DATA_HOME/tern/index/me.sqlite" 'DELETE FROM outbox'
end

begin "a message over the server's SIZE is refused before upload, with both sizes"
before=$(spooled)
{ printf 'To: testuser@localhost\nSubject: huge\n\n'; head -c 1500000 /dev/urandom | base64; } > "$W/huge.eml"
run_tern -F "$W/me.conf" send -t < "$W/huge.eml"
expect_rc 1
expect_err "'huge': not sent: the message is 2.1 MB, but 127.0.0.1:$SAVED_SUBMISSION_PORT takes at most 2.0 MB (SIZE)"
[ "$(spooled)" = "$before" ] || bad "the server got it"
end

begin "no recipients, or an account without send: usage errors"
printf 'Subject: x\n\nbody\n' > "$W/msg"
run_tern -F "$W/me.conf" send < "$W/msg"
expect_rc 2
expect_err "no recipients: give their addresses, or -t"
end

begin "wrong SMTP password: said so, the message waits in the outbox"
imap_account testpass wrongpass > "$W/badpw.conf"
printf 'To: testuser@localhost\nSubject: badpw\n\nbody\n' > "$W/msg"
run_tern -F "$W/badpw.conf" send -t < "$W/msg"
expect_rc 1
expect_err "queued in the outbox of me: SMTP server 127.0.0.1:$SAVED_SUBMISSION_PORT refused the login of user 'testuser'"
expect_err "fix that, then 'tern sync' sends it"
[ "$(outbox_count me)" = 1 ] || bad "not queued"
sqlite3 "$XDG_DATA_HOME/tern/index/me.sqlite" 'DELETE FROM outbox'
end

begin "SMTP server stopped: queued (exit 0); started again: the next sync delivers it once"
kill "$(cat "$SRV/run/smtpd.pid")"
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$SAVED_SUBMISSION_PORT") 2>/dev/null || break; sleep 0.1; done
before=$(spooled)
printf 'To: testuser@localhost\nSubject: offline\n\nwritten on a train\n' > "$W/msg"
run_tern -F "$W/me.conf" send -t < "$W/msg"
expect_rc 0
expect_err "queued in the outbox of me: 127.0.0.1:$SAVED_SUBMISSION_PORT refused the connection"
expect_err "'tern sync' sends it when the server can be reached"
[ "$(outbox_count me)" = 1 ] || bad "not in the outbox"
run_tern -F "$W/me.conf" sync
expect_rc 0
expect_err "outbox: 1 waiting"
[ "$(outbox_count me)" = 1 ] || bad "lost from the outbox while the server was down"
servers start || bad "cannot start the SMTP server again"
run_tern -F "$W/me.conf" sync --verbose
expect_rc 0
expect_out "me outbox: 1 sent"
[ "$(spooled)" = $((before + 1)) ] || bad "delivered $(( $(spooled) - before )) times"
[ "$(outbox_count me)" = 0 ] || bad "still in the outbox"
run_tern -F "$W/me.conf" sync
[ "$(spooled)" = $((before + 1)) ] || bad "sent again by the next sync"
end

# ---- POP3 ----
rm -rf "$W/pop" "$XDG_DATA_HOME/tern/index/pop.sqlite"*
begin "POP3, leave_on_server = yes: everything downloaded once, nothing deleted on the server"
on_server=$(server_count)
[ "$on_server" -gt 0 ] || bad "nothing on the server to download"
run_tern -F "$W/pop.conf" sync --verbose
expect_rc 0
expect_out "pop INBOX: $on_server new"
[ "$(local_files "$W/pop/INBOX")" = "$on_server" ] || bad "$(local_files "$W/pop/INBOX") files for $on_server messages"
[ "$(server_count)" = "$on_server" ] || bad "the server lost mail"
run_tern -F "$W/pop.conf" sync --verbose
expect_out "pop INBOX: no changes ($on_server messages"
[ "$(local_files "$W/pop/INBOX")" = "$on_server" ] || bad "downloaded twice"
end

begin "POP3, max_download_size: a larger message stays on the server and is listed"
{ printf 'From: Big Sender <big@example.org>\nSubject: the big one\nMessage-ID: <big-1@example.org>\n\n'; head -c 60000 /dev/zero | tr '\0' 'x' | fold -w 76; } > "$W/big.eml"
if [ "$KIND" = cyrus ]; then other_imap append INBOX "$W/big.eml" || bad "append big"
else chmod 644 "$W/big.eml"; cp "$W/big.eml" "$OTHER_SERVER/new/1700000000.big.localhost"; chmod 666 "$OTHER_SERVER/new/1700000000.big.localhost"; fi
pop_account pop yes "max_download_size = 50K" > "$W/pop.conf"
run_tern -F "$W/pop.conf" sync --verbose
expect_rc 0
expect_out "left on the server (over max_download_size 51 KB): 61 KB from Big Sender <big@example.org>: the big one"
grep -l 'big-1@example.org' "$W"/pop/INBOX/new/* > /dev/null 2>&1 && bad "downloaded anyway"
end

begin "POP3, leave_on_server = no: deleted on the server only after it is stored here"
pop_account pop no > "$W/pop.conf"
total=$(server_count)
run_tern -F "$W/pop.conf" sync --verbose
expect_rc 0
expect_out "1 new, $total deleted on the server"
[ "$(server_count)" = 0 ] || bad "$(server_count) left on the server"
[ "$(local_files "$W/pop/INBOX")" = "$total" ] || bad "$(local_files "$W/pop/INBOX") here for $total"
end

# many messages for the interruptions: written straight into the server's maildir (Cyrus: APPENDed).
# Cyrus's pop3d costs ~45 ms a RETR on loopback (it writes a message in two pieces: Nagle there,
# delayed ACKs here), Dovecot's under 1 ms: fewer messages keep its download a few seconds long
LOAD_N=1200; [ "$KIND" = cyrus ] && LOAD_N=400
load_other() {  # load_other N TAG
  if [ "$KIND" = cyrus ]; then other_imap append-many INBOX "$1"; return; fi
  python3 - "$OTHER_SERVER/new" "$1" "$2" <<'PY'
import os, sys
d, n, tag = sys.argv[1], int(sys.argv[2]), sys.argv[3]
body = ("A line of a long enough message body to take some time to download.\n" * 300)
for i in range(n):
    p = os.path.join(d, "1700000%03d.%s%d.localhost" % (i % 1000, tag, i))
    with open(p, "w") as f:
        f.write("From: Loader <load@example.org>\nSubject: load %d\nMessage-ID: <load-%d@example.org>\n\n%s" % (i, i, body))
    os.chmod(p, 0o666)
PY
}
no_dupes() {  # no_dupes DIR EXPECTED: every message once
  local n d
  n=$(cat "$1"/new/* "$1"/cur/* 2>/dev/null | grep -c '^Message-ID: <load-')
  d=$(cat "$1"/new/* "$1"/cur/* 2>/dev/null | grep '^Message-ID: <load-' | sort | uniq -d | wc -l)
  [ "$d" = 0 ] || bad "$d messages twice"
  [ "$n" = "$2" ] || bad "$n load messages here, expected $2"
}
wait_for_files() {  # wait_for_files DIR: until the first batch landed (at most 20 s)
  for _ in $(seq 400); do [ "$(local_files "$1")" -gt 0 ] && return 0; sleep 0.05; done
  return 1
}

begin "POP3: tern killed in the middle of a download: nothing lost, nothing twice"
rm -rf "$W/pop" "$XDG_DATA_HOME/tern/index/pop.sqlite"*
load_other "$LOAD_N" killed
"$TERN" -F "$W/pop.conf" sync > /dev/null 2>&1 &   # bounded: killed below
pid=$!
wait_for_files "$W/pop/INBOX" || bad "no message arrived in 20 s"
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
partial=$(local_files "$W/pop/INBOX")
[ "$(server_count)" = "$LOAD_N" ] || bad "deleted on the server before QUIT: $(server_count) left"
run_tern -F "$W/pop.conf" sync
expect_rc 0
no_dupes "$W/pop/INBOX" "$LOAD_N"
[ "$partial" -lt "$LOAD_N" ] || echo "     (note: the download finished before the kill)"
[ "$(server_count)" = 0 ] || bad "$(server_count) still on the server"
end

begin "POP3: the server's process killed in the middle of a download: a clear error, then the next sync completes"
rm -rf "$W/pop" "$XDG_DATA_HOME/tern/index/pop.sqlite"*
load_other "$LOAD_N" dropped
"$TERN" -F "$W/pop.conf" sync > "$W/out" 2> "$W/err" &   # bounded: ends when its connection drops
pid=$!
wait_for_files "$W/pop/INBOX" || bad "no message arrived in 20 s"
# the POP3 processes of this test's own Dovecot or Cyrus (children of its master), by PID
for child in $(pgrep -P "$(cat "$SRV/run/master.pid")"); do
  case "$(tr '\0' ' ' < "/proc/$child/cmdline" 2>/dev/null)" in */pop3" "*|*/pop3d" "*) kill -9 "$child" ;; esac
done
wait "$pid"
rc=$?
if [ "$(local_files "$W/pop/INBOX")" -lt "$LOAD_N" ]; then
  [ "$rc" = 1 ] || bad "exit status $rc after the connection dropped"
  grep -q "tern sync: account pop: POP3 server 127.0.0.1:$SAVED_POP3S_PORT: downloading message [0-9]* failed" "$W/err" ||
    bad "unclear error: $(cat "$W/err")"
  [ "$(server_count)" = "$LOAD_N" ] || bad "the server lost mail: $(server_count)"
else
  echo "     (note: the download finished before the kill)"
fi
run_tern -F "$W/pop.conf" sync
expect_rc 0
no_dupes "$W/pop/INBOX" "$LOAD_N"
[ "$(server_count)" = 0 ] || bad "$(server_count) still on the server"
end

begin "POP3: a wrong password is a clear error"
sed 's/printf %s otherpass/printf %s nope/' "$W/pop.conf" > "$W/pop-bad.conf"
run_tern -F "$W/pop-bad.conf" sync
expect_rc 1
expect_err "tern sync: account pop: POP3 server 127.0.0.1:$SAVED_POP3S_PORT refused the login of user 'other': check the user name and the password (password_command)"
end
