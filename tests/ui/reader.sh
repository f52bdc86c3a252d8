# The mail reader as a person uses it: tern inside tmux (a private tmux
# server), driven by send-keys and read by capture-pane, against the real
# Dovecot and SMTP server of the "ui" server instance. Reading, replying
# (delivered over SMTP and kept in Sent), deleting and moving with a sync,
# limit and tag-delete, undo, attachments, help, resizing, a CJK subject,
# and starting with the server unreachable. With READER_INSTANCE=ui-cyrus
# (tests/ui/reader-cyrus.sh) the same against Cyrus IMAP.
. "$(dirname "$0")/../lib.sh"

T=$TERN_TEST_TMP
INSTANCE=${READER_INSTANCE:-ui}
SRV=$T/$INSTANCE
SAVED_IMAP_SERVER=dovecot
# shellcheck disable=SC1090
. "$SRV/ports"
KIND=$SAVED_IMAP_SERVER
CA=$SRV/tls/ca.pem
SERVER=$SRV/mail/testuser/Maildir
SPOOL=$SRV/spool
W=$T/$INSTANCE-work
rm -rf "$W"; mkdir -p "$W"
export XDG_DATA_HOME=$W/data HOME=$W
# shellcheck source=tests/tmux.sh
. "$(dirname "$0")/../tmux.sh"

account() {  # account IMAPS_PORT
  cat <<EOF2
set check_interval = 600
account t {
    from = "Test User <testuser@localhost>"
    receive = imaps://testuser@127.0.0.1:$1
    send = smtp://testuser@127.0.0.1:$SAVED_SUBMISSION_PORT
    password_command = "printf %s testpass"
    ca_file = $CA
    maildir = $W/mail
}
EOF2
}
account "$SAVED_IMAPS_PORT" > "$W/config"
echo 'color index brightred default "~s shipped"' >> "$W/config"
echo 'macro index A "<save-message>=Archive<enter>" "archive it"' >> "$W/config"
echo 'macro index Z Z "types itself"' >> "$W/config"
echo "set new_mail_command = \"echo %f %n >> $W/newmail.log\"" >> "$W/config"
echo "set query_command = \"$W/query.sh %s\"" >> "$W/config"
# an external address book, as khard or an LDAP script answers mutt: a line for the user, then address TAB name
printf '#!/bin/sh\necho "searching for $1"\ncase "$1" in zz*) printf "q-%%s@query.example\\tQuery %%s\\n" "$1" "$1" ;; esac\n' > "$W/query.sh"
chmod 755 "$W/query.sh"
# a closed port on loopback: the same account, offline
account 1 > "$W/offline.config"
# two accounts (testuser, and other, whose INBOX gets the reply below) for the unified inbox;
# the second keeps no bodies (cache_bodies = opened), so opening one fetches it
{
  account "$SAVED_IMAPS_PORT"
  cat <<EOF2
account o {
    from = "Other User <other@localhost>"
    receive = imaps://other@127.0.0.1:$SAVED_IMAPS_PORT
    password_command = "printf %s otherpass"
    ca_file = $CA
    maildir = $W/mail-o
    cache_bodies = opened
}
color index brightred default "~f other@localhost"
EOF2
} > "$W/two.config"
printf '#!/bin/sh\nprintf "\\nReply text from the UI test\\n" >> "$1"\n' > "$W/editor.sh"
chmod 755 "$W/editor.sh"

other() { python3 tests/integration/imap_client.py "$SAVED_IMAPS_PORT" "$CA" "$@"; }
MAILTEST_DIR=$SRV bash tests/servers/mailservers.sh sample 60 > "$W/sample.log" 2>&1 < /dev/null ||
  { echo "FAIL loading sample mail"; cat "$W/sample.log"; }
