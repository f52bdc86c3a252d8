# The reader never waits on the index database: folder scans and full-text
# indexing run on its store worker. While another connection holds the
# database's write lock (as a sync writing a big batch does), the reader
# opens, scrolls, limits (a ~b answered for what is indexed, and said so),
# deletes and purges at once, each key timed; when the lock goes, the
# worker catches up and the screen follows. A folder never indexed opens at
# once with its newest mail and fills in the background with progress in
# the status line. No server: the account is offline (port 9 refuses).
. "$(dirname "$0")/../lib.sh"

T=$TERN_TEST_TMP
W=$T/never-waits
rm -rf "$W"; mkdir -p "$W"
export HOME=$W
# shellcheck source=tests/tmux.sh
. "$(dirname "$0")/../tmux.sh"

N=6000
python3 - "$W/mail/INBOX" "$N" <<'PY'
import os, sys
root, n = sys.argv[1], int(sys.argv[2])
for sub in ("cur", "new", "tmp"):
    os.makedirs(os.path.join(root, sub), exist_ok=True)
for i in range(n):
    with open(os.path.join(root, "cur", "%d.M%d.host:2,S" % (1700000000 + i, i)), "w") as f:
        f.write("From: Sender %d <s%d@example.org>\nSubject: message %d\nMessage-ID: <%d@x>\n"
                "Date: Tue, 14 Nov 2023 22:13:20 +0000\n\nbody of %d, word%d\n" % (i % 50, i % 50, i, i, i, i % 7))
PY
mkdir -p "$W/mail/Empty/cur" "$W/mail/Empty/new" "$W/mail/Empty/tmp"
cat > "$W/config" <<EOF2
set check_interval = 0
set sort = date
account t {
    from = "Me <me@example.com>"
    receive = imap://me@127.0.0.1:9
    password_command = "printf %s x"
    maildir = $W/mail
}
EOF2

# hold_lock DB: another connection takes the write lock and keeps it until $W/unlock exists
hold_lock() {
  rm -f "$W/unlock" "$W/locked"
  python3 - "$1" "$W" <<'PY' &
import os, sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=10)
db.execute("BEGIN IMMEDIATE")
db.execute("CREATE TABLE IF NOT EXISTS held(x)")
open(os.path.join(sys.argv[2], "locked"), "w").close()
for _ in range(1200):
    if os.path.exists(os.path.join(sys.argv[2], "unlock")): break
    time.sleep(0.05)
db.execute("ROLLBACK")
PY
  LOCK_PID=$!
  local i=0; while [ ! -e "$W/locked" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
}
release_lock() { touch "$W/unlock"; wait "$LOCK_PID" 2>/dev/null; }

# timed_key WHAT EXPECTED KEYS...: sends the keys, waits for EXPECTED on the screen; a key answered
# later than 2 s waited (the database's busy timeout is 5 s)
LATENCIES=""
timed_key() {
  local what=$1 expected=$2 t0 t1 i=0; shift 2
  t0=$(date +%s%N)
  TM send-keys -t ui "$@"
  while [ $i -lt 200 ]; do
    case "$(screen)" in *"$expected"*) break ;; esac
    sleep 0.02; i=$((i + 1))
  done
  t1=$(date +%s%N)
  local ms=$(( (t1 - t0) / 1000000 ))
  LATENCIES="$LATENCIES $what=${ms}ms"
  case "$(screen)" in *"$expected"*) ;; *) bad "$what: the screen never showed: $expected"; screen | sed 's/^/     | /' | tail -6; return ;; esac
  [ "$ms" -lt 2000 ] || bad "$what took $ms ms: the reader waited"
}

begin "a folder never indexed opens at once, fills in the background with progress, while the database is locked first"
export XDG_DATA_HOME=$W/data1
run_tern -F "$W/config" ls Empty   # makes the database, so that its lock can be held before the reader starts
expect_rc 0
DB=$W/data1/tern/index/t.sqlite
hold_lock "$DB"
TM new-session -d -s ui -x 100 -y 30 "XDG_DATA_HOME=$W/data1 $TERN -F $W/config"
wait_for "waiting for the index database" 15
expect_screen "Msgs:0"
timed_key "help while locked" "delete-message" '?'
timed_key "back" "q:Quit" q
release_lock
seen_progress=0
for i in $(seq 1 1200); do
  s=$(screen)
  case "$s" in *"scanning INBOX "*/$N*) seen_progress=1 ;; esac
  case "$s" in *"Msgs:$N "*|*"Msgs:$N]"*) break ;; esac
  sleep 0.05
