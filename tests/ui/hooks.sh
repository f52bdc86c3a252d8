# mutt's hooks in the reader, as a mutt user's config has them, against the
# real Dovecot and SMTP server of the "hooks" server instance: a folder-hook
# that changes the sort (and a "." hook that sets it back), a send-hook that
# adds a header with my_hdr (seen in what the SMTP server received), a
# send2-hook, a reply-hook's attribution, a signature from a command, a
# message-hook that weeds headers with ignore/unignore, a save-hook that
# offers its folder, and a bad hook pattern reported with its file:line.
# Also what mutt users bind to ^B (the URL list: open with url_command, copy
# with OSC 52) and tern mailto:... as the system's mail handler.
. "$(dirname "$0")/../lib.sh"

T=$TERN_TEST_TMP
SRV=$T/hooks
SAVED_IMAP_SERVER=dovecot
# shellcheck disable=SC1090
. "$SRV/ports"
CA=$SRV/tls/ca.pem
SPOOL=$SRV/spool
W=$T/hooks-work
rm -rf "$W"; mkdir -p "$W"
export XDG_DATA_HOME=$W/data HOME=$W
# shellcheck source=tests/tmux.sh
. "$(dirname "$0")/../tmux.sh"

cat > "$W/config" <<EOF2
set check_interval = 600
account t {
    from = "Test User <testuser@localhost>"
    receive = imaps://testuser@127.0.0.1:$SAVED_IMAPS_PORT
    send = smtp://testuser@127.0.0.1:$SAVED_SUBMISSION_PORT
    password_command = "printf %s testpass"
    ca_file = $CA
    maildir = $W/mail
}
set signature = "echo sig-from-a-command|"
folder-hook . 'set sort = date'
folder-hook '^INBOX\$' 'set sort = reverse-subject'
send-hook . 'unmy_hdr X-Hooked'
send-hook '~t other@localhost' 'my_hdr X-Hooked: by the send-hook'
send2-hook '~s urgent' 'my_hdr X-Priority: 1'
reply-hook . 'set attribution = "On %d, %n wrote:"'
reply-hook '~f other@localhost' 'set attribution = "%n said (reply-hook):"'
message-hook . 'unignore *'
message-hook '~s weeded' 'ignore *; unignore subject x-hook'
save-hook '~f mover@example.org' =Archive
fcc-hook '~s "hooked send"' =Lists
set url_command = "echo %s >> $W/opened.log"
account-hook '^t$' 'set index_format = "%4C %Z %{%b %d} %-15.15L acct-hook %s"'
alternates '^testuser\+.*@localhost$'
set reverse_name
EOF2
printf '#!/bin/sh\nprintf "\\nText from the hooks test\\n" >> "$1"\n' > "$W/editor.sh"
chmod 755 "$W/editor.sh"

other() { python3 tests/integration/imap_client.py "$SAVED_IMAPS_PORT" "$CA" "$@"; }
msg() {  # msg FILE FROM SUBJECT DAY [EXTRA-HEADER]
  printf 'From: %s\nTo: testuser@localhost\nSubject: %s\nDate: %s Jan 2026 10:00:00 +0000\nMessage-ID: <%s@hooks.example>\n%s\nbody of %s\n' \
    "$2" "$3" "$4" "$(echo "$3" | tr ' ' '-')" "${5:+$5
}" "$3" > "$1"
}
msg "$W/1.eml" "Zed <zed@example.org>" "zulu first" 01
msg "$W/2.eml" "Al <al@example.org>" "alpha second" 02
msg "$W/3.eml" "Mike <mike@example.org>" "mike third" 03
msg "$W/4.eml" "Other User <other@localhost>" "weeded message" 04 "X-Hook: shown by unignore"
msg "$W/5.eml" "Mover <mover@example.org>" "save me" 05
msg "$W/7.eml" "Other User <other@localhost>" "to my alternate" 07
sed -i 's/^To: testuser@localhost$/To: Test User <testuser+lists@localhost>/' "$W/7.eml"
{
  printf 'From: Linker <links@example.org>\nTo: testuser@localhost\nSubject: links inside\nDate: 06 Jan 2026 10:00:00 +0000\n'
  printf 'Message-ID: <links@hooks.example>\nMIME-Version: 1.0\nContent-Type: multipart/alternative; boundary=b\n\n'
  printf -- '--b\nContent-Type: text/plain\n\nRead https://example.org/one, then (https://example.org/two).\n'
  printf 'Write to mailto:list@example.org\n--b\nContent-Type: text/html\n\n<p>Read <a href="https://example.org/html-only">this</a></p>\n--b--\n'
} > "$W/6.eml"
other create Lists || echo "FAIL creating Lists"
for i in 1 2 3 4 5 6 7; do other append INBOX "$W/$i.eml" || echo "FAIL appending $i"; done
for i in 1 2 3; do other append Lists "$W/$i.eml" || echo "FAIL appending $i to Lists"; done

