# tern send and the outbox through Postfix (the "postfix" server instance:
# Postfix 3.7 on the submission port with STARTTLS required before AUTH and on
# SMTPS, SASL through Dovecot's auth, delivering into Dovecot; SIZE 2,000,000).
# Postfix keeps no byte spool as the Python server does: what it delivered is
# read from the recipients' mailboxes on the server and back through tern.
. "$(dirname "$0")/../lib.sh"

T=$TERN_TEST_TMP
SRV=$T/postfix
# shellcheck disable=SC1090
. "$SRV/ports"
CA=$SRV/tls/ca.pem
W=$T/send-postfix-work
rm -rf "$W"; mkdir -p "$W"
export XDG_DATA_HOME=$W/data
SUB=127.0.0.1:$SAVED_SUBMISSION_PORT
servers() { MAILTEST_DIR=$SRV bash tests/servers/mailservers.sh "$@" > "$W/servers.log" 2>&1 < /dev/null; }

cat > "$W/me.conf" <<EOF2
account me {
    from = "Test User <testuser@localhost>"
    receive = imaps://testuser@127.0.0.1:$SAVED_IMAPS_PORT
    send = smtp://testuser@$SUB
    password_command = "printf %s testpass"
    ca_file = $CA
    maildir = $W/me
}
EOF2
cat > "$W/pop.conf" <<EOF2
account pop {
    from = "Other <other@localhost>"
    receive = pop3s://other@127.0.0.1:$SAVED_POP3S_PORT
    send = smtps://other@127.0.0.1:$SAVED_SMTPS_PORT
    password_command = "printf %s otherpass"
    ca_file = $CA
    maildir = $W/pop
    leave_on_server = yes
}
EOF2
outbox_count() { sqlite3 "$XDG_DATA_HOME/tern/index/$1.sqlite" 'SELECT count(*) FROM outbox' 2>/dev/null || echo 0; }
# delivered USER MESSAGE-ID: how many messages with that Message-ID USER's mailbox on the server has
delivered() {
  for _ in $(seq 50); do   # Postfix delivers a moment after it accepted: wait for the queue to empty
    [ -z "$(find "$SRV/postfix/queue/active" "$SRV/postfix/queue/incoming" -type f 2>/dev/null)" ] && break
    sleep 0.1
  done
  grep -l -F "Message-ID: <$2>" "$SRV/mail/$1/Maildir/cur/"* "$SRV/mail/$1/Maildir/new/"* 2>/dev/null | wc -l
}

ID="postfix-trip-$$-$(date +%s)@localhost"
printf 'To: Test User <testuser@localhost>\nBcc: other@localhost\nSubject: Grüße through Postfix\nMessage-ID: <%s>\n' "$ID" > "$W/trip.eml"
printf 'Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\nfirst line\n.\n..two dots\n.leading dot\nÄpfel und Birnen\nlast\n' >> "$W/trip.eml"

