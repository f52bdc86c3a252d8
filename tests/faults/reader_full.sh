# The reader's save and copy on a full disk, in tmux: the folder saved into
# has no space (tests/faults/enospc.c preloaded, limited to that folder's
# maildir while a flag file exists), so the save says so in one line of an
# 80-column terminal and
# changes nothing: no file there, the message not marked deleted here. With
# space again the same keys save it, byte for byte.
. "$(dirname "$0")/../lib.sh"
# shellcheck source=tests/tmux.sh
. "$(dirname "$0")/../tmux.sh"

W=$TERN_TEST_TMP/faults-reader-full
rm -rf "$W"; mkdir -p "$W/data" "$W/mail/INBOX/"{cur,new,tmp} "$W/mail/Archive/"{cur,new,tmp}
gcc -shared -fPIC -O2 -o "$W/enospc.so" tests/faults/enospc.c -ldl || echo "FAIL cannot build the shim"
for i in 1 2 3; do
  printf 'From: Sender %s <s%s@example.org>\nTo: me@example.org\nSubject: keep me %s\nMessage-ID: <keep-%s@full.invalid>\nDate: Mon, 1 Jun 2026 10:0%s:00 +0000\n\nbody %s\n' \
    "$i" "$i" "$i" "$i" "$i" "$i" > "$W/mail/INBOX/cur/170000000$i.M$i.host:2,S"
done
# offline (port 1 is closed): the reader works on what is here
printf 'account t {\n    from = "Me <me@example.org>"\n    receive = imaps://me@127.0.0.1:1\n    password_command = "printf %%s x"\n    maildir = %s/mail\n}\n' "$W" > "$W/config"
touch "$W/full"
TM new-session -d -s ui -x 80 -y 24 \
  "XDG_DATA_HOME=$W/data LD_PRELOAD=$W/enospc.so ENOSPC_AFTER=0 ENOSPC_UNDER=$W/mail/Archive ENOSPC_WHILE=$W/full ASAN_OPTIONS=${ASAN_OPTIONS:-}:verify_asan_link_order=0 TERM=xterm-256color $TERN -F $W/config 2> $W/stderr; echo \$? > $W/exit; sleep 600"
files() { find "$1/cur" "$1/new" "$1/tmp" -type f 2>/dev/null | wc -l; }

begin "save to a folder on a full disk: one line that says so, nothing written there, the message not deleted here"
wait_for "keep me 1" 30
keys l; keys C-u "~s \"keep me 2\"" Enter
wait_for "Lim:1"
keys s; keys "=Archive" Enter
wait_for "Disk full: not saved to Archive, nothing changed; free some space, try again" 10
[ "$(files "$W/mail/Archive")" = 0 ] || bad "$(files "$W/mail/Archive") files in Archive (or its tmp/)"
case "$(screen)" in *"Del:"*) bad "the message was marked deleted although it was not saved" ;; esac
ls "$W/mail/INBOX/cur/" | grep -q ':2,[A-Z]*T' && bad "a message here is marked trashed"
end

begin "copy on a full disk: the same; with space again, save stores it once, byte for byte, and marks it deleted here"
keys C; keys "=Archive" Enter
wait_for "Disk full: not copied to Archive, nothing changed; free some space, try again" 10
[ "$(files "$W/mail/Archive")" = 0 ] || bad "the copy left a file"
rm -f "$W/full"   # space again
keys s; keys "=Archive" Enter
wait_for "1 message saved to" 10
[ "$(files "$W/mail/Archive")" = 1 ] || bad "$(files "$W/mail/Archive") files in Archive, expected 1"
saved=$(find "$W/mail/Archive/cur" "$W/mail/Archive/new" -type f | head -1)
cmp -s "$saved" "$W/mail/INBOX/cur/1700000002.M2.host:2,S" 2>/dev/null ||
  cmp -s "$saved" "$(ls "$W"/mail/INBOX/cur/1700000002.M2.host:2,* | head -1)" || bad "the saved copy differs"
wait_for "Del:1"
end

begin "x leaves at once, exit 0, nothing on stderr, every message still here"
keys x; keys y
for _ in $(seq 100); do [ -s "$W/exit" ] && break; sleep 0.1; done
[ "$(cat "$W/exit" 2>/dev/null)" = 0 ] || bad "exit status '$(cat "$W/exit" 2>/dev/null)'"
[ -s "$W/stderr" ] && bad "stderr: $(head -3 "$W/stderr")"
[ "$(files "$W/mail/INBOX")" = 3 ] || bad "$(files "$W/mail/INBOX") of 3 messages left in INBOX"
end
rm -rf "$W"