done
[ "$seen_progress" = 1 ] || bad "no scan progress was shown in the status line"
wait_for "Msgs:$N]" 60
TM send-keys -t ui q; sleep 0.3; TM send-keys -t ui y
cleanup_tmux
end

begin "with the write lock held, every key is answered at once; a ~b says what it could not search, and is done again after"
export XDG_DATA_HOME=$W/data2
run_tern -F "$W/config" ls   # rows indexed, their text not yet (tern ls reads no bodies)
expect_rc 0
DB=$W/data2/tern/index/t.sqlite
hold_lock "$DB"
TM new-session -d -s ui -x 100 -y 30 "XDG_DATA_HOME=$W/data2 $TERN -F $W/config"
wait_for "Msgs:$N" 20
timed_key "limit by subject" "Lim:1]" l "~s 'message 42\$'" Enter
timed_key "delete" "Del:1" d
timed_key "limit by body" "Not searched yet: the text of $N messages" l C-u "~b word3" Enter
expect_screen "Lim:0]"
timed_key "limit back" "Msgs:$N Del:1]" l C-u all Enter
timed_key "sync" "Purge 1 deleted message?" '$'
# the sync that follows fails at once (no server) and says so over "1 deleted message purged"
timed_key "purge" "Msgs:$((N - 1))]" y
timed_key "page down" "message" Space
timed_key "open" "body of" Enter
timed_key "back to the index" "q:Quit" q
timed_key "limit by body again" "Not searched yet" l C-u "~b word3" Enter
echo "     key latencies with the lock held:$LATENCIES"
release_lock
# 857 of the 6000 say word3; the purged one was message 42 (word0)
wait_for "the limit now searched every message (857 match)" 120
expect_screen "Lim:857]"
# the folder's snapshot, asked for (from the order the reader made of its rows) while the lock was held, is written once it goes
written=0
for i in $(seq 1 300); do python3 "$(dirname "$0")/../../bench/snapshot_current.py" "$DB" && { written=1; break; }; sleep 0.1; done
[ "$written" = 1 ] || bad "the folder's snapshot was not written after the lock went"
TM send-keys -t ui q; sleep 0.3; TM send-keys -t ui y
cleanup_tmux
end

begin "saving an attachment does not hold the keys: into a pipe nobody reads yet, the reader goes on; read, it is saved whole"
export XDG_DATA_HOME=$W/data3
python3 - "$W/mail/Big" "$W/expected.bin" <<'PY'
import base64, os, random, sys
root, expected = sys.argv[1], sys.argv[2]
for sub in ("cur", "new", "tmp"):
    os.makedirs(os.path.join(root, sub), exist_ok=True)
random.seed(3)
data = random.randbytes(10 << 20)
open(expected, "wb").write(data)
with open(os.path.join(root, "cur", "1700000000.big.host:2,S"), "wb") as f:
    f.write(b"From: Big <big@example.org>\nSubject: the big one\nMessage-ID: <big@x>\nMIME-Version: 1.0\n"
            b"Content-Type: multipart/mixed; boundary=b1\n\n--b1\nContent-Type: text/plain\n\nA file.\n\n--b1\n"
            b"Content-Type: application/octet-stream\nContent-Disposition: attachment; filename=data.bin\n"
            b"Content-Transfer-Encoding: base64\n\n" + base64.encodebytes(data) + b"\n--b1--\n")
PY
mkfifo "$W/pipe"
TM new-session -d -s ui -x 100 -y 30 "cd $W && XDG_DATA_HOME=$W/data3 $TERN -F $W/config -f Big"
wait_for "Msgs:1" 20
keys Enter
wait_for "A file." 10
keys v
wait_for "data.bin" 10
keys j s
wait_for "Save to file:" 10
keys C-u "$W/pipe" Enter
wait_for "File exists, overwrite?" 10
keys y
wait_for "Saving $W/pipe" 10
LATENCIES=""
timed_key "help while saving" "help for the attach" '?'
timed_key "back" "data.bin" q
timed_key "up" "data.bin" k
echo "     key latencies while the save waits for the pipe:$LATENCIES"
[ -e "$W/saved.bin" ] && bad "the pipe was read before the keys were pressed"
cat "$W/pipe" > "$W/saved.bin" &
wait_for "Saved $W/pipe (10.0M)." 60
wait
cmp -s "$W/saved.bin" "$W/expected.bin" || bad "what came through the pipe is not the attachment"
TM send-keys -t ui q; sleep 0.2; TM send-keys -t ui q; sleep 0.2; TM send-keys -t ui q; sleep 0.3; TM send-keys -t ui y
cleanup_tmux
end