# a message with an attachment, to list
{
  printf 'From: Att Sender <att@example.org>\nTo: testuser@localhost\nSubject: attachment test\nMessage-ID: <att-1@example.org>\n'
  printf 'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b1\n\n--b1\nContent-Type: text/plain\n\nsee the report\n'
  printf -- '--b1\nContent-Type: application/pdf; name=report.pdf\nContent-Disposition: attachment; filename=report.pdf\nContent-Transfer-Encoding: base64\n\nJVBERi0xLjQK\n--b1--\n'
} > "$W/att.eml"
other append INBOX "$W/att.eml" || echo "FAIL appending the attachment message"
# one to move, one from a local user to answer (the test SMTP server relays to local users only)
printf 'From: Mover <mover@example.org>\nTo: testuser@localhost\nSubject: move me please\nMessage-ID: <move-1@example.org>\n\nto the archive\n' > "$W/move.eml"
other append INBOX "$W/move.eml" || echo "FAIL appending the message to move"
printf 'From: Macro <macro@example.org>\nTo: testuser@localhost\nSubject: macro me\nMessage-ID: <macro-1@example.org>\n\nby a macro\n' > "$W/macro.eml"
other append INBOX "$W/macro.eml" || echo "FAIL appending the message for the macro"
printf 'From: Other User <other@localhost>\nTo: testuser@localhost\nSubject: answer me\nMessage-ID: <answer-1@localhost>\n\nThe question is in here.\n' > "$W/answer.eml"
other append INBOX "$W/answer.eml" || echo "FAIL appending the message to answer"

# start_tern CONFIG [COLS ROWS [TERM]]
start_tern() {
  cleanup_tmux
  TM new-session -d -s ui -x "${2:-100}" -y "${3:-30}" \
    "EDITOR=$W/editor.sh TERM=${4:-xterm-256color} $TERN -F $1 2> $W/stderr; echo \$? > $W/exit; sleep 600"
}
quit_tern() {  # quits with x (no purge) and checks the exit status and stderr
  rm -f "$W/exit"
  keys x; keys y
  local i=0
  while [ ! -s "$W/exit" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
  [ "$(cat "$W/exit" 2>/dev/null)" = 0 ] || bad "tern exited with '$(cat "$W/exit" 2>/dev/null)'"
  [ -s "$W/stderr" ] && bad "stderr: $(head -5 "$W/stderr")"
  cleanup_tmux
}
# server_has FOLDER TEXT: prints something when a message in the server's FOLDER holds TEXT
if [ "$KIND" = cyrus ]; then  # Cyrus's spool is not a maildir: ask over IMAP
  server_has() { [ "$(other grep "$1" "$2")" -gt 0 ] 2>/dev/null && echo yes; }
else
  server_has() {
    local d=$SERVER; [ "$1" = INBOX ] || d=$SERVER/.$1
    grep -rlsF "$2" "$d/cur" "$d/new" | head -1
  }
fi

begin "start: the cached index appears, the first sync runs in the background and ends online"
start_tern "$W/config"
wait_for "Café meeting notes" 30
wait_for "(online)" 30
expect_screen "q:Quit"
expect_screen "-*-tern: t/INBOX [Msgs:"
end

begin "a CJK subject and author keep the columns aligned"
python3 - "$(screen)" <<'PY' || bad "columns differ"
import sys, unicodedata
def width(s): return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
cols = set()
for line in sys.argv[1].splitlines():
    if "(" in line and line[:4].strip().isdigit():
        cols.add(width(line[:line.index("(")]))
cjk = [l for l in sys.argv[1].splitlines() if any(unicodedata.east_asian_width(c) == "W" for c in l)]
print("size column at", cols, "CJK lines:", len(cjk))
sys.exit(0 if len(cols) == 1 and cjk else 1)
PY
end

begin "color index ... PATTERN colors the lines that match"
keys l; keys C-u "~s shipped" Enter
wait_for "Lim:"
TM capture-pane -e -p -t ui | grep -F "shipped" | grep -q $'\e\\[91m' || bad "no line of a shipped message is bright red"
keys l; keys C-u "all" Enter
end

begin "read a message in the pager, search in it, back to the index; it is marked read"
keys l; keys "~s \"attachment test\"" Enter
wait_for "Lim:1"
keys Enter
wait_for "Subject: attachment test"
wait_for "see the report"
keys / ; keys report Enter
keys q
wait_for "q:Quit"
case "$(screen)" in *"   1 N"*) bad "still shown as new" ;; esac
end

