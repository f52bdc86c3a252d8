# A message far bigger than a sync should hold in memory (a 30 MB
# attachment) against the real Dovecot of the "big" server instance: IMAP and
# POP3 store it byte for byte with a peak memory that does not grow with it,
# one only here is uploaded (and one copied here is copied there) the same way,
# a sync killed half way through it leaves no partial message and the next
# one completes it, a body fetched on demand comes the same way, and tern
# render reads it mapped.
. "$(dirname "$0")/../lib.sh"

T=$TERN_TEST_TMP
SRV=$T/big
# shellcheck disable=SC1090
. "$SRV/ports"
CA=$SRV/tls/ca.pem
BOX=$SRV/mail/testuser/Maildir
W=$T/big-work
rm -rf "$W"; mkdir -p "$W"
export XDG_DATA_HOME=$W/data
# account NAME RECEIVE-URL MAILDIR [EXTRA LINE]
account() {
  printf 'account %s {\n    from = "Test User <testuser@localhost>"\n    receive = %s\n' "$1" "$2"
  printf '    password_command = "printf %%s testpass"\n    ca_file = %s\n    maildir = %s\n    leave_on_server = yes\n' "$CA" "$3"
  [ -z "${4:-}" ] || printf '    %s\n' "$4"
  printf '}\n'
}
IMAP_URL=imaps://testuser@127.0.0.1:$SAVED_IMAPS_PORT
POP_URL=pop3s://testuser@127.0.0.1:$SAVED_POP3S_PORT

# peak KB of a command (its children's maximum resident set) and its status;
# under ASan with a small quarantine (freed blocks kept back are not the program's memory)
peak_of() {
  ASAN_OPTIONS=${ASAN_OPTIONS:-}:quarantine_size_mb=4 python3 - "$@" <<'PY'
import resource, subprocess, sys
rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=open("/dev/stderr", "w"), timeout=300).returncode
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, rc)
PY
}

python3 - "$W/big.eml" "$W/small.eml" <<'PY'
import base64, random, sys
random.seed(7)
head = (b"From: Big Sender <big@example.org>\nTo: testuser@localhost\nSubject: %s\nMessage-ID: <%s@example.org>\n"
        b"Date: Sun, 06 Dec 2026 10:00:00 +0000\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b1\"\n\n"
        b"--b1\nContent-Type: text/plain\n\nThe video from Saturday is attached.\n\n--b1\nContent-Type: video/mp4\n"
        b"Content-Disposition: attachment; filename=\"saturday.mp4\"\nContent-Transfer-Encoding: base64\n\n")
for path, subject, mb in ((sys.argv[1], b"the big one", 30), (sys.argv[2], b"a small one", 1)):
    with open(path, "wb") as f:
        f.write(head % (subject, subject.replace(b" ", b"-")))
        f.write(base64.encodebytes(random.randbytes(mb << 20)))
        f.write(b"\n--b1--\n")