begin "send -t through Postfix (STARTTLS, SASL by Dovecot): To and Bcc get it once, no Bcc header, a Sent copy kept"
run_tern -F "$W/me.conf" send -t < "$W/trip.eml"
expect_rc 0
[ -z "$ERR" ] || bad "not quiet: $ERR"
[ "$(delivered testuser "$ID")" = 1 ] || bad "testuser got it $(delivered testuser "$ID") times"
[ "$(delivered other "$ID")" = 1 ] || bad "other (Bcc) got it $(delivered other "$ID") times"
grep -l -F "$ID" "$SRV"/mail/*/Maildir/new/* 2>/dev/null | xargs grep -l -i '^Bcc:' > /dev/null 2>&1 && bad "a Bcc header went out"
grep -q "sasl_method=PLAIN, sasl_username=testuser" "$SRV/log/postfix.log" || bad "Postfix did not log the SASL login"
grep -q "postfix/submission/smtpd.*starttls=1 auth=1" "$SRV/log/postfix.log" || bad "not STARTTLS then AUTH on the submission port"
sent=$(find "$W/me/Sent/cur" -type f | head -1)
[ -n "$sent" ] || bad "no Sent copy"
[ "$(outbox_count me)" = 0 ] || bad "outbox not empty"
end

begin "round trip: what Postfix delivered reads back through tern over IMAP (To) and POP3 (Bcc), byte for byte"
run_tern -F "$W/me.conf" sync
expect_rc 0
got=$(grep -l "$ID" "$W"/me/INBOX/cur/* "$W"/me/INBOX/new/* 2>/dev/null | head -1)
run_tern -F "$W/pop.conf" sync
expect_rc 0
got_pop=$(grep -l "$ID" "$W"/pop/INBOX/new/* 2>/dev/null | head -1)
if [ -z "$got" ] || [ -z "$got_pop" ] || [ -z "$sent" ]; then bad "not received (IMAP: ${got:-none}, POP3: ${got_pop:-none})"; else
  grep -v '^Bcc: ' "$sent" > "$W/expected"
  for f in "$got" "$got_pop"; do
    grep -q 'by localhost (Postfix) with ESMTPSA' "$f" || bad "$f: no Received line of Postfix's"
    without_trace "$f" > "$W/received"
    cmp -s "$W/expected" "$W/received" || bad "$f differs from what was sent: $(diff "$W/expected" "$W/received" | head -5)"
  done
fi
python3 tests/integration/imap_client.py "$SAVED_IMAPS_PORT" "$CA" count-id Sent "<$ID>" | grep -qx 1 || bad "the Sent copy did not reach the server's Sent"
end

begin "SMTPS (implicit TLS) through Postfix: delivered once"
ID2="postfix-smtps-$$-$(date +%s)@localhost"
printf 'To: testuser@localhost\nSubject: over smtps\nMessage-ID: <%s>\n\nbody\n' "$ID2" > "$W/msg"
run_tern -F "$W/pop.conf" send -t < "$W/msg"
expect_rc 0
[ "$(delivered testuser "$ID2")" = 1 ] || bad "testuser got it $(delivered testuser "$ID2") times"
grep -q "postfix/smtps/smtpd.*sasl_username=other" "$SRV/log/postfix.log" || bad "not logged in on the SMTPS port"
end

begin "a recipient Postfix does not know is named (550 5.1.1); the others get it, once"
ID3="postfix-partly-$$-$(date +%s)@localhost"
printf 'To: testuser@localhost, nosuchuser@localhost\nSubject: partly\nMessage-ID: <%s>\n\nbody\n' "$ID3" > "$W/msg"
run_tern -F "$W/me.conf" send -t < "$W/msg"
expect_rc 1
expect_err "'partly': nosuchuser@localhost refused by $SUB: 550 5.1.1"
[ "$(delivered testuser "$ID3")" = 1 ] || bad "testuser got it $(delivered testuser "$ID3") times"
[ "$(outbox_count me)" = 0 ] || bad "a refused-for-good recipient was kept"
end

begin "a recipient Postfix defers (450) stays owed; the retry goes to it alone"
ID4="postfix-later-$$-$(date +%s)@localhost"
printf 'To: testuser@localhost\nCc: tempfail-1@localhost\nSubject: later\nMessage-ID: <%s>\n\nbody\n' "$ID4" > "$W/msg"
run_tern -F "$W/me.conf" send -t < "$W/msg"
expect_rc 1
expect_err "tempfail-1@localhost refused for now (450 4.2.1"
[ "$(outbox_count me)" = 1 ] || bad "not kept for the deferred recipient"
run_tern -F "$W/me.conf" sync
expect_err "tempfail-1@localhost refused for now"
[ "$(delivered testuser "$ID4")" = 1 ] || bad "testuser got it $(delivered testuser "$ID4") times"
[ "$(sqlite3 "$XDG_DATA_HOME/tern/index/me.sqlite" 'SELECT recipients FROM outbox')" = "tempfail-1@localhost" ] || bad "owed to the wrong recipients"
sqlite3 "$XDG_DATA_HOME/tern/index/me.sqlite" 'DELETE FROM outbox'
end

begin "a message over Postfix's SIZE is refused before upload, with both sizes"
{ printf 'To: testuser@localhost\nSubject: huge\n\n'; head -c 1500000 /dev/urandom | base64; } > "$W/huge.eml"
run_tern -F "$W/me.conf" send -t < "$W/huge.eml"
expect_rc 1
expect_err "'huge': not sent: the message is 2.1 MB, but $SUB takes at most 2.0 MB (SIZE)"
grep -q "huge" "$SRV/log/postfix.log" && bad "Postfix got it"
end

begin "a wrong password (Dovecot's SASL says no): said so, the message waits in the outbox"
sed 's/printf %s testpass/printf %s wrong-S3cret/' "$W/me.conf" > "$W/badpw.conf"
printf 'To: testuser@localhost\nSubject: badpw\n\nbody\n' > "$W/msg"
run_tern -F "$W/badpw.conf" send -t < "$W/msg"
expect_rc 1
expect_err "queued in the outbox of me: SMTP server $SUB refused the login of user 'testuser'"
expect_err_not "wrong-S3cret"
[ "$(outbox_count me)" = 1 ] || bad "not queued"
sqlite3 "$XDG_DATA_HOME/tern/index/me.sqlite" 'DELETE FROM outbox'
end

begin "Postfix stopped: queued (exit 0); started again: the next sync delivers it once"
servers stop || bad "cannot stop the servers"
ID5="postfix-offline-$$-$(date +%s)@localhost"
printf 'To: testuser@localhost\nSubject: offline\nMessage-ID: <%s>\n\nwritten on a train\n' "$ID5" > "$W/msg"
run_tern -F "$W/me.conf" send -t < "$W/msg"
expect_rc 0
expect_err "queued in the outbox of me: $SUB refused the connection"
[ "$(outbox_count me)" = 1 ] || bad "not in the outbox"
servers start || bad "cannot start the servers again: $(cat "$W/servers.log")"
run_tern -F "$W/me.conf" sync --verbose
expect_rc 0
expect_out "me outbox: 1 sent"
[ "$(delivered testuser "$ID5")" = 1 ] || bad "delivered $(delivered testuser "$ID5") times"
run_tern -F "$W/me.conf" sync
[ "$(delivered testuser "$ID5")" = 1 ] || bad "sent again by the next sync"
end