begin "the attachment list shows the PDF with its type and size; q leaves it"
keys v
wait_for "report.pdf"
wait_for "application/pdf"
keys q
wait_for "q:Quit"
end

begin "help lists the bindings in force, from the one table"
keys "?"
wait_for "delete-message"
wait_for "display-message"
keys q
wait_for "q:Quit"
keys l; keys C-u "all" Enter
end

begin "limit and tag-delete: T tags what matches, ;d deletes the tagged, X undoes it"
keys l; keys C-u "~s shipped" Enter
wait_for "Lim:"
keys T; keys "~s shipped" Enter
wait_for "messages tagged"
n=$(screen | grep -cE '^ *[0-9]+ .*shipped')
keys '\;'; keys d
wait_for "Del:$n"
keys X
wait_for "Undone: delete"
case "$(screen)" in *"Del:"*) bad "still deleted after undo" ;; esac
keys l; keys C-u "all" Enter
end

begin "delete a message and sync with \$: it is gone from the server's INBOX, in its Trash"
keys l; keys C-u "~s \"attachment test\"" Enter
wait_for "Lim:1"
keys d
wait_for "Del:1"
keys '$'
wait_for "Purge 1 deleted message?"
keys y
i=0; while [ -n "$(server_has INBOX att-1@example.org)" ] && [ $i -lt 150 ]; do sleep 0.1; i=$((i + 1)); done
[ -z "$(server_has INBOX att-1@example.org)" ] || bad "still in the server's INBOX"
[ -n "$(server_has Trash att-1@example.org)" ] || bad "not in the server's Trash"
keys l; keys C-u "all" Enter
end

begin "save a message to another folder: moved on the server by the next sync"
keys l; keys C-u "~s \"move me\"" Enter
wait_for "Lim:1"
id=move-1@example.org
keys s; keys "=Archive" Enter
wait_for "saved to Archive"
keys '$'; keys y
i=0; while [ -z "$(server_has Archive "$id")" ] && [ $i -lt 150 ]; do sleep 0.1; i=$((i + 1)); done
[ -n "$(server_has Archive "$id")" ] || bad "not in the server's Archive"
keys l; keys C-u "all" Enter
end

begin "a macro saves to a folder (macro index A \"<save-message>=Archive<enter>\"); help lists it; :push and :exec type and call; a macro typing itself is stopped"
keys l; keys C-u "~s \"macro me\"" Enter
wait_for "Lim:1"
keys A
wait_for "1 message saved to" 10
[ -n "$(grep -rlsF "macro-1@example.org" "$W/mail/Archive/cur" "$W/mail/Archive/new")" ] || bad "not in the local Archive"
wait_for "Del:1"
keys '$'; keys y
i=0; while [ -z "$(server_has Archive macro-1@example.org)" ] && [ $i -lt 150 ]; do sleep 0.1; i=$((i + 1)); done
[ -n "$(server_has Archive macro-1@example.org)" ] || bad "not moved to the server's Archive"
keys "?"
wait_for "archive it: <save-message>=Archive<enter>"
keys q
wait_for "q:Quit"
keys ":"; keys 'push "<limit>^U~s shipped<enter>"' Enter
wait_for 'limit: ~s shipped'
keys ":"; keys 'exec next-entry previous-entry' Enter
expect_screen 'limit: ~s shipped'
keys ":"; keys 'exec no-such-function' Enter
wait_for "exec: unknown function 'no-such-function' in menu index"
keys Z   # a macro that types its own key: stopped, and the reader answers the next key
wait_for "A macro keeps typing itself (over 10000 keys): stopped." 10
keys "?"
wait_for "types itself: Z"
keys q
wait_for "q:Quit"
keys l; keys C-u "all" Enter
end