PY
put() {  # put FILE NAME: into the server's INBOX, as a delivery would
  mkdir -p "$BOX/new"; cp "$1" "$BOX/new/$2"; chown -R --reference="$SRV/mail/testuser" "$BOX" 2>/dev/null || true
}
stored() {  # stored ROOT SUBJECT-FILE: the file in ROOT's INBOX that holds the message (by its Message-ID)
  grep -l "^Message-ID: <$2@example.org>" "$1"/INBOX/cur/* "$1"/INBOX/new/* 2>/dev/null | head -1
}
big_mb=$(( $(stat -c %s "$W/big.eml") >> 20 ))
rm -f "$BOX"/new/* "$BOX"/cur/*  # a run again starts from an empty INBOX

put "$W/small.eml" 1765000000.small.host
begin "IMAP: a ${big_mb} MB message stored byte for byte, the sync's peak memory as for a 1 MB one"
account small "$IMAP_URL" "$W/small-mail" > "$W/small.config"
read -r small_peak small_rc < <(peak_of "$TERN" -F "$W/small.config" sync)
[ "$small_rc" = 0 ] || bad "the small sync failed ($small_rc)"
put "$W/big.eml" 1765000001.big.host
account imap "$IMAP_URL" "$W/imap-mail" > "$W/imap.config"
read -r big_peak big_rc < <(peak_of "$TERN" -F "$W/imap.config" sync)
[ "$big_rc" = 0 ] || bad "the sync failed ($big_rc)"
f=$(stored "$W/imap-mail" the-big-one)
{ [ -n "$f" ] && cmp -s "$f" "$W/big.eml"; } || bad "the stored copy differs from the message (${f:-none})"
cmp -s "$(stored "$W/imap-mail" a-small-one)" "$W/small.eml" || bad "the small message differs"
grown=$(( (big_peak - small_peak) / 1024 ))
echo "     peak: $((small_peak / 1024)) MB with a 1 MB message, $((big_peak / 1024)) MB with ${big_mb} MB more (grew $grown MB)"
# whole in memory it was 5 copies (1378 MB for 271 MB); a piece at a time it is a few pieces of 2 MB
[ "$grown" -lt $((big_mb / 2)) ] || bad "the peak grew by $grown MB for a ${big_mb} MB message"
ls "$W/imap-mail/INBOX/tmp" | grep -q . && bad "files left in tmp/"
run_tern -F "$W/imap.config" ls
expect_out "the big one"
end

begin "a big message only here goes up by APPEND a piece at a time; one copied between folders here is copied there: bounded memory, byte for byte"
sed 's/^Message-ID: <the-big-one@/Message-ID: <the-big-upload@/; s/^Subject: the big one/Subject: the big upload/' "$W/big.eml" > "$W/upload.eml"
cp "$W/upload.eml" "$W/imap-mail/INBOX/cur/1765000002.upload.host:2,S"
mkdir -p "$W/imap-mail/Saved/cur" "$W/imap-mail/Saved/new" "$W/imap-mail/Saved/tmp"
cp "$(stored "$W/imap-mail" the-big-one)" "$W/imap-mail/Saved/cur/1765000003.copy.host:2,S"
read -r up_peak up_rc < <(peak_of "$TERN" -F "$W/imap.config" sync)
[ "$up_rc" = 0 ] || bad "the sync failed ($up_rc)"
up=$(grep -l "^Message-ID: <the-big-upload@" "$BOX"/cur/* "$BOX"/new/* 2>/dev/null | head -1)
{ [ -n "$up" ] && cmp -s "$up" "$W/upload.eml"; } || bad "the server's copy of the upload differs (${up:-none})"
copied=$(grep -l "^Message-ID: <the-big-one@" "$BOX"/.Saved/cur/* "$BOX"/.Saved/new/* 2>/dev/null | head -1)
{ [ -n "$copied" ] && cmp -s "$copied" "$W/big.eml"; } || bad "the server's Saved lacks the copy (${copied:-none})"
grown=$(( (up_peak - small_peak) / 1024 ))
echo "     upload and copy peak: $((up_peak / 1024)) MB (grew $grown MB)"
[ "$grown" -lt $((big_mb / 2)) ] || bad "the peak grew by $grown MB for a ${big_mb} MB upload"
end

begin "POP3: the same message stored byte for byte as it arrives, the peak as for a 1 MB one"
account pop "$POP_URL" "$W/pop-mail" > "$W/pop.config"
read -r pop_peak pop_rc < <(peak_of "$TERN" -F "$W/pop.config" sync)
[ "$pop_rc" = 0 ] || bad "the POP3 sync failed ($pop_rc)"
cmp -s "$(stored "$W/pop-mail" the-big-one)" "$W/big.eml" || bad "the stored copy differs from the message"
cmp -s "$(stored "$W/pop-mail" a-small-one)" "$W/small.eml" || bad "the small message differs"
grown=$(( (pop_peak - small_peak) / 1024 ))
echo "     POP3 peak: $((pop_peak / 1024)) MB (grew $grown MB over the IMAP sync of the small one)"
[ "$grown" -lt $((big_mb / 2)) ] || bad "the peak grew by $grown MB for a ${big_mb} MB message"
ls "$W/pop-mail/INBOX/tmp" | grep -q . && bad "files left in tmp/"
end

begin "a sync killed half way through the big message: no partial message anywhere, the next sync completes it"
account killed "$IMAP_URL" "$W/killed-mail" > "$W/killed.config"
"$TERN" -F "$W/killed.config" sync > "$W/killed.out" 2>&1 &
pid=$!
caught=""
for _ in $(seq 1 3000); do  # until the big one is half in tmp/
  part=$(find "$W/killed-mail/INBOX/tmp" -type f -size +4M 2>/dev/null | head -1)
  if [ -n "$part" ]; then kill -9 "$pid"; caught=$(stat -c %s "$part"); break; fi
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.01
done
wait "$pid" 2>/dev/null
[ -n "$caught" ] || bad "the sync ended before it could be killed in the big message"
echo "     killed with $((caught >> 20)) MB of ${big_mb} MB in tmp/"
[ -z "$(stored "$W/killed-mail" the-big-one)" ] || bad "a partial message was delivered"
run_tern -F "$W/killed.config" sync
expect_rc 0
cmp -s "$(stored "$W/killed-mail" the-big-one)" "$W/big.eml" || bad "the next sync did not complete it byte for byte"
[ "$(ls "$W/killed-mail/INBOX/tmp" | wc -l)" = 0 ] || bad "the killed sync's partial file is still in tmp/"
[ "$(grep -l 'the-big-one' "$W"/killed-mail/INBOX/cur/* "$W"/killed-mail/INBOX/new/* 2>/dev/null | wc -l)" = 1 ] || bad "not exactly one copy"
end

begin "cache_bodies = opened: tern show fetches the big body on demand, a piece at a time, byte for byte"
account lean "$IMAP_URL" "$W/lean-mail" "cache_bodies = opened" > "$W/lean.config"
run_tern -F "$W/lean.config" sync
expect_rc 0
[ -z "$(stored "$W/lean-mail" the-big-one)" ] || bad "the body was kept at the sync"
run_tern -F "$W/lean.config" show -a lean INBOX 1 -l '~s big'
expect_rc 0
expect_out "The video from Saturday is attached."
expect_out "saturday.mp4"
cmp -s "$(stored "$W/lean-mail" the-big-one)" "$W/big.eml" || bad "the body fetched differs from the message"
end

begin "tern render of the stored file: its text and its attachment, the file mapped, not read"
f=$(stored "$W/imap-mail" the-big-one)
read -r render_peak render_rc < <(peak_of "$TERN" render "$f")
[ "$render_rc" = 0 ] || bad "tern render failed ($render_rc)"
run_tern render "$f"
expect_out "The video from Saturday is attached."
expect_out "saturday.mp4"
expect_out "Size: 30.0M"
echo "     render peak: $((render_peak / 1024)) MB"
[ $(( (render_peak - small_peak) / 1024 )) -lt $((big_mb / 2)) ] || bad "tern render's peak grew with the message"
end