start_tern() {
  cleanup_tmux
  TM new-session -d -s ui -x 100 -y 30 "EDITOR=$W/editor.sh TERM=xterm-256color $TERN -F $1 2> $W/stderr; echo \$? > $W/exit; sleep 600"
}
# order A B C: the subjects appear on the screen in this order
in_order() {
  screen | python3 -c '
import sys
s = sys.stdin.read()
pos = [s.find(w) for w in sys.argv[1:]]
sys.exit(0 if all(p >= 0 for p in pos) and pos == sorted(pos) else 1)' "$@"
}
newest_spooled() { ls -t "$SPOOL"/*.eml 2>/dev/null | head -1; }
# reply_to PATTERN [SCREEN-TEXT]: r on the one message PATTERN limits to, y sends; $sent is what the SMTP server got
reply_to() {
  local before; before=$(ls "$SPOOL"/*.eml 2>/dev/null | wc -l)
  keys l; keys C-u "$1" Enter
  wait_for "Lim:1"
  keys r
  wait_for "compose (y sends" 10
  [ -n "${2:-}" ] && expect_screen "$2"
  keys y
  wait_spooled "$before"
  sent=$(newest_spooled)
  keys l; keys C-u "all" Enter
}
wait_spooled() {  # wait_spooled COUNT-BEFORE: until one more message has arrived
  local i=0
  while [ "$(ls "$SPOOL"/*.eml 2>/dev/null | wc -l)" = "$1" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
}

begin "folder-hook: INBOX opens sorted by reverse-subject; another folder gets the '.' hook's date sort; back in INBOX the hook applies again"
start_tern "$W/config"
wait_for "weeded message" 30
wait_for "(reverse-subject)" 10
expect_screen "acct-hook zulu first"   # account-hook: the account's index_format
in_order "zulu first" "weeded message" "save me" "mike third" "alpha second" || bad "INBOX is not in reverse-subject order"
keys c; keys C-u "=Lists" Enter
wait_for "t/Lists" 10
wait_for "(date)" 10
in_order "zulu first" "alpha second" "mike third" || bad "Lists is not in date order"
keys c; keys C-u "=INBOX" Enter
wait_for "(reverse-subject)" 10
end

begin "message-hook: ignore/unignore weed the headers of the messages the hook matches, and '.' sets them back for the others"
keys l; keys C-u "~s weeded" Enter
wait_for "Lim:1"
keys Enter
wait_for "X-Hook: shown by unignore" 10
expect_screen "Subject: weeded message"
case "$(screen)" in *"From: Other User"*) bad "From: is shown though the hook ignores it" ;; esac
keys q
keys l; keys C-u "~s zulu" Enter
wait_for "Lim:1"
keys Enter
wait_for "From: Zed <zed@example.org>" 10
keys q
keys l; keys C-u "all" Enter
end

begin "save-hook: s offers the hook's folder"
keys l; keys C-u "~s \"save me\"" Enter
wait_for "Lim:1"
keys s
wait_for "Save to mailbox ('?' for list): Archive" 5
keys C-g
keys l; keys C-u "all" Enter
end

begin "send-hook: my_hdr for mail to other@localhost reaches the SMTP server; the signature comes from its command"
before=$(ls "$SPOOL"/*.eml 2>/dev/null | wc -l)
keys m
wait_for "To:"
keys "other@localhost" Enter
wait_for "Subject:"
keys "hooked send" Enter
wait_for "compose (y sends" 10
keys y
wait_for "outbox: 1 sent" 30
wait_spooled "$before"
sent=$(newest_spooled)
grep -q '^X-Hooked: by the send-hook' "$sent" || bad "no X-Hooked header in what was sent: $(grep -m3 '^X-' "$sent")"
grep -q '^sig-from-a-command' "$sent" || bad "no signature from the command"
tr -d '\r' < "$sent" | grep -q '^-- $' || bad "no '-- ' line before the signature"
# fcc-hook: its copy is kept in Lists (here, then on the server), not in Sent
i=0; while ! grep -rqsF "Subject: hooked send" "$W/mail/Lists/cur" "$W/mail/Lists/new" && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
grep -rqsF "Subject: hooked send" "$W/mail/Lists/cur" "$W/mail/Lists/new" || bad "the sent copy is not in the local Lists"
grep -rqsF "Subject: hooked send" "$W/mail/Sent/cur" "$W/mail/Sent/new" && bad "the sent copy is in Sent too"
i=0; while [ "$(other grep Lists "hooked send")" != 1 ] && [ $i -lt 150 ]; do sleep 0.1; i=$((i + 1)); done
[ "$(other grep Lists "hooked send")" = 1 ] || bad "the sent copy is not in the server's Lists"
end

begin "send-hook '.' takes the header away for other mail; send2-hook adds one after the edit"
before=$(ls "$SPOOL"/*.eml 2>/dev/null | wc -l)
keys m
wait_for "To:"
keys "testuser@localhost" Enter
wait_for "Subject:"
keys "urgent note" Enter
wait_for "compose (y sends" 10
keys y
wait_spooled "$before"
sent=$(newest_spooled)
grep -q '^Subject: urgent note' "$sent" || bad "not the right message: $(grep -m1 '^Subject' "$sent")"
grep -q '^X-Hooked' "$sent" && bad "X-Hooked is still there"
grep -q '^X-Priority: 1' "$sent" || bad "no X-Priority from the send2-hook"
end

begin "reply-hook: the attribution of a reply to other@localhost is the hook's"
reply_to "~s weeded"
grep -q '^Other User said (reply-hook):' "$sent" || bad "attribution: $(grep -m1 'wrote\|said' "$sent")"
end

begin "reverse_name with alternates: a reply to mail sent to testuser+lists@localhost comes from that address"
reply_to "~s alternate" "From: Test User <testuser+lists@localhost>"
grep -q '^From: Test User <testuser+lists@localhost>' "$sent" || bad "From: $(grep -m1 '^From' "$sent")"
grep -q '^To: Other User <other@localhost>' "$sent" || bad "To: $(grep -m1 '^To' "$sent")"
end

begin "^B lists the message's links (text and HTML parts, mailto:); Enter opens one with url_command; y copies it with OSC 52"
TM set -g set-clipboard on
keys l; keys C-u "~s links" Enter
wait_for "Lim:1"
keys C-b
wait_for "-*-tern: URLs (4)" 10
expect_screen "  1 https://example.org/one"
expect_screen "  2 https://example.org/two"
expect_screen "  3 mailto:list@example.org"
expect_screen "  4 https://example.org/html-only"
keys Down
keys Enter
i=0; while [ ! -s "$W/opened.log" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
[ "$(cat "$W/opened.log" 2>/dev/null)" = "https://example.org/two" ] || bad "url_command got: $(cat "$W/opened.log" 2>/dev/null)"
wait_for "Opened https://example.org/two"
keys Down
keys y
wait_for "Copied mailto:list@example.org"
[ "$(TM show-buffer 2>/dev/null)" = "mailto:list@example.org" ] || bad "the terminal's clipboard (tmux buffer) holds: $(TM show-buffer 2>&1 | head -1)"
keys q
wait_for "q:Quit"
keys l; keys C-u "all" Enter
end

begin "x leaves; nothing on stderr"
rm -f "$W/exit"
keys x; keys y
i=0; while [ ! -s "$W/exit" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
[ "$(cat "$W/exit" 2>/dev/null)" = 0 ] || bad "tern exited with '$(cat "$W/exit" 2>/dev/null)'"
[ -s "$W/stderr" ] && bad "stderr: $(head -5 "$W/stderr")"
cleanup_tmux
end

begin "tern mailto:ADDRESS?subject=...&body=...: the reader starts with that message begun; the hooks apply; it is sent"
before=$(ls "$SPOOL"/*.eml 2>/dev/null | wc -l)
cleanup_tmux
TM new-session -d -s ui -x 100 -y 30 "EDITOR=$W/editor.sh TERM=xterm-256color $TERN -F $W/config 'mailto:other@localhost?subject=From%20a%20link&body=Hello%20from%20mailto%0D%0Asecond%20line' 2> $W/stderr; echo \$? > $W/exit; sleep 600"
wait_for "compose (y sends" 30
expect_screen "To: other@localhost"
expect_screen "Subject: From a link"
keys y
wait_spooled "$before"
sent=$(newest_spooled)
grep -q '^Subject: From a link' "$sent" || bad "subject: $(grep -m1 '^Subject' "$sent")"
tr -d '\r' < "$sent" | grep -q '^Hello from mailto$' || bad "no body from the URI"
tr -d '\r' < "$sent" | grep -q '^second line$' || bad "no second line from the URI"
grep -q '^X-Hooked: by the send-hook' "$sent" || bad "the send-hook did not apply"
rm -f "$W/exit"
keys x; keys y
i=0; while [ ! -s "$W/exit" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
[ "$(cat "$W/exit" 2>/dev/null)" = 0 ] || bad "tern exited with '$(cat "$W/exit" 2>/dev/null)'"
cleanup_tmux
end

begin "a mailto: that is not one: exit 2 and why"
run_tern -F "$W/config" "mailto"
expect_rc 2
expect_err "unknown command 'mailto'"
run_tern -F "$W/config" "mailto:a@b" ls
expect_rc 2
expect_err "a mailto: address starts the mail reader; it does not go with tern ls"
end

begin "a hook whose pattern does not parse: the reader says which line"
cp "$W/config" "$W/bad.config"
echo "send-hook '~z' 'my_hdr X: y'" >> "$W/bad.config"
start_tern "$W/bad.config"
wait_for "bad.config:$(wc -l < "$W/bad.config"): pattern:" 30
cleanup_tmux
end