begin "reply with EDITOR set to a script: sent over SMTP, quoted, threaded, and kept in Sent"
keys l; keys C-u "~s \"answer me\"" Enter
wait_for "Lim:1"
spooled_before=$(ls "$SPOOL"/*.eml 2>/dev/null | wc -l)
keys r
wait_for "compose (y sends"
wait_for "Subject: Re: answer me"
keys y
wait_for "outbox: 1 sent" 30
i=0; while [ "$(ls "$SPOOL"/*.eml 2>/dev/null | wc -l)" = "$spooled_before" ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done
sent=$(ls -t "$SPOOL"/*.eml 2>/dev/null | head -1)
[ -n "$sent" ] && grep -q "Reply text from the UI test" "$sent" || bad "the SMTP server did not get the reply"
grep -q '^Subject: Re: answer me' "$sent" || bad "subject: $(grep -m1 '^Subject' "$sent")"
grep -q '^In-Reply-To: <' "$sent" || bad "no In-Reply-To"
grep -q '^> ' "$sent" || bad "the original is not quoted"
i=0; while [ -z "$(server_has Sent "Reply text from the UI test")" ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done
[ -n "$(server_has Sent "Reply text from the UI test")" ] || bad "no copy in the server's Sent"
keys l; keys C-u "all" Enter
end

begin "m writes a new message; P postpones it to Drafts; R recalls it, y sends it and the draft goes"
keys m
wait_for "To:"
keys "Other User <other@localhost>" Enter
wait_for "Subject:"
keys "draft to recall" Enter
wait_for "compose (y sends"
keys P
wait_for "postponed to Drafts"
[ -n "$(grep -rlsF "draft to recall" "$W/mail/Drafts")" ] || bad "no draft in the local Drafts folder"
keys R
wait_for "Subject: draft to recall"
wait_for "To: Other User <other@localhost>"
keys y
wait_for "outbox: 1 sent" 30
[ -z "$(grep -rlsF "draft to recall" "$W/mail/Drafts/cur" "$W/mail/Drafts/new")" ] || bad "the recalled draft is still in Drafts after sending"
end

begin "new mail while tern runs: it appears (IDLE), new_mail_command runs with the folder and count"
printf 'From: Late <late@example.org>\nTo: testuser@localhost\nSubject: arrived while reading\nMessage-ID: <late-1@example.org>\n\nhi\n' > "$W/late.eml"
other append INBOX "$W/late.eml" || bad "append"
wait_for "New mail in t/INBOX" 30
# its row, from the snapshot the store worker patched after the sync: the last (no Date:, so now)
i=0; while ! screen | grep -q "arrived while reading" && [ $i -lt 100 ]; do keys '*'; sleep 0.2; i=$((i + 1)); done
screen | grep -q "arrived while reading" || bad "the new message's row never showed"
i=0; while [ ! -s "$W/newmail.log" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
grep -q "^t/INBOX 1$" "$W/newmail.log" 2>/dev/null || bad "new_mail_command: $(cat "$W/newmail.log" 2>/dev/null)"
end

begin "new mail in another folder: marked N in the sidebar after a sync; the mark goes when the folder is opened"
printf 'From: Late <late@example.org>\nTo: testuser@localhost\nSubject: filed elsewhere\nMessage-ID: <late-2@example.org>\n\nhi\n' > "$W/late2.eml"
other append Archive "$W/late2.eml" || bad "append"
keys '$'
i=0; while ! grep -q "^t/Archive 1$" "$W/newmail.log" 2>/dev/null && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done
grep -q "^t/Archive 1$" "$W/newmail.log" || bad "new_mail_command for Archive: $(cat "$W/newmail.log")"
keys B
wait_for "N Archive"
keys c; keys Archive Enter
wait_for "t/Archive [Msgs:"
case "$(screen)" in *"N Archive"*) bad "still marked after opening it" ;; esac
keys c; keys INBOX Enter
wait_for "t/INBOX [Msgs:"
keys B
end

begin "addresses: Tab completes a correspondent and from query_command in the To prompt; a adds an alias; an alias typed in To is expanded when sent"
keys m
wait_for "To:"
keys "Othe" Tab
wait_for "To: Other User <other@localhost>"
keys C-g
keys m
wait_for "To:"
keys "zzq" Tab
wait_for "To: Query zzq <q-zzq@query.example>"
keys C-g
keys l; keys C-u "~s \"answer me\"" Enter
wait_for "Lim:1"
keys a
wait_for "Alias as: other"
keys Enter
wait_for "Address: other@localhost"
keys Enter
wait_for "Personal name: Other User"
keys Enter
wait_for "Alias added"
grep -q '^alias other Other User <other@localhost>$' "$W/aliases" || bad "alias file: $(cat "$W/aliases" 2>/dev/null)"
[ "$(stat -c %a "$W/aliases")" = 600 ] || bad "alias file mode $(stat -c %a "$W/aliases")"
spooled_before=$(ls "$SPOOL"/*.eml 2>/dev/null | wc -l)
keys m
wait_for "To:"
keys "other" Enter
wait_for "Subject:"
keys "to an alias" Enter
wait_for "compose (y sends"
keys y
wait_for "outbox: 1 sent" 30
sent=$(ls -t "$SPOOL"/*.eml 2>/dev/null | head -1)
grep -q '^To: Other User <other@localhost>' "$sent" || bad "the alias was not expanded: $(grep -m1 '^To:' "$sent")"
keys l; keys C-u "all" Enter
end

begin "a resize to 60x20 and to 300x40 redraws the index to the new width"
TM resize-window -t ui -x 60 -y 20
sleep 0.5
widest=$(screen | python3 -c 'import sys, unicodedata; print(max(sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in l.rstrip("\n")) for l in sys.stdin))')
[ "${widest:-0}" -le 60 ] || bad "a line is $widest wide in 60 columns"
expect_screen "-*-tern:"
TM resize-window -t ui -x 300 -y 40
sleep 0.5
expect_screen "q:Quit"
[ "$(screen | wc -l)" -ge 39 ] || bad "only $(screen | wc -l) lines at 40 rows"
end

begin "x leaves at once, exit status 0, nothing on stderr"
quit_tern
end

begin "started with the server unreachable: the cached mail opens, and tern says it is offline"
start_tern "$W/offline.config"
wait_for "Café meeting notes" 20
wait_for "offline" 30
wait_for "refused the connection" 5
keys Enter
wait_for "From:"
keys q
quit_tern
end

begin "two accounts, TERM=screen: Esc u opens both INBOXes as one; a body not kept here is fetched on open; actions reach the right account"
start_tern "$W/two.config" 100 30 screen
wait_for "(online)" 40
i=0; while [ -z "$(find "$W/mail-o/INBOX" -type d -name cur 2>/dev/null)" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
keys Escape u
wait_for "unified inbox [Msgs:"
keys l; keys C-u "~s \"Re: answer me\"" Enter
wait_for "Lim:1"
[ -z "$(find "$W/mail-o/INBOX/cur" "$W/mail-o/INBOX/new" -type f 2>/dev/null)" ] || bad "cache_bodies = opened kept a body before it was opened"
keys Enter
wait_for "Reply text from the UI test" 30
[ -n "$(grep -rlsF "Reply text from the UI test" "$W/mail-o/INBOX")" ] || bad "the fetched body was not kept"
keys q
keys d
wait_for "Del:1"
ls "$W/mail-o/INBOX/cur/" | grep -q ':2,[A-Z]*T' || bad "the deletion did not reach account o's maildir"
ls "$W/mail/INBOX/cur/" | grep -q ':2,[A-Z]*T' && bad "account t's maildir was changed"
keys X
wait_for "Undone: delete"
quit_tern
end
