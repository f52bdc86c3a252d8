# Housekeeping rules against the real Dovecot of the "rules" instance:
# --dry-run lists and changes nothing; --rules moves and deletes what
# matches, locally and then on the server (moves as moves, deletions to
# Trash); a rule that matches nothing changes nothing; a bad pattern is a
# config error naming the line.
. "$(dirname "$0")/../lib.sh"

T=$TERN_TEST_TMP
SRV=$T/rules
# shellcheck disable=SC1090
. "$SRV/ports"
SERVER=$SRV/mail/testuser/Maildir
W=$T/rules-work
rm -rf "$W"; mkdir -p "$W"
export XDG_DATA_HOME=$W/data HOME=$W
CFG=$W/config
cat > "$CFG" <<EOF2
account t {
    from = "Test User <testuser@localhost>"
    receive = imaps://testuser@127.0.0.1:$SAVED_IMAPS_PORT
    password_command = "printf %s testpass"
    ca_file = $SRV/tls/ca.pem
    maildir = $W/mail
}
rule t INBOX ~s shipped ~d>1d move Archive
rule t INBOX ~s "Lunch on" delete
rule t INBOX ~s "no such subject anywhere" delete
EOF2
MAILTEST_DIR=$SRV bash tests/servers/mailservers.sh sample 80 > "$W/sample.log" 2>&1 < /dev/null || { echo "FAIL loading sample mail"; cat "$W/sample.log"; }
# how many messages of FOLDER match PATTERN, as tern ls counts them
lines() { "$TERN" -F "$CFG" ls "$1" ${2:+-l "$2"} 2>/dev/null | grep -c ''; }
server_files() { find "$SERVER/$1/cur" "$SERVER/$1/new" -type f 2>/dev/null | wc -l; }
run_tern -F "$CFG" sync
to_move=$(lines INBOX '~s shipped ~d>1d')
lunch=$(lines INBOX '~s "Lunch on"')
inbox=$(lines INBOX)
archive_shipped=$(lines Archive '~s shipped')

begin "--dry-run lists each rule's messages as index lines and changes nothing"
before=$(find "$W/mail" "$SERVER" -type f -printf '%P\n' | sort | md5sum)
run_tern -F "$CFG" sync --rules --dry-run
expect_rc 0
expect_out "rule t INBOX ~s shipped ~d>1d: move to Archive: $to_move messages would be changed"
expect_out "rule t INBOX ~s \"Lunch on\": delete: $lunch messages would be changed"
expect_out "rule t INBOX ~s \"no such subject anywhere\": delete: 0 messages would be changed"
expect_out "Your order has shipped"
[ "$lunch" -gt 0 ] && [ "$to_move" -gt 0 ] || bad "the sample has nothing for the rules to do"
[ "$(find "$W/mail" "$SERVER" -type f -printf '%P\n' | sort | md5sum)" = "$before" ] || bad "a dry run changed files"
end

begin "--rules: moved messages are moved on the server, deleted ones go to Trash, the rest stays"
run_tern -F "$CFG" sync --rules --verbose
expect_rc 0
expect_out "moved, 0 copied between folders on the server"
[ "$(lines INBOX '~s shipped ~d>1d')" = 0 ] || bad "shipped mail still in INBOX"
[ "$(lines Archive '~s shipped')" = "$((archive_shipped + to_move))" ] || bad "Archive has $(lines Archive '~s shipped') shipped, expected $((archive_shipped + to_move))"
[ "$(lines INBOX '~s "Lunch on"')" = 0 ] || bad "Lunch mail still in INBOX"
[ "$(lines Trash '~s "Lunch on"')" = "$lunch" ] || bad "Trash has $(lines Trash '~s "Lunch on"') of $lunch"
[ "$(lines INBOX)" = "$((inbox - to_move - lunch))" ] || bad "INBOX has $(lines INBOX), expected $((inbox - to_move - lunch)): other mail was touched"
[ "$(server_files "")" = "$(lines INBOX)" ] || bad "the server's INBOX has $(server_files "") messages, here $(lines INBOX)"
python3 tests/integration/compare_mirror.py "$SERVER" "$W/mail" > "$W/compare.log" 2>&1 || bad "mirror differs: $(tail -3 "$W/compare.log")"
end

begin "a second run has nothing left to do"
run_tern -F "$CFG" sync --rules
expect_rc 0
expect_out "move to Archive: 0 messages"
expect_out "delete: 0 messages"
end

begin "offline, the rules' changes wait and --undo-rules takes them back; synced, there is nothing left to undo"
printf 'From: Old <old@example.org>\nTo: testuser@localhost\nSubject: undo me please\nMessage-ID: <undo-1@example.org>\nDate: Mon, 2 Mar 2026 10:00:00 +0000\n\nold\n' > "$W/undo.eml"
python3 tests/integration/imap_client.py "$SAVED_IMAPS_PORT" "$SRV/tls/ca.pem" append INBOX "$W/undo.eml" || bad "append"
run_tern -F "$CFG" sync
printf 'rule t INBOX ~s "undo me please" move Archive\n' >> "$CFG"
inbox_here=$(lines INBOX)
MAILTEST_DIR=$SRV bash tests/servers/mailservers.sh stop > "$W/stop.log" 2>&1 < /dev/null
run_tern -F "$CFG" sync --rules
expect_rc 1
expect_out "rule t INBOX ~s \"undo me please\": move to Archive: 1 message"
[ "$(lines INBOX '~s "undo me please"')" = 0 ] || bad "the rule did not act here"
run_tern -F "$CFG" sync --undo-rules
expect_rc 0
expect_out "t: undone: 1 messages put back, 1 copies removed"
[ "$(lines INBOX)" = "$inbox_here" ] || bad "INBOX has $(lines INBOX) here, expected $inbox_here"
[ "$(lines Archive '~s "undo me please"')" = 0 ] || bad "the copy is still in Archive"
MAILTEST_DIR=$SRV bash tests/servers/mailservers.sh start > "$W/start.log" 2>&1 < /dev/null || bad "restart: $(tail -3 "$W/start.log")"
sed -i '$d' "$CFG"   # the rule goes again
run_tern -F "$CFG" sync --verbose
expect_rc 0
[ -n "$(grep -lsF "undo-1@example.org" "$SERVER"/cur/* "$SERVER"/new/*)" ] || bad "the undone message left the server's INBOX"
[ -z "$(grep -lsF "undo-1@example.org" "$SERVER"/.Archive/cur/* "$SERVER"/.Archive/new/*)" ] || bad "the undone move reached the server"
run_tern -F "$CFG" sync --undo-rules
expect_out "nothing to undo"
end

begin "a bad pattern in a rule: exit 2 naming the config line; --dry-run alone is a usage error"
printf 'rule t INBOX ~q nothing delete\n' >> "$CFG"
run_tern -F "$CFG" sync --rules --dry-run
expect_rc 2
expect_err "$CFG:11: rule:"
run_tern -F "$CFG" sync --dry-run
expect_rc 2
end
